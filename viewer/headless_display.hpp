#pragma once
/// An X display for off-screen pictures on a machine without one (a server, CI).
///
/// Debian 12's SFML (2.5) makes every OpenGL context through GLX, so even an off-screen
/// sf::RenderTexture needs an X display, and SFML aborts the process (exit 134) when there is
/// none. For pictures sonae-view starts a private virtual X server (Xvfb, package `xvfb`) for
/// its own use, exactly as `xvfb-run -a` would: on a free display number (-displayfd), without
/// TCP, and ended with the process (PR_SET_PDEATHSIG); only without Xvfb does it draw on the
/// display in DISPLAY. Nothing is ever shown: the picture is drawn into an off-screen texture
/// and written as PNG.

#include <string>

namespace sonae::viewer {

/// Makes sure this process can open an X display for off-screen OpenGL: a private Xvfb started
/// now (DISPLAY is set to it for the rest of the process), else, when Xvfb cannot be started,
/// the one in DISPLAY if it opens. Returns the display name in use. Throws IoError naming what
/// to install when no display can be had. Call it before any SFML graphics object is made;
/// calling it again is cheap.
std::string ensure_display();

/// True if an X display can be opened now (DISPLAY set and the server answers).
bool display_available();

} // namespace sonae::viewer
