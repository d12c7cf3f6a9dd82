#pragma once
/// Drawing one frame of a trace at a time t: roads by class, hazard areas in force at t,
/// facilities with occupancy and power gauges, homes coloured by the child's state with a
/// battery-margin ring, moving vehicles and family cars, labels, a legend (凡例), a time
/// label, a scale bar and the timeline. Draws into any sf::RenderTarget (a window or an
/// off-screen sf::RenderTexture); also answers "what is under this pixel".

#include "sim/trace.hpp"
#include "viewer/map_view.hpp"

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/RenderTexture.hpp>
#include <SFML/Graphics/Texture.hpp>
#include <SFML/Graphics/VertexArray.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonae::viewer {

/// What the user sees besides the map: time, playback, selection.
struct FrameState {
    std::int64_t t_s = 0;
    bool playing = false;
    double speed = 60.0; ///< simulated seconds per real second
    std::optional<sim::EntityId> selected;
    std::optional<std::size_t> selected_hazard;
    /// An exported picture: no interactive chrome (play bar, playback state, click hints).
    bool still = false;
};

/// The children at a time, by class; the classes add up to `total` (every home in the trace).
struct ChildCounts {
    std::size_t total = 0;
    std::size_t safe = 0;   ///< 到着 / 電源接続 (arrived, powered)
    std::size_t moving = 0; ///< 搬出中 / 積込み中 / 移動中
    std::size_t not_left =
        0; ///< 出発できていない: still at home (判断待ち, 荷造り中), planned to leave
    std::size_t stays_home = 0;   ///< 在宅避難: the plan keeps the child at home
    std::size_t failed = 0;       ///< 失敗 (battery out, deadline missed, cut off)
    std::size_t cannot_serve = 0; ///< 対応できない: the plan has no way to move the child
};

/// What the plan does with each home (index: entity), from the simulator's t = 0 notes
/// (sim/TRACE_FORMAT.md); entities that are not homes, and homes without a note, are `leaves`.
enum class HomePlan : std::uint8_t { leaves, stays_home, cannot_serve };
std::vector<HomePlan> home_plans(const sim::TraceReader& trace);

/// Counts the children (home entities) in `states` by class. A home the trace marks as not
/// served or staying home (a note at its first moment, sim/TRACE_FORMAT.md) counts as such
/// unless it failed; every other home by its state.
ChildCounts count_children(const sim::TraceReader& trace,
                           const std::vector<sim::EntityState>& states);

/// A label drawn on the map, where it went (tests check that none overlap).
struct PlacedLabel {
    std::string text;
    ScreenRect box;                      ///< the ink box with its white halo, screen pixels
    std::optional<sim::EntityId> entity; ///< none for a hazard area's name
};

/// Splits UTF-8 `text` into lines no wider than `width` pixels at `size` (on character
/// boundaries: Japanese has no spaces; a space, 、 or ・ is preferred when near the end).
/// At most `max_lines`; the last kept line ends in "…" if text was left out.
std::vector<std::string> wrap_text(const sf::Font& font, const std::string& text, unsigned size,
                                   float width, std::size_t max_lines);

/// The thing under a pixel.
struct Pick {
    enum class Kind { none, entity, hazard, timeline, play_button } kind = Kind::none;
    sim::EntityId entity;
    std::size_t hazard = 0;
    std::int64_t t_s = 0; ///< for timeline: the time at that x
};

/// Even-odd scanline fill of rings (screen pixels) into an RGBA buffer of width x height,
/// sampling at pixel centres; pixels already filled are blended half and half. Robust for
/// concave, self-touching and holed polygons. O(rows x edges).
void fill_even_odd(std::vector<std::uint8_t>& rgba, unsigned width, unsigned height,
                   const std::vector<std::vector<ScreenPoint>>& rings, sf::Color colour);
/// Even-odd point-in-polygon over all rings (map metres or pixels alike).
bool inside_even_odd(const std::vector<std::vector<geo::XY>>& rings, geo::XY p);

/// "1:05:00" (h:mm:ss) from seconds, with a minus sign before the origin.
std::string format_elapsed(std::int64_t t_s);
/// Local wall-clock "2025-06-30 09:25" from the trace's epoch, or "" if unknown.
std::string format_clock(const sim::TraceMetadata& metadata, std::int64_t t_s);
/// A drill delay as the viewer prints it: "+45分", "-3分", "±0分" (rounded to minutes).
std::string format_delay(std::int64_t delay_s);

/// A drill child and its delay at a time, for the side panel's list.
struct DrillDelay {
    std::size_t child = 0; ///< index into TraceReader::drill_children()
    std::int64_t delay_s = 0;
};
/// The children of a drill replay by delay at t_s, largest first (ties by label); children
/// without a figure at t_s are left out.
std::vector<DrillDelay> drill_delays_at(const sim::TraceReader& trace, std::int64_t t_s);

/// Renders frames of one trace. Keeps the trace's geometry in map metres and caches screen
/// geometry (roads, hazard raster) until the viewport or the hazard stages in force change,
/// so a playback frame only rebuilds the moving markers. Not thread-safe.
class SceneRenderer {
public:
    /// `trace` and `font` must outlive the renderer.
    SceneRenderer(const sim::TraceReader& trace, const sf::Font& font);

