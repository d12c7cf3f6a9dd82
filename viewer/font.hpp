#pragma once
/// Finding a font that has Japanese glyphs (Noto Sans CJK JP from fonts-noto-cjk, or IPA
/// Gothic from fonts-ipafont-gothic) and loading it into SFML.

#include <SFML/Graphics/Font.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace sonae::viewer {

/// Candidate font files in order of preference: fontconfig's best match for Japanese
/// sans-serif text that covers 凡例, then well-known Debian paths. Only existing files.
std::vector<std::filesystem::path> japanese_font_candidates();

/// Loads `requested` if given, else the first candidate SFML can load (face 0 of a .ttc,
/// which is the JP face in Noto Sans CJK). Throws InputError naming what was tried.
sf::Font load_japanese_font(const std::optional<std::filesystem::path>& requested,
                            std::filesystem::path* loaded_from = nullptr);

} // namespace sonae::viewer
