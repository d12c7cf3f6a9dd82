#pragma once
/// Headless pictures of a trace for reports and slides: one PNG at a time, or a numbered
/// series every N seconds. Renders off-screen (sf::RenderTexture) in the still layout (no play
/// bar, no playback state, no click hints). SFML's OpenGL needs an X display: without one a
/// private Xvfb is started (viewer/headless_display.hpp), so no window and no user are needed.

#include "viewer/scene.hpp"

#include <filesystem>
#include <vector>

namespace sonae::viewer {

/// Picture size in pixels.
struct PictureSize {
    unsigned width = 1600;
    unsigned height = 900;
};

/// Parses "1600x900". Throws InputError for anything else or sizes outside 320..8192.
PictureSize parse_picture_size(const std::string& text);

/// Parses a time: seconds ("5400", "-60"), "1:30" (h:mm), "1:30:00" (h:mm:ss), or with a
/// unit "90m", "1.5h", "30s". Throws InputError with the text otherwise.
std::int64_t parse_time_s(const std::string& text);

/// Renders the frame at t_s and writes it as PNG atomically (mode personal: the picture
/// shows where the children live). Throws IoError if the off-screen surface cannot be made
/// (no display) or the file cannot be written.
void export_png(SceneRenderer& renderer, const std::filesystem::path& file, std::int64_t t_s,
                PictureSize size);

/// True for the name of a picture of a series export_frames writes (frame_00000.png ...).
bool is_frame_file_name(const std::string& name);

/// Renders frames from the trace start to its end every `every_s` seconds into `dir`
/// (frame_00000.png, ...; created if missing) and returns the files written. Throws as
/// export_png; InputError if every_s <= 0 or the series would exceed 100,000 frames.
std::vector<std::filesystem::path> export_frames(SceneRenderer& renderer,
                                                 const std::filesystem::path& dir,
                                                 std::int64_t every_s, PictureSize size);

} // namespace sonae::viewer