    /// The viewport showing the whole trace extent in layout.map.
    Viewport initial_viewport(const Layout& layout) const;
    /// Draws a full frame (map, sidebar, timeline) into `target` of layout's size.
    void draw(sf::RenderTarget& target, const Layout& layout, const Viewport& viewport,
              const FrameState& frame);
    /// What is at pixel p at time t_s (markers within 10 px, nearest first; then hazards).
    Pick pick(ScreenPoint p, const Layout& layout, const Viewport& viewport, std::int64_t t_s);

    /// Where the legend box is drawn (tests look for it).
    static ScreenRect legend_rect(const Layout& layout);
    /// Timeline track: x of a time and time of an x.
    double timeline_x(const Layout& layout, std::int64_t t_s) const;
    std::int64_t timeline_time(const Layout& layout, double x) const;

    const sim::TraceReader& trace() const { return *m_trace; }
    /// The map labels of the last frame drawn (placed greedily, none overlapping; labels that
    /// found no free place are left out).
    const std::vector<PlacedLabel>& placed_labels() const { return m_placed; }
    /// States at t_s (cached cursor; seeking decodes at most one block).
    const std::vector<sim::EntityState>& states_at(std::int64_t t_s) {
        return m_cursor.states_at(t_s);
    }

private:
    void rebuild_roads(const Viewport& viewport);
    void rebuild_hazards(const Viewport& viewport, const std::vector<int>& stages);
    void draw_markers(sf::RenderTarget& target, const Viewport& viewport, const FrameState& frame,
                      const std::vector<sim::EntityState>& states);
    void draw_labels(sf::RenderTarget& target, const Viewport& viewport,
                     const std::vector<sim::EntityState>& states,
                     const std::vector<int>& hazard_stages);
    /// Bottom of the sidebar's heading (title, time), where the legend may start.
    float draw_sidebar_heading(sf::RenderTarget& target, const Layout& layout,
                               const FrameState& frame);
    void draw_map_overlay(sf::RenderTarget& target, const Layout& layout, const Viewport& viewport,
                          const FrameState& frame);
    void draw_sidebar(sf::RenderTarget& target, const Layout& layout, const FrameState& frame,
                      const std::vector<sim::EntityState>& states);
    float draw_legend(sf::RenderTarget& target, const Layout& layout);
    float draw_legend_contents(sf::RenderTarget& target, const Layout& layout);
    void draw_details(sf::RenderTarget& target, const Layout& layout, float top,
                      const FrameState& frame, const std::vector<sim::EntityState>& states);
    void draw_timeline(sf::RenderTarget& target, const Layout& layout, const FrameState& frame);
    geo::LonLat marker_position(std::size_t entity, const sim::EntityState& state) const;
    /// A drill move (recorded or ghost) is not drawn while it waits at home (the home shows it)
    /// nor once both moves of its child are at the destination (the gap is closed).
    bool hidden_drill_move(std::size_t entity, const std::vector<sim::EntityState>& states) const;
    void draw_drill_gaps(sf::RenderTarget& target, const Viewport& viewport, std::int64_t t_s,
                         const std::vector<sim::EntityState>& states);

    /// Role of each entity in a drill replay and the index of its drill child.
    enum class DrillRole : std::uint8_t { none, home, recorded, planned };
    std::vector<DrillRole> m_drill_role;
    std::vector<std::size_t> m_drill_child;
    std::vector<bool> m_drill_both_move; // per drill child: both moves leave home
    std::int64_t m_cursor_t_s = 0;       // time of the frame being drawn

    const sim::TraceReader* m_trace;
    const sf::Font* m_font;
    sim::TraceCursor m_cursor;
    MapProjection m_projection;
    std::vector<std::vector<geo::XY>> m_roads_m; // drawing order: thin roads first
    std::vector<geo::RoadClass> m_road_classes;  // class of each m_roads_m entry
    std::vector<std::vector<std::vector<std::vector<geo::XY>>>> m_hazards_m; // hazard, stage, ring
    std::vector<bool> m_hazard_kind_present;
    std::vector<HomePlan> m_home_plan; // per entity
    std::vector<PlacedLabel> m_placed;

    std::optional<Viewport> m_roads_for;
    sf::VertexArray m_roads;
    std::optional<Viewport> m_hazards_for;
    std::vector<int> m_hazard_stages_for;
    sf::Texture m_hazard_texture;
    sf::IntRect m_hazard_box; // part of the texture with hazards in it
    std::vector<std::uint8_t> m_hazard_pixels;
    sf::VertexArray m_hazard_outlines;
    bool m_hazard_any = false;
    sf::Texture m_atlas;
    sf::VertexArray m_markers;  // textured (atlas): facilities, homes, selection
    sf::VertexArray m_vehicles; // plain polygons: vehicles and family cars
    std::unique_ptr<sf::RenderTexture> m_legend;
    sf::Vector2u m_legend_size;
};

} // namespace sonae::viewer
