#include "viewer/headless_display.hpp"

#include "core/errno_text.hpp"
#include "core/error.hpp"

#include <X11/Xlib.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sonae::viewer {

namespace {

// An X server under load can refuse a connection now and then (seen with Xvfb and many
// short-lived clients: CI's xvfb-run under the parallel test suite; OpenSCAD retries for the
// same reason): a display counts as there if one of a few tries opens it.
bool opens(const char* name) {
    if (name == nullptr || *name == '\0') return false;
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (attempt > 0) usleep(100000U * static_cast<unsigned>(attempt));
        Display* d = XOpenDisplay(name);
        if (d != nullptr) {
            XCloseDisplay(d);
            return true;
        }
    }
    return false;
}

// Starts Xvfb and returns its display number, or throws.
std::string start_xvfb() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw IoError("cannot start Xvfb: " + errno_text());
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        const std::string why = errno_text(); // before close() may change errno
        close(fds[0]);
        close(fds[1]);
        throw IoError("cannot start Xvfb: " + why);
    }
    if (pid == 0) {
        // The server goes with us, whatever way we end.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1);
        close(fds[0]);
        // Xvfb writes the display number it chose to this descriptor once it accepts clients.
        const int fd = fcntl(fds[1], F_DUPFD, 3);
        if (fd < 0) _exit(127);
        const int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        const std::string fd_text = std::to_string(fd);
        execlp("Xvfb", "Xvfb", "-displayfd", fd_text.c_str(), "-nolisten", "tcp", "-screen", "0",
               "1280x1024x24", "-noreset", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    std::string number;
    bool done = false;
    const char* why = "it did not start within 10 s";
    while (!done) {
        pollfd p{fds[0], POLLIN, 0};
        const int ready = poll(&p, 1, 10000);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) break;
        char buf[32];
        const ssize_t got = read(fds[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            why = "it exited at once (is the package xvfb installed?)";
            break;
        }
        for (ssize_t k = 0; k < got; ++k) {
            if (buf[k] == '\n')
                done = true;
            else if (buf[k] >= '0' && buf[k] <= '9' && !done)
                number += buf[k];
        }
    }
    close(fds[0]);
    if (!done || number.empty()) {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        throw IoError(
            std::string("there is no X display (DISPLAY is not set or does not open) and a private "
                        "Xvfb could not be started: ") +
            why + "; install the package xvfb, or run under xvfb-run -a");
    }
    return ":" + number;
}

} // namespace

bool display_available() {
    return opens(std::getenv("DISPLAY"));
}

std::string ensure_display() {
    static std::string in_use;
    if (!in_use.empty()) return in_use;
    // Pictures are drawn on a private Xvfb whenever one can be started: the same software
    // renderer on every machine (a picture does not depend on the graphics card of the display
    // in DISPLAY), and no other program's clients on the server (a shared Xvfb under the
    // parallel test suite refused SFML's connection now and then, right after it had been
    // checked). Without Xvfb, the display in DISPLAY, if it opens.
    std::string name;
    try {
        name = start_xvfb();
    } catch (const IoError&) {
        if (display_available()) {
            in_use = std::getenv("DISPLAY");
            return in_use;
        }
        throw;
    }
    // The server answers once it has written its number; check before SFML relies on it.
    setenv("DISPLAY", name.c_str(), 1);
    if (!opens(name.c_str()))
        throw IoError("a private Xvfb started on " + name + " but does not accept connections");
    in_use = name;
    return in_use;
}

} // namespace sonae::viewer
