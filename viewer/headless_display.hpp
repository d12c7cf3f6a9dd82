#pragma once
/// An X display for off-screen pictures on a machine without one (a server, CI).
///
/// Debian 12's SFML (2.5) makes every OpenGL context through GLX, so even an off-screen
/// sf::RenderTexture needs an X display, and SFML aborts the process (exit 134) when there is
/// none. When DISPLAY is unset or cannot be opened, sonae-view starts a private virtual X server
/// (Xvfb, package `xvfb`) for its own use, exactly as `xvfb-run -a` would: on a free display
/// number (-displayfd), without TCP, and ended with the process (PR_SET_PDEATHSIG). Nothing is
/// ever shown: the picture is drawn into an off-screen texture and written as PNG.

#include <string>

namespace sonae::viewer {

/// Makes sure this process can open an X display for OpenGL: the one in DISPLAY if it opens,
/// else a private Xvfb started now (DISPLAY is set to it for the rest of the process).
/// Returns the display name in use. Throws IoError naming what to install when no display
/// can be had (no Xvfb on PATH, or it does not start within 10 s). Call it before any SFML
/// graphics object is made; calling it again is cheap.
std::string ensure_display();

/// True if an X display can be opened now (DISPLAY set and the server answers).
bool display_available();

} // namespace sonae::viewer
