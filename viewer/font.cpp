#include "viewer/font.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cstdlib>
#include <fontconfig/fontconfig.h>

namespace sonae::viewer {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> fontconfig_match() {
    FcConfig* config = FcInitLoadConfigAndFonts();
    if (config == nullptr) return std::nullopt;
    std::optional<fs::path> found;
    FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>("Noto Sans CJK JP:lang=ja"));
    if (pattern != nullptr) {
        FcConfigSubstitute(config, pattern, FcMatchPattern);
        FcDefaultSubstitute(pattern);
        FcResult result = FcResultNoMatch;
        FcFontSet* set = FcFontSort(config, pattern, FcTrue, nullptr, &result);
        if (set != nullptr) {
            for (int i = 0; i < set->nfont && !found; ++i) {
                FcPattern* font = set->fonts[i];
                FcChar8* file = nullptr;
                FcCharSet* charset = nullptr;
                int index = 0;
                if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch) continue;
                if (FcPatternGetInteger(font, FC_INDEX, 0, &index) == FcResultMatch && index != 0)
                    continue; // SFML 2.5 opens face 0 only
                // Must cover 凡 (U+51E1) and 例 (U+4F8B), i.e. real Japanese text.
                if (FcPatternGetCharSet(font, FC_CHARSET, 0, &charset) != FcResultMatch ||
                    !FcCharSetHasChar(charset, 0x51E1) || !FcCharSetHasChar(charset, 0x4F8B))
                    continue;
                found = fs::path(reinterpret_cast<const char*>(file));
            }
            FcFontSetDestroy(set);
        }
        FcPatternDestroy(pattern);
    }
    FcConfigDestroy(config);
    return found;
}

} // namespace

std::vector<fs::path> japanese_font_candidates() {
    std::vector<fs::path> out;
    if (const char* env = std::getenv("SONAE_VIEW_FONT"); env != nullptr && *env != '\0')
        out.emplace_back(env);
    if (auto match = fontconfig_match()) out.push_back(*match);
    for (const char* known : {
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
             "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
             "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
             "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
         })
        out.emplace_back(known);
    std::error_code ec;
    std::vector<fs::path> existing;
    for (auto& p : out)
        if (fs::is_regular_file(p, ec) &&
            std::find(existing.begin(), existing.end(), p) == existing.end())
            existing.push_back(p);
    return existing;
}

sf::Font load_japanese_font(const std::optional<fs::path>& requested, fs::path* loaded_from) {
    sf::Font font;
    if (requested) {
        if (!fs::is_regular_file(*requested))
            throw InputError("font file not found", {.file = requested->string()});
        if (!font.loadFromFile(requested->string()))
            throw InputError("cannot load the font (not a TrueType/OpenType file?)",
                             {.file = requested->string()});
        if (loaded_from) *loaded_from = *requested;
        return font;
    }
    const auto candidates = japanese_font_candidates();
    for (const auto& p : candidates) {
        if (font.loadFromFile(p.string())) {
            if (loaded_from) *loaded_from = p;
            return font;
        }
    }
    throw InputError("no Japanese font found: install fonts-noto-cjk (or fonts-ipafont-gothic), "
                     "or pass --font FILE");
}

} // namespace sonae::viewer
