#include "viewer/playback.hpp"

#include <algorithm>
#include <cmath>

namespace sonae::viewer {

Playback::Playback(std::int64_t start_t_s, std::int64_t end_t_s)
    : m_start_t_s(start_t_s), m_end_t_s(std::max(start_t_s, end_t_s)),
      m_time_s(static_cast<double>(start_t_s)) {}

std::int64_t Playback::t_s() const {
    return static_cast<std::int64_t>(std::floor(m_time_s));
}

void Playback::toggle() {
    if (m_playing)
        pause();
    else
        play();
}

void Playback::play() {
    if (t_s() >= m_end_t_s) m_time_s = static_cast<double>(m_start_t_s);
    m_playing = true;
}

void Playback::faster() {
    m_speed_index = std::min(m_speed_index + 1, speeds.size() - 1);
}
void Playback::slower() {
    m_speed_index = m_speed_index > 0 ? m_speed_index - 1 : 0;
}

void Playback::set_speed(double speed) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < speeds.size(); ++i)
        if (std::abs(std::log(speeds[i] / speed)) < std::abs(std::log(speeds[best] / speed)))
            best = i;
    m_speed_index = best;
}

void Playback::seek(std::int64_t t_s) {
    m_time_s = static_cast<double>(std::clamp(t_s, m_start_t_s, m_end_t_s));
}

void Playback::advance(double real_s) {
    if (!m_playing || !(real_s > 0.0)) return;
    m_time_s += real_s * speed();
    if (m_time_s >= static_cast<double>(m_end_t_s)) {
        m_time_s = static_cast<double>(m_end_t_s);
        m_playing = false;
    }
}

} // namespace sonae::viewer
