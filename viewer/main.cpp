// sonae-view: replay a simulation trace on a map, or export pictures of it without a window.
// Exit codes, as sonae's: 0 done, 1 usage (unknown option, missing argument, --png without
// --at), 2 bad input (trace, option values such as --at past the trace's end, font) or an
// unwritable output, 3 a bug.

#include "core/error.hpp"
#include "geo/output_set.hpp"
#include "sim/trace.hpp"
#include "viewer/font.hpp"
#include "viewer/frame_export.hpp"
#include "viewer/headless_display.hpp"
#include "viewer/playback.hpp"
#include "viewer/scene.hpp"

#include <CLI/CLI.hpp>
#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Window/Event.hpp>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

namespace {

using namespace sonae;
using namespace sonae::viewer;

void print_keys() {
    std::cout
        << "Keys: Space play/pause, Up/Down or +/- speed, Left/Right step 1 min (Shift: 10 min),\n"
           "      PageUp/PageDown previous/next event, Home/End start/end, R reset view,\n"
           "      Esc clear selection, Q quit. Mouse: drag to pan, wheel to zoom, click for\n"
           "      details, click the timeline to seek.\n";
}

int run_window(const sim::TraceReader& trace, const sf::Font& font) {
    SceneRenderer renderer(trace, font);
    sf::RenderWindow window(
        sf::VideoMode(1400, 860),
        sf::String::fromUtf8(std::string("sonae-view").begin(), std::string("sonae-view").end()));
    // A frame-rate cap rather than vertical sync: SFML advises against using both, and
    // vsync is not available on every display (Xvfb, remote X).
    window.setFramerateLimit(60);
    Layout layout = Layout::for_size(window.getSize().x, window.getSize().y);
    Viewport viewport = renderer.initial_viewport(layout);
    const auto& meta = trace.metadata();
    Playback playback(meta.start_t_s, meta.end_t_s);
    FrameState frame;
    // Where the left button went down, while it is down (a flag and a point: GCC 12 sees the
    // point of an std::optional as maybe uninitialised under -O2 and -Werror fails the build).
    bool pressed = false;
    sf::Vector2i press;
    bool dragging = false;
    bool scrubbing = false;
    sf::Vector2i last_mouse;
    sf::Clock clock;
    print_keys();

    while (window.isOpen()) {
        sf::Event event;
        while (window.pollEvent(event)) {
            switch (event.type) {
            case sf::Event::Closed: window.close(); break;
            case sf::Event::Resized: {
                window.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(event.size.width),
                                                      static_cast<float>(event.size.height))));
                layout = Layout::for_size(event.size.width, event.size.height);
                viewport = Viewport(viewport.projection(), layout.map, viewport.centre(),
                                    viewport.metres_per_pixel());
                break;
            }
            case sf::Event::MouseWheelScrolled: {
                const ScreenPoint at{static_cast<double>(event.mouseWheelScroll.x),
                                     static_cast<double>(event.mouseWheelScroll.y)};
                if (layout.map.contains(at))
                    viewport.zoom(std::pow(1.25, event.mouseWheelScroll.delta), at);
                break;
            }
            case sf::Event::MouseButtonPressed:
                if (event.mouseButton.button == sf::Mouse::Left) {
                    pressed = true;
                    press = sf::Vector2i(event.mouseButton.x, event.mouseButton.y);
                    last_mouse = press;
                    dragging = false;
                    const ScreenPoint at{static_cast<double>(press.x),
                                         static_cast<double>(press.y)};
                    const Pick pick = renderer.pick(at, layout, viewport, playback.t_s());
                    scrubbing = pick.kind == Pick::Kind::timeline;
                    if (scrubbing) playback.seek(pick.t_s);
                }
                break;
            case sf::Event::MouseMoved: {
                const sf::Vector2i now(event.mouseMove.x, event.mouseMove.y);
                if (pressed && scrubbing) {
                    playback.seek(renderer.timeline_time(layout, now.x));
                } else if (pressed && layout.map.contains({static_cast<double>(press.x),
                                                           static_cast<double>(press.y)})) {
                    if (!dragging && (std::abs(now.x - press.x) + std::abs(now.y - press.y)) > 3)
                        dragging = true;
                    if (dragging) viewport.pan(now.x - last_mouse.x, now.y - last_mouse.y);
                }
                last_mouse = now;
                break;
            }
            case sf::Event::MouseButtonReleased:
                if (event.mouseButton.button == sf::Mouse::Left && pressed) {
                    if (!dragging && !scrubbing) {
                        const ScreenPoint at{static_cast<double>(event.mouseButton.x),
                                             static_cast<double>(event.mouseButton.y)};
                        const Pick pick = renderer.pick(at, layout, viewport, playback.t_s());
                        frame.selected.reset();
                        frame.selected_hazard.reset();
                        if (pick.kind == Pick::Kind::play_button)
                            playback.toggle();
                        else if (pick.kind == Pick::Kind::entity)
                            frame.selected = pick.entity;
                        else if (pick.kind == Pick::Kind::hazard)
                            frame.selected_hazard = pick.hazard;
                    }
                    pressed = false;
                    dragging = scrubbing = false;
                }
                break;
            case sf::Event::KeyPressed: {
                const bool shift = event.key.shift;
                switch (event.key.code) {
                case sf::Keyboard::Space: playback.toggle(); break;
                case sf::Keyboard::Up:
                case sf::Keyboard::Add:
                case sf::Keyboard::Equal: playback.faster(); break;
                case sf::Keyboard::Down:
                case sf::Keyboard::Subtract:
                case sf::Keyboard::Hyphen: playback.slower(); break;
                case sf::Keyboard::Right: playback.step(shift ? 600 : 60); break;
                case sf::Keyboard::Left: playback.step(shift ? -600 : -60); break;
                case sf::Keyboard::Home: playback.seek(meta.start_t_s); break;
                case sf::Keyboard::End: playback.seek(meta.end_t_s); break;
                case sf::Keyboard::PageDown: {
                    const auto next = trace.events_between(playback.t_s() + 1, meta.end_t_s + 1);
                    if (!next.empty()) playback.seek(next.front().t_s);
                    break;
                }
                case sf::Keyboard::PageUp: {
                    const auto before = trace.events_between(meta.start_t_s, playback.t_s());
                    if (!before.empty()) playback.seek(before.back().t_s);
                    break;
                }
                case sf::Keyboard::R: viewport = renderer.initial_viewport(layout); break;
                case sf::Keyboard::Escape:
                    frame.selected.reset();
                    frame.selected_hazard.reset();
                    break;
                case sf::Keyboard::Q: window.close(); break;
                default: break;
                }
                break;
            }
            default: break;
            }
        }
        playback.advance(clock.restart().asSeconds());
        frame.t_s = playback.t_s();
        frame.playing = playback.playing();
        frame.speed = playback.speed();
        renderer.draw(window, layout, viewport, frame);
        window.display();
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"sonae-view: replay an evacuation simulation trace on a map, or export pictures"};
    std::string trace_file;
    std::string png_file;
    std::string at_text;
    std::string frames_dir;
    std::string every_text;
    std::string size_text = "1600x900";
    std::string font_file;
    std::string csv_file;
    app.add_option("TRACE", trace_file, "trace file written by `sonae simulate`")->required();
    app.add_option("--png", png_file, "write one picture of time --at to this .png file and exit");
    app.add_option("--at", at_text, "time for --png: seconds, h:mm, h:mm:ss, 90m or 1.5h");
    app.add_option("--frames", frames_dir,
                   "write a picture every --every seconds into this folder and exit");
    app.add_option("--every", every_text, "interval for --frames (same forms as --at)");
    app.add_option("--size", size_text, "picture size WxH for --png and --frames")
        ->capture_default_str();
    app.add_option("--font", font_file,
                   "font file with Japanese glyphs (default: Noto Sans CJK JP)");
    app.add_option("--events-csv", csv_file,
                   "also write the trace's events as CSV (UTF-8 with BOM)");
    bool overwrite = false;
    app.add_flag("--overwrite", overwrite,
                 "replace outputs that are already there (without it: exit 1)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 1;
    }
    if (!png_file.empty() && at_text.empty()) {
        std::cerr << "sonae-view: --png needs --at TIME\n";
        return 1;
    }
    if (!frames_dir.empty() && every_text.empty()) {
        std::cerr << "sonae-view: --frames needs --every SECONDS\n";
        return 1;
    }
    // Outputs already there are replaced only with --overwrite, as in sonae (exit 1 before
    // anything is read or drawn); a series of frames is there when the folder holds a frame.
    if (!overwrite) {
        std::error_code ec;
        for (const auto& file : {png_file, csv_file}) {
            if (!file.empty() && std::filesystem::exists(file, ec)) {
                std::cerr << "sonae-view: " << file
                          << " already exists; add --overwrite to replace it\n";
                return 1;
            }
        }
        if (!frames_dir.empty() && std::filesystem::is_directory(frames_dir, ec)) {
            for (const auto& entry : std::filesystem::directory_iterator(frames_dir, ec)) {
                if (is_frame_file_name(entry.path().filename().string())) {
                    std::cerr << "sonae-view: " << frames_dir
                              << " already holds pictures; add --overwrite to replace them\n";
                    return 1;
                }
            }
        }
    }
    try {
        const PictureSize size = parse_picture_size(size_text);
        const std::int64_t at_s = at_text.empty() ? 0 : parse_time_s(at_text);
        const std::int64_t every_s = every_text.empty() ? 0 : parse_time_s(every_text);

        const sim::TraceReader trace{std::filesystem::path(trace_file)};
        if (!png_file.empty() &&
            (at_s < trace.metadata().start_t_s || at_s > trace.metadata().end_t_s)) {
            throw InputError("--at is outside the trace, which runs from " +
                                 format_elapsed(trace.metadata().start_t_s) + " to " +
                                 format_elapsed(trace.metadata().end_t_s),
                             {.file = trace_file, .field = "--at", .value = at_text});
        }
        if (!csv_file.empty()) {
            ensure_not_an_input(csv_file, {trace_file});
            trace.write_events_csv(csv_file);
        }
        const bool headless = !png_file.empty() || !frames_dir.empty();
        if (!headless && !csv_file.empty()) return 0;
        // SFML needs an X display even off screen: pictures get a private Xvfb when there is
        // none (viewer/headless_display.hpp); the window needs a real one.
        if (headless) {
            ensure_display();
        } else if (!display_available()) {
            throw IoError(
                "there is no X display for the window (DISPLAY is not set or does not open); "
                "pictures need none: --png FILE --at TIME or --frames DIR --every 5m");
        }
        std::optional<std::filesystem::path> requested_font;
        if (!font_file.empty()) requested_font = font_file;
        const sf::Font font = load_japanese_font(requested_font);
        if (!headless) return run_window(trace, font);

        SceneRenderer renderer(trace, font);
        if (!png_file.empty()) {
            ensure_not_an_input(png_file, {trace_file});
            export_png(renderer, png_file, at_s, size);
            std::cout << "静止画 (picture) -> " << png_file << "（経過 " << format_elapsed(at_s)
                      << "）\n";
        }
        if (!frames_dir.empty()) {
            // The series is one set (geo/output_set.hpp): staged in a private folder and swapped
            // in whole, so a killed or failed export leaves the previous series or the new one,
            // never half of it; frames of a longer previous series go with it.
            OutputSet set(frames_dir, {trace_file});
            set.previous_entries(is_frame_file_name);
            const auto files = export_frames(renderer, set.dir(), every_s, size);
            set.commit();
            std::cout << "連続画像 " << files.size() << " 枚 (frames) -> " << frames_dir << "\n";
        }
        return 0;
    } catch (const InputError& e) {
        std::cerr << "sonae-view: " << e.what() << "\n";
        return 2;
    } catch (const IoError& e) {
        std::cerr << "sonae-view: " << e.what() << "\n";
        return 2;
    } catch (const InternalError& e) {
        std::cerr << "sonae-view: internal error (please report): " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "sonae-view: internal error (please report): " << e.what() << "\n";
        return 3;
    }
}
