#pragma once
/// The replay clock: play and pause, speed from 1x to 3600x, seek and step, clamped to the
/// trace's time range. Pure arithmetic, testable without a window.

#include <array>
#include <cstdint>

namespace sonae::viewer {

class Playback {
public:
    /// Speeds offered, in simulated seconds per real second.
    static constexpr std::array<double, 11> speeds = {1,   2,   5,   10,   30,  60,
                                                      120, 300, 600, 1200, 3600};

    Playback(std::int64_t start_t_s, std::int64_t end_t_s);

    std::int64_t t_s() const; ///< current time, whole seconds
    double time_s() const { return m_time_s; }
    bool playing() const { return m_playing; }
    double speed() const { return speeds[m_speed_index]; }

    void toggle();
    void pause() { m_playing = false; }
    /// Plays; from the end, starts again at the beginning.
    void play();
    void faster();
    void slower();
    /// Picks the offered speed nearest to `speed`.
    void set_speed(double speed);
    /// Jumps to t_s (clamped to the range).
    void seek(std::int64_t t_s);
    /// Moves by delta_s (clamped).
    void step(std::int64_t delta_s) { seek(t_s() + delta_s); }
    /// Advances by real_s wall seconds at the current speed when playing; pauses at the end.
    void advance(double real_s);

private:
    std::int64_t m_start_t_s;
    std::int64_t m_end_t_s;
    double m_time_s;
    bool m_playing = false;
    std::size_t m_speed_index = 5; // 60x: an hour of evacuation in a minute
};

} // namespace sonae::viewer
