#pragma once
// A progress bar on standard error for long work: a redrawn bar on a terminal, one line per
// stage otherwise (logs, CI), with the seconds since the bar started.

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <unistd.h>

namespace sonae::app {

class ProgressBar {
public:
    explicit ProgressBar(std::string title) : m_title(std::move(title)), m_tty(::isatty(2) != 0) {}
    ~ProgressBar() { finish(); }

    void operator()(std::string_view stage, double fraction) {
        if (m_tty) {
            const int width = 30;
            const int filled = static_cast<int>(fraction * width + 0.5);
            std::string bar(static_cast<std::size_t>(filled), '#');
            bar.resize(width, '.');
            std::fprintf(stderr, "\r%s [%s] %3d%% %-28.*s", m_title.c_str(), bar.c_str(),
                         static_cast<int>(fraction * 100 + 0.5), static_cast<int>(stage.size()),
                         stage.data());
            std::fflush(stderr);
            m_open = true;
        } else if (stage != m_last) {
            const std::chrono::duration<double> elapsed =
                std::chrono::steady_clock::now() - m_start;
            std::fprintf(stderr, "%s: %.*s (%.1f s)\n", m_title.c_str(),
                         static_cast<int>(stage.size()), stage.data(), elapsed.count());
            m_last = std::string(stage);
        }
    }

    void finish() {
        if (m_open) std::fprintf(stderr, "\n");
        m_open = false;
    }

private:
    std::string m_title;
    bool m_tty;
    bool m_open = false;
    std::string m_last;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

} // namespace sonae::app
