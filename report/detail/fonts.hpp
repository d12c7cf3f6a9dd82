#pragma once
/// Private to the report module: the font map every PDF draws its text with.
///
/// cairo 1.16 embeds a CFF font's subset with all of the font's subroutines, and Noto Sans
/// CJK keeps most of its outlines in subroutines: each guidebook carried about 1.9 MB of
/// them. So the Noto Sans CJK JP regular and bold faces (the same outlines, metrics and
/// layout tables) are rewritten once per process without subroutines (HarfBuzz's subsetter,
/// every character kept), and pango draws from a font map that holds only those two files;
/// cairo then embeds just the charstrings of the glyphs used (a few hundred KB a guidebook).
/// If the fonts or the subsetter are not available, nullptr: pango's default font map, as
/// before (a bigger file, the same look).

#include <pango/pangocairo.h>

namespace sonae::report::detail {

/// The shared font map (created on first use; lives until the process ends), or nullptr.
PangoFontMap* document_font_map();

} // namespace sonae::report::detail
