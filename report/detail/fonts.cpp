#include "report/detail/fonts.hpp"

#include "report/detail/drawing.hpp"

#include <pango/pangofc-fontmap.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fontconfig/fontconfig.h>
#include <hb-subset.h>
#include <string>
#include <unistd.h>

namespace sonae::report::detail {

namespace {

/// The file and face index fontconfig picks for the family at `weight`, or empty.
std::pair<std::string, int> system_font(int weight) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY,
                       reinterpret_cast<const FcChar8*>(std::string(kFontFamily).c_str()));
    FcPatternAddInteger(pattern, FC_WEIGHT, weight);
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    FcPatternDestroy(pattern);
    if (match == nullptr) return {};
    FcChar8* file = nullptr;
    FcChar8* family = nullptr;
    int index = 0;
    std::pair<std::string, int> out;
    if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch &&
        std::string(reinterpret_cast<const char*>(family)) == kFontFamily) {
        FcPatternGetInteger(match, FC_INDEX, 0, &index);
        out = {reinterpret_cast<const char*>(file), index};
    }
    FcPatternDestroy(match);
    return out;
}

/// Writes face `index` of `file` without subroutines (every character kept) to `out`.
bool desubroutinize(const std::string& file, int index, const std::filesystem::path& out) {
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(file.c_str());
    if (blob == nullptr) return false;
    hb_face_t* face = hb_face_create(blob, static_cast<unsigned>(index));
    hb_blob_destroy(blob);
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    bool ok = false;
    if (input != nullptr) {
        hb_face_collect_unicodes(face, hb_subset_input_unicode_set(input));
        hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_DESUBROUTINIZE);
        if (hb_face_t* subset = hb_subset_or_fail(face, input)) {
            hb_blob_t* data = hb_face_reference_blob(subset);
            unsigned length = 0;
            const char* bytes = hb_blob_get_data(data, &length);
            if (FILE* f = std::fopen(out.c_str(), "wb")) {
                ok = length > 0 && std::fwrite(bytes, 1, length, f) == length;
                ok = std::fclose(f) == 0 && ok;
            }
            hb_blob_destroy(data);
            hb_face_destroy(subset);
        }
        hb_subset_input_destroy(input);
    }
    hb_face_destroy(face);
    return ok;
}

/// The two rewritten fonts in a private temporary folder, removed when the process ends.
struct FontFiles {
    std::filesystem::path dir;
    PangoFontMap* map = nullptr;
    FontFiles() {
        const auto regular = system_font(FC_WEIGHT_REGULAR);
        const auto bold = system_font(FC_WEIGHT_BOLD);
        if (regular.first.empty() || bold.first.empty()) return;
        std::string pattern =
            (std::filesystem::temp_directory_path() / "sonae-fonts-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) return;
        dir = pattern;
        const auto r = dir / "regular.otf";
        const auto b = dir / "bold.otf";
        if (!desubroutinize(regular.first, regular.second, r) ||
            !desubroutinize(bold.first, bold.second, b))
            return;
        FcConfig* config = FcConfigCreate();
        if (!FcConfigAppFontAddFile(config, reinterpret_cast<const FcChar8*>(r.c_str())) ||
            !FcConfigAppFontAddFile(config, reinterpret_cast<const FcChar8*>(b.c_str()))) {
            FcConfigDestroy(config);
            return;
        }
        map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
        if (map == nullptr) {
            FcConfigDestroy(config);
            return;
        }
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);
        FcConfigDestroy(config); // the font map holds its own reference
    }
    ~FontFiles() {
        // The font map is left to the process's end (pango may still hold faces); the files go.
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
};

} // namespace

PangoFontMap* document_font_map() {
    static FontFiles files;
    return files.map;
}

} // namespace sonae::report::detail
