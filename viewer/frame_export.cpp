#include "viewer/frame_export.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "viewer/headless_display.hpp"

#include <SFML/Graphics/RenderTexture.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <regex>

namespace sonae::viewer {

namespace fs = std::filesystem;

PictureSize parse_picture_size(const std::string& text) {
    static const std::regex pattern(R"(^\s*(\d{1,5})\s*[xX]\s*(\d{1,5})\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, pattern))
        throw InputError("picture size must look like 1600x900",
                         {.field = "--size", .value = text});
    PictureSize size{static_cast<unsigned>(std::stoul(m[1])),
                     static_cast<unsigned>(std::stoul(m[2]))};
    if (size.width < 320 || size.height < 240 || size.width > 8192 || size.height > 8192)
        throw InputError("picture size must be between 320x240 and 8192x8192",
                         {.field = "--size", .value = text});
    return size;
}

std::int64_t parse_time_s(const std::string& text) {
    static const std::regex clock(R"(^\s*(-?)(\d+):(\d{1,2})(?::(\d{1,2}))?\s*$)");
    static const std::regex unit(R"(^\s*(-?\d+(?:\.\d+)?)\s*([smh]?)\s*$)");
    std::smatch m;
    if (std::regex_match(text, m, clock)) {
        const long long h = std::stoll(m[2]);
        const long long min = std::stoll(m[3]);
        const long long s = m[4].matched ? std::stoll(m[4]) : 0;
        if (min >= 60 || s >= 60 || h > 100000)
            throw InputError("time has minutes or seconds of 60 or more", {.value = text});
        const std::int64_t t = h * 3600 + min * 60 + s;
        return m[1].length() > 0 ? -t : t;
    }
    if (std::regex_match(text, m, unit)) {
        const double v = std::stod(m[1]);
        const std::string u = m[2];
        const double factor = u == "h" ? 3600.0 : u == "m" ? 60.0 : 1.0;
        const double t = v * factor;
        if (std::abs(t) > 1e10) throw InputError("time is out of range", {.value = text});
        return static_cast<std::int64_t>(std::llround(t));
    }
    throw InputError("time must be seconds (5400), h:mm (1:30), h:mm:ss or 90m / 1.5h",
                     {.value = text});
}

namespace {

std::unique_ptr<sf::RenderTexture> make_surface(PictureSize size) {
    ensure_display();
    auto texture = std::make_unique<sf::RenderTexture>();
    if (!texture->create(size.width, size.height))
        throw IoError("cannot create an off-screen picture of " + std::to_string(size.width) + "x" +
                      std::to_string(size.height) + " (OpenGL through the X display " +
                      ensure_display() + " failed)");
    return texture;
}

sf::Image render(SceneRenderer& renderer, sf::RenderTexture& texture, std::int64_t t_s,
                 PictureSize size) {
    // A still for a report or a slide: no play bar, no playback state, no click hints.
    const Layout layout = Layout::for_still(size.width, size.height);
    FrameState frame;
    frame.t_s = t_s;
    frame.playing = false;
    frame.still = true;
    renderer.draw(texture, layout, renderer.initial_viewport(layout), frame);
    texture.display();
    return texture.getTexture().copyToImage();
}

void save(const sf::Image& image, const fs::path& file) {
    AtomicPath out(file, FileMode::personal);
    if (!image.saveToFile(out.temp().string()))
        throw IoError("cannot write the picture", {.file = file.string()});
    out.commit();
}

} // namespace

void export_png(SceneRenderer& renderer, const fs::path& file, std::int64_t t_s, PictureSize size) {
    std::string ext = file.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".png")
        throw InputError("the picture file must end in .png", {.file = file.string()});
    auto surface = make_surface(size);
    save(render(renderer, *surface, t_s, size), file);
}

bool is_frame_file_name(const std::string& name) {
    constexpr std::string_view prefix = "frame_", suffix = ".png";
    if (name.size() != prefix.size() + 5 + suffix.size() || !name.starts_with(prefix) ||
        !name.ends_with(suffix))
        return false;
    return std::all_of(name.begin() + prefix.size(), name.end() - suffix.size(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<fs::path> export_frames(SceneRenderer& renderer, const fs::path& dir,
                                    std::int64_t every_s, PictureSize size) {
    if (every_s <= 0)
        throw InputError("--every must be a positive number of seconds",
                         {.field = "--every", .value = std::to_string(every_s)});
    const auto& meta = renderer.trace().metadata();
    const std::int64_t frames = (meta.end_t_s - meta.start_t_s) / every_s + 1;
    if (frames > 100000)
        throw InputError("that would be " + std::to_string(frames) +
                             " pictures; choose a larger --every",
                         {.field = "--every", .value = std::to_string(every_s)});
    create_output_dir(dir);
    auto surface = make_surface(size);
    std::vector<fs::path> written;
    for (std::int64_t k = 0; k < frames; ++k) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%05lld.png", static_cast<long long>(k));
        const fs::path file = dir / name;
        save(render(renderer, *surface, meta.start_t_s + k * every_s, size), file);
        written.push_back(file);
    }
    return written;
}

} // namespace sonae::viewer
