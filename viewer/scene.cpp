#include "viewer/scene.hpp"

#include "core/calendar.hpp"
#include "core/time_text.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/RectangleShape.hpp>
#include <SFML/Graphics/RenderTexture.hpp>
#include <SFML/Graphics/Sprite.hpp>
#include <SFML/Graphics/Text.hpp>
#include <SFML/Graphics/View.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

namespace sonae::viewer {

namespace {

using sim::EntityKind;
using sim::StateCode;

constexpr unsigned atlas_cell = 32;
enum AtlasCell {
    cell_disc = 0,
    cell_ring = 1,
    cell_diamond = 2,
    cell_square = 3,
    cell_solid = 4,
    cell_count = 5
};

sf::Image make_atlas() {
    sf::Image image;
    image.create(atlas_cell * cell_count, atlas_cell, sf::Color::Transparent);
    const double c = atlas_cell / 2.0;
    const double r = atlas_cell / 2.0 - 2.0;
    for (unsigned cell = 0; cell < cell_count; ++cell) {
        for (unsigned y = 0; y < atlas_cell; ++y) {
            for (unsigned x = 0; x < atlas_cell; ++x) {
                const double dx = x + 0.5 - c;
                const double dy = y + 0.5 - c;
                const double rr = std::hypot(dx, dy);
                double d = 0.0;
                switch (cell) {
                case cell_disc: d = rr - r; break;
                case cell_ring: d = std::max(rr - r, r * 0.62 - rr); break;
                case cell_diamond: d = (std::abs(dx) + std::abs(dy) - r) / std::sqrt(2.0); break;
                case cell_square: d = std::max(std::abs(dx), std::abs(dy)) - (r - 1.0); break;
                default: d = -10.0; break;
                }
                const double a = std::clamp(0.5 - d, 0.0, 1.0);
                image.setPixel(
                    cell * atlas_cell + x, y,
                    sf::Color(255, 255, 255, static_cast<sf::Uint8>(std::lround(a * 255))));
            }
        }
    }
    return image;
}

void add_textured_quad(sf::VertexArray& va, sf::Vector2f centre, float size, AtlasCell cell,
                       sf::Color colour) {
    const float h = size / 2.0f;
    const float u0 = static_cast<float>(cell * atlas_cell);
    const float u1 = u0 + atlas_cell;
    const float v1 = static_cast<float>(atlas_cell);
    const sf::Vertex tl({centre.x - h, centre.y - h}, colour, {u0, 0.f});
    const sf::Vertex tr({centre.x + h, centre.y - h}, colour, {u1, 0.f});
    const sf::Vertex br({centre.x + h, centre.y + h}, colour, {u1, v1});
    const sf::Vertex bl({centre.x - h, centre.y + h}, colour, {u0, v1});
    va.append(tl);
    va.append(tr);
    va.append(br);
    va.append(tl);
    va.append(br);
    va.append(bl);
}

void add_rect(sf::VertexArray& va, float left, float top, float width, float height,
              sf::Color colour) {
    const sf::Vector2f tex(cell_solid * atlas_cell + atlas_cell / 2.0f, atlas_cell / 2.0f);
    const sf::Vertex tl({left, top}, colour, tex);
    const sf::Vertex tr({left + width, top}, colour, tex);
    const sf::Vertex br({left + width, top + height}, colour, tex);
    const sf::Vertex bl({left, top + height}, colour, tex);
    va.append(tl);
    va.append(tr);
    va.append(br);
    va.append(tl);
    va.append(br);
    va.append(bl);
}

// Quads (4 vertices) for the many vehicle symbols: a third fewer vertices than triangles.
void add_quad4(sf::VertexArray& va, sf::Vector2f a, sf::Vector2f b, sf::Vector2f c, sf::Vector2f d,
               sf::Color colour) {
    va.append({a, colour});
    va.append({b, colour});
    va.append({c, colour});
    va.append({d, colour});
}

void add_thick_line(sf::VertexArray& va, sf::Vector2f a, sf::Vector2f b, float width,
                    sf::Color colour) {
    const sf::Vector2f d = b - a;
    const float len = std::sqrt(d.x * d.x + d.y * d.y);
    if (len <= 0.0f) return;
    const sf::Vector2f n(-d.y / len * width / 2.0f, d.x / len * width / 2.0f);
    va.append({a + n, colour});
    va.append({b + n, colour});
    va.append({b - n, colour});
    va.append({a + n, colour});
    va.append({b - n, colour});
    va.append({a - n, colour});
}

sf::Vector2f vec(ScreenPoint p) {
    return {static_cast<float>(p.x), static_cast<float>(p.y)};
}

sf::Text make_text(const sf::Font& font, const std::string& utf8, unsigned size, sf::Color colour) {
    sf::Text text(sf::String::fromUtf8(utf8.begin(), utf8.end()), font, size);
    text.setFillColor(colour);
    return text;
}

void draw_text(sf::RenderTarget& target, const sf::Font& font, const std::string& utf8, float x,
               float y, unsigned size, sf::Color colour, float halo = 0.0f) {
    sf::Text text = make_text(font, utf8, size, colour);
    text.setPosition(std::round(x), std::round(y));
    if (halo > 0.0f) {
        text.setOutlineColor(sf::Color(255, 255, 255, 230));
        text.setOutlineThickness(halo);
    }
    target.draw(text);
}

void fill_rect(sf::RenderTarget& target, float left, float top, float width, float height,
               sf::Color fill, sf::Color outline = sf::Color::Transparent, float thickness = 0.0f) {
    sf::RectangleShape r({width, height});
    r.setPosition(left, top);
    r.setFillColor(fill);
    if (thickness > 0.0f) {
        r.setOutlineColor(outline);
        r.setOutlineThickness(thickness);
    }
    // Opaque shapes need no blending; skipping it halves their cost on software GL.
    const bool opaque = fill.a == 255 && (thickness <= 0.0f || outline.a == 255);
    target.draw(r, opaque ? sf::RenderStates(sf::BlendNone) : sf::RenderStates::Default);
}

std::string format_minutes(double minutes) {
    if (std::isnan(minutes)) return "対象外";
    char buf[48];
    if (std::abs(minutes) >= 120.0)
        std::snprintf(buf, sizeof buf, "%.1f 時間", minutes / 60.0);
    else
        std::snprintf(buf, sizeof buf, "%.0f 分", minutes);
    return buf;
}

bool is_vehicle(EntityKind k) {
    return k == EntityKind::vehicle || k == EntityKind::family_car;
}

} // namespace

// ---------------------------------------------------------------- helpers

void fill_even_odd(std::vector<std::uint8_t>& rgba, unsigned width, unsigned height,
                   const std::vector<std::vector<ScreenPoint>>& rings, sf::Color colour) {
    struct Edge {
        double y0, y1, x0, slope;
    };
    std::vector<Edge> edges;
    double min_y = 1e300, max_y = -1e300;
    for (const auto& ring : rings) {
        const std::size_t n = ring.size();
        for (std::size_t i = 0; i < n; ++i) {
            ScreenPoint a = ring[i];
            ScreenPoint b = ring[(i + 1) % n];
            if (a.y == b.y) continue;
            if (a.y > b.y) std::swap(a, b);
            edges.push_back({a.y, b.y, a.x, (b.x - a.x) / (b.y - a.y)});
            min_y = std::min(min_y, a.y);
            max_y = std::max(max_y, b.y);
        }
    }
    if (edges.empty()) return;
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.y0 < b.y0; });
    const long row_begin = std::max(0L, static_cast<long>(std::floor(min_y)));
    const long row_end =
        std::min(static_cast<long>(height), static_cast<long>(std::ceil(max_y)) + 1);
    std::vector<double> xs;
    for (long row = row_begin; row < row_end; ++row) {
        const double y = row + 0.5;
        xs.clear();
        for (const auto& e : edges) {
            if (e.y0 > y) break;
            // Half-open [y0, y1) so a vertex on the scan line counts once.
            if (y < e.y1) xs.push_back(e.x0 + (y - e.y0) * e.slope);
        }
        std::sort(xs.begin(), xs.end());
        for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
            const long x_begin = std::max(0L, static_cast<long>(std::ceil(xs[i] - 0.5)));
            const long x_end =
                std::min(static_cast<long>(width), static_cast<long>(std::ceil(xs[i + 1] - 0.5)));
            for (long x = x_begin; x < x_end; ++x) {
                std::uint8_t* p =
                    &rgba[(static_cast<std::size_t>(row) * width + static_cast<std::size_t>(x)) *
                          4];
                if (p[3] == 0) {
                    p[0] = colour.r;
                    p[1] = colour.g;
                    p[2] = colour.b;
                    p[3] = colour.a;
                } else {
                    p[0] = static_cast<std::uint8_t>((p[0] + colour.r) / 2);
                    p[1] = static_cast<std::uint8_t>((p[1] + colour.g) / 2);
                    p[2] = static_cast<std::uint8_t>((p[2] + colour.b) / 2);
                    p[3] = std::max(p[3], colour.a);
                }
            }
        }
    }
}

bool inside_even_odd(const std::vector<std::vector<geo::XY>>& rings, geo::XY p) {
    bool inside = false;
    for (const auto& ring : rings) {
        const std::size_t n = ring.size();
        for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
            const auto& a = ring[i];
            const auto& b = ring[j];
            if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
                inside = !inside;
        }
    }
    return inside;
}

std::string format_elapsed(std::int64_t t_s) {
    return core::elapsed_text(t_s, {.seconds = true});
}

std::string format_clock(const sim::TraceMetadata& metadata, std::int64_t t_s) {
    if (metadata.epoch_unix_s == 0) return {};
    return core::civil_time_text(metadata.epoch_unix_s + metadata.utc_offset_s + t_s, false);
}

std::string format_delay(std::int64_t delay_s) {
    const long long minutes = std::llround(static_cast<double>(delay_s) / 60.0);
    if (minutes == 0) return "±0分";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+lld分", minutes);
    return buf;
}

std::vector<DrillDelay> drill_delays_at(const sim::TraceReader& trace, std::int64_t t_s) {
    std::vector<DrillDelay> out;
    const auto children = trace.drill_children();
    for (std::size_t i = 0; i < children.size(); ++i) {
        if (const auto d = children[i].delay_at(t_s)) out.push_back({i, *d});
    }
    std::sort(out.begin(), out.end(), [&](const DrillDelay& a, const DrillDelay& b) {
        if (a.delay_s != b.delay_s) return a.delay_s > b.delay_s;
        return children[a.child].label < children[b.child].label;
    });
    return out;
}

std::vector<HomePlan> home_plans(const sim::TraceReader& trace) {
    // The notes are at t = 0 and events are in time order: only the first few are read.
    const auto entities = trace.entities();
    std::vector<HomePlan> plan(entities.size(), HomePlan::leaves);
    for (const auto& ev : trace.events()) {
        if (ev.t_s > 0) break;
        if (ev.t_s < 0 || ev.kind != sim::EventKind::note || !ev.entity.valid() ||
            ev.entity.value() >= plan.size() ||
            entities[ev.entity.value()].kind != EntityKind::home)
            continue;
        const std::string_view text = ev.text;
        if (text.substr(0, sim::cannot_serve_note.size()) == sim::cannot_serve_note)
            plan[ev.entity.value()] = HomePlan::cannot_serve;
        else if (text.substr(0, sim::stays_home_note.size()) == sim::stays_home_note)
            plan[ev.entity.value()] = HomePlan::stays_home;
    }
    return plan;
}

ChildCounts count_children(const sim::TraceReader& trace,
                           const std::vector<sim::EntityState>& states) {
    using Plan = HomePlan;
    const auto entities = trace.entities();
    const std::vector<Plan> plan = home_plans(trace);
    ChildCounts c;
    for (std::size_t i = 0; i < entities.size() && i < states.size(); ++i) {
        if (entities[i].kind != EntityKind::home) continue;
        ++c.total;
        const auto code = states[i].present ? states[i].sample.state : StateCode::unknown;
        switch (code) {
        case StateCode::failed: ++c.failed; break;
        case StateCode::arrived:
        case StateCode::powered: ++c.safe; break;
        case StateCode::carrying_out:
        case StateCode::loading:
        case StateCode::travelling: ++c.moving; break;
        default: // unknown, idle, waiting, packing: at home
            if (plan[i] == Plan::cannot_serve)
                ++c.cannot_serve;
            else if (plan[i] == Plan::stays_home)
                ++c.stays_home;
            else
                ++c.not_left;
            break;
        }
    }
    return c;
}

std::vector<std::string> wrap_text(const sf::Font& font, const std::string& text, unsigned size,
                                   float width, std::size_t max_lines) {
    std::vector<std::string> out;
    if (max_lines == 0) return out;
    const sf::String all = sf::String::fromUtf8(text.begin(), text.end());
    auto advance = [&](sf::Uint32 cp) { return font.getGlyph(cp, size, false).advance; };
    auto to_utf8 = [](const sf::String& s) {
        const auto bytes = s.toUtf8();
        return std::string(bytes.begin(), bytes.end());
    };
    const float ellipsis = advance(0x2026);
    std::size_t start = 0;
    const std::size_t n = all.getSize();
    while (start < n && out.size() < max_lines) {
        while (start < n && all[start] == ' ') ++start; // no line begins with a space
        if (start >= n) break;
        const bool last_line = out.size() + 1 == max_lines;
        float used = 0.0f;
        std::size_t end = start;
        std::size_t soft = start; // after the last space, 、, ・ or ) on this line
        while (end < n) {
            const float w = advance(all[end]);
            if (used + w > width && end > start) break;
            used += w;
            const sf::Uint32 cp = all[end];
            ++end;
            if (cp == ' ' || cp == 0x3001 || cp == 0x30FB || cp == ')' || cp == 0xFF09 ||
                cp == 0x3000)
                soft = end;
            if (end < n && (all[end] == 0xFF08 || all[end] == '(' || all[end] == 0x300C) &&
                end > start)
                soft = end;
        }
        // A line never begins with closing punctuation (、。・）」ー): take one character less.
        const auto no_start = [](sf::Uint32 cp) {
            return cp == 0x3001 || cp == 0x3002 || cp == 0x30FB || cp == 0xFF09 || cp == ')' ||
                   cp == 0x300D || cp == 0x30FC || cp == 0xFF0C || cp == ',';
        };
        if (end < n && !last_line && end > start + 1 && no_start(all[end]))
            used -= advance(all[--end]);
        if (end < n && last_line) {
            // Text is left out: end the last line with "…", taking characters off to make room.
            while (end > start + 1 && used + ellipsis > width) used -= advance(all[--end]);
            out.push_back(to_utf8(all.substring(start, end - start)) + "…");
            return out;
        }
        // Break after a soft point if it keeps at least two thirds of the line.
        if (end < n && soft > start && (soft - start) * 3 >= (end - start) * 2) end = soft;
        std::string line = to_utf8(all.substring(start, end - start));
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out.push_back(std::move(line));
        start = end;
    }
    return out;
}

// ---------------------------------------------------------------- renderer

SceneRenderer::SceneRenderer(const sim::TraceReader& trace, const sf::Font& font)
    : m_trace(&trace), m_font(&font), m_cursor(trace),
      m_hazard_kind_present(static_cast<std::size_t>(sim::HazardKind::count_), false),
      m_roads(sf::Triangles), m_hazard_outlines(sf::Triangles), m_markers(sf::Triangles),
      m_vehicles(sf::Quads) {
    const auto& meta = trace.metadata();
    m_projection = MapProjection({(meta.extent_min.lon + meta.extent_max.lon) / 2.0,
                                  (meta.extent_min.lat + meta.extent_max.lat) / 2.0});
    // Minor roads first so major roads are drawn over them.
    std::vector<std::size_t> order(trace.roads().size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return style::road_width_px(trace.roads()[a].road_class) <
               style::road_width_px(trace.roads()[b].road_class);
    });
    for (const auto i : order) {
        const auto& road = trace.roads()[i];
        std::vector<geo::XY> pts;
        pts.reserve(road.points.size());
        for (const auto& p : road.points) pts.push_back(m_projection.forward(p));
        m_roads_m.push_back(std::move(pts));
        m_road_classes.push_back(road.road_class);
    }
    for (const auto& h : trace.hazards()) {
        m_hazard_kind_present[static_cast<std::size_t>(h.kind)] = true;
        std::vector<std::vector<std::vector<geo::XY>>> stages;
        for (const auto& st : h.stages) {
            std::vector<std::vector<geo::XY>> rings;
            for (const auto& ring : st.rings) {
                std::vector<geo::XY> r;
                for (const auto& p : ring) r.push_back(m_projection.forward(p));
                rings.push_back(std::move(r));
            }
            stages.push_back(std::move(rings));
        }
        m_hazards_m.push_back(std::move(stages));
    }
    m_drill_role.assign(trace.entities().size(), DrillRole::none);
    m_drill_child.assign(trace.entities().size(), 0);
    const auto drill = trace.drill_children();
    for (std::size_t c = 0; c < drill.size(); ++c) {
        const std::pair<sim::EntityId, DrillRole> roles[] = {
            {drill[c].home, DrillRole::home},
            {drill[c].recorded, DrillRole::recorded},
            {drill[c].planned, DrillRole::planned}};
        for (const auto& [id, role] : roles) {
            m_drill_role[id.value()] = role;
            m_drill_child[id.value()] = c;
        }
    }
    // Whether both moves of a drill child leave home (the plan may have no departure time).
    m_drill_both_move.assign(drill.size(), false);
    if (!drill.empty()) {
        sim::TraceCursor cursor(trace);
        auto moves = [&](sim::EntityId id) {
            for (const auto& [t, sample] : cursor.samples_of(id))
                if (sample.state != StateCode::waiting && sample.state != StateCode::idle)
                    return true;
            return false;
        };
        for (std::size_t c = 0; c < drill.size(); ++c)
            m_drill_both_move[c] = moves(drill[c].recorded) && moves(drill[c].planned);
    }
    m_home_plan = home_plans(trace);
    m_atlas.loadFromImage(make_atlas());
    // Bilinear only: mipmapped sampling is slow on software renderers (Mesa llvmpipe).
    m_atlas.setSmooth(true);
}

Viewport SceneRenderer::initial_viewport(const Layout& layout) const {
    const auto& meta = m_trace->metadata();
    Viewport v = Viewport::fit(meta.extent_min, meta.extent_max, layout.map, initial_margin);
    // Use this renderer's projection centre (same as fit's) so cached metres stay valid.
    return Viewport(m_projection, layout.map, v.centre(), v.metres_per_pixel());
}

ScreenRect SceneRenderer::legend_rect(const Layout& layout) {
    const auto& s = layout.sidebar;
    return {s.left + 10.0, s.top + 96.0, s.width - 20.0, 336.0};
}

double SceneRenderer::timeline_x(const Layout& layout, std::int64_t t_s) const {
    const auto& meta = m_trace->metadata();
    const double left = layout.timeline.left + 190.0;
    const double right = layout.timeline.left + layout.timeline.width - 150.0;
    const double span = std::max<double>(1.0, static_cast<double>(meta.end_t_s - meta.start_t_s));
    const double f = std::clamp(static_cast<double>(t_s - meta.start_t_s) / span, 0.0, 1.0);
    return left + f * std::max(right - left, 1.0);
}

std::int64_t SceneRenderer::timeline_time(const Layout& layout, double x) const {
    const auto& meta = m_trace->metadata();
    const double left = layout.timeline.left + 190.0;
    const double right = layout.timeline.left + layout.timeline.width - 150.0;
    const double f = std::clamp((x - left) / std::max(right - left, 1.0), 0.0, 1.0);
    return meta.start_t_s + static_cast<std::int64_t>(std::llround(
                                f * static_cast<double>(meta.end_t_s - meta.start_t_s)));
}

void SceneRenderer::rebuild_roads(const Viewport& viewport) {
    m_roads.clear();
    const auto& area = viewport.area();
    const double pad = 10.0;
    for (std::size_t k = 0; k < m_roads_m.size(); ++k) {
        const auto road_class = m_road_classes[k];
        const auto& pts = m_roads_m[k];
        const sf::Color colour = style::road_colour(road_class);
        float width = style::road_width_px(road_class);
        // Thin everything a little when zoomed far out so the map does not turn solid.
        if (viewport.metres_per_pixel() > 20.0) width = std::max(0.8f, width * 0.6f);
        ScreenPoint prev = viewport.to_screen(pts.front());
        for (std::size_t j = 1; j < pts.size(); ++j) {
            const ScreenPoint cur = viewport.to_screen(pts[j]);
            const bool off =
                (prev.x < area.left - pad && cur.x < area.left - pad) ||
                (prev.y < area.top - pad && cur.y < area.top - pad) ||
                (prev.x > area.left + area.width + pad && cur.x > area.left + area.width + pad) ||
                (prev.y > area.top + area.height + pad && cur.y > area.top + area.height + pad);
            if (!off) add_thick_line(m_roads, vec(prev), vec(cur), width, colour);
            prev = cur;
        }
    }
    m_roads_for = viewport;
}

void SceneRenderer::rebuild_hazards(const Viewport& viewport, const std::vector<int>& stages) {
    const auto& area = viewport.area();
    const auto w = static_cast<unsigned>(std::max(1.0, std::round(area.width)));
    const auto h = static_cast<unsigned>(std::max(1.0, std::round(area.height)));
    m_hazard_pixels.assign(static_cast<std::size_t>(w) * h * 4, 0);
    m_hazard_outlines.clear();
    m_hazard_any = false;
    double box_min_x = 1e300, box_min_y = 1e300, box_max_x = -1e300, box_max_y = -1e300;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (stages[i] < 0) continue;
        const auto kind = m_trace->hazards()[i].kind;
        sf::Color fill = style::hazard_colour(kind);
        fill.a = style::hazard_fill_alpha;
        std::vector<std::vector<ScreenPoint>> rings;
        for (const auto& ring : m_hazards_m[i][static_cast<std::size_t>(stages[i])]) {
            std::vector<ScreenPoint> r;
            r.reserve(ring.size());
            for (const auto& p : ring) {
                ScreenPoint s = viewport.to_screen(p);
                r.push_back({s.x - area.left, s.y - area.top});
                box_min_x = std::min(box_min_x, r.back().x);
                box_min_y = std::min(box_min_y, r.back().y);
                box_max_x = std::max(box_max_x, r.back().x);
                box_max_y = std::max(box_max_y, r.back().y);
            }
            for (std::size_t j = 0; j < ring.size(); ++j) {
                const ScreenPoint a = viewport.to_screen(ring[j]);
                const ScreenPoint b = viewport.to_screen(ring[(j + 1) % ring.size()]);
                add_thick_line(m_hazard_outlines, vec(a), vec(b), 1.5f, style::hazard_colour(kind));
            }
            rings.push_back(std::move(r));
        }
        fill_even_odd(m_hazard_pixels, w, h, rings, fill);
        m_hazard_any = true;
    }
    if (m_hazard_texture.getSize() != sf::Vector2u(w, h)) m_hazard_texture.create(w, h);
    m_hazard_texture.update(m_hazard_pixels.data());
    // Blit only the part that holds hazards: full-screen blending is costly in software GL.
    // Clamp as doubles first: the box may be empty (+-1e300) or far off screen.
    auto to_px = [](double v, unsigned limit) {
        return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(limit)));
    };
    const int x0 = to_px(std::floor(box_min_x) - 1, w);
    const int y0 = to_px(std::floor(box_min_y) - 1, h);
    const int x1 = to_px(std::ceil(box_max_x) + 1, w);
    const int y1 = to_px(std::ceil(box_max_y) + 1, h);
    m_hazard_box = sf::IntRect(x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0));
    m_hazards_for = viewport;
    m_hazard_stages_for = stages;
}

geo::LonLat SceneRenderer::marker_position(std::size_t entity,
                                           const sim::EntityState& state) const {
    const auto& e = m_trace->entities()[entity];
    // Homes and facilities stay where they are; vehicles move with their samples.
    if (!is_vehicle(e.kind) || !state.present) return e.position;
    return state.sample.position;
}

bool SceneRenderer::hidden_drill_move(std::size_t entity,
                                      const std::vector<sim::EntityState>& states) const {
    const auto role = m_drill_role[entity];
    if (role != DrillRole::recorded && role != DrillRole::planned) return false;
    const auto& state = states[entity];
    if (!state.present || state.sample.state == StateCode::waiting) return true;
    // Once both moves are at the destination the gap is closed: the home's colour and label
    // tell the rest, and the facility's symbol is not covered.
    const auto& child = m_trace->drill_children()[m_drill_child[entity]];
    auto done = [&](sim::EntityId id) {
        const auto& st = states[id.value()];
        return st.present &&
               (st.sample.state == StateCode::arrived || st.sample.state == StateCode::powered);
    };
    // A child the plan does not move (在宅避難, cannot be served: its ghost never leaves home)
    // has no destination to draw the recorded move to; once the record says it arrived, its
    // square would sit on the home as if the child were still there: it goes too.
    return done(child.recorded) &&
           (done(child.planned) || !m_drill_both_move[m_drill_child[entity]]);
}

void SceneRenderer::draw_drill_gaps(sf::RenderTarget& target, const Viewport& viewport,
                                    std::int64_t t_s, const std::vector<sim::EntityState>& states) {
    // A line from each child's recorded position to its ghost, coloured by the delay: the gap
    // the room sees at a glance. A move still at home counts as being at home.
    sf::VertexArray lines(sf::Triangles);
    const auto drill = m_trace->drill_children();
    for (std::size_t c = 0; c < drill.size(); ++c) {
        if (!m_drill_both_move[c])
            continue; // a ghost that never leaves home says nothing about the road
        const auto& child = drill[c];
        const auto r = child.recorded.value();
        const auto p = child.planned.value();
        const ScreenPoint a = viewport.to_screen(marker_position(r, states[r]));
        const ScreenPoint b = viewport.to_screen(marker_position(p, states[p]));
        if (std::hypot(a.x - b.x, a.y - b.y) < 4.0) continue;
        const auto delay = child.delay_at(t_s);
        const sf::Color colour = style::delay_colour(delay.value_or(0));
        // Dashed, so it reads as a gap and not as a road.
        const sf::Vector2f from = vec(a), to = vec(b);
        const sf::Vector2f d = to - from;
        const float len = std::sqrt(d.x * d.x + d.y * d.y);
        const float dash = 8.0f, space = 5.0f;
        for (float at = 0.0f; at < len; at += dash + space) {
            const float end = std::min(len, at + dash);
            add_thick_line(lines, from + d * (at / len), from + d * (end / len), 3.0f, colour);
        }
    }
    target.draw(lines);
}

void SceneRenderer::draw_markers(sf::RenderTarget& target, const Viewport& viewport,
                                 const FrameState& frame,
                                 const std::vector<sim::EntityState>& states) {
    m_markers.clear();
    m_vehicles.clear();
    const auto& area = viewport.area();
    const auto entities = m_trace->entities();
    auto visible = [&](ScreenPoint p) {
        return p.x > area.left - 30 && p.x < area.left + area.width + 30 && p.y > area.top - 30 &&
               p.y < area.top + area.height + 30;
    };
    // Crowded maps get smaller vehicle symbols: thousands of full-size symbols would only
    // cover each other (and cost fill rate on software renderers).
    std::size_t vehicles_on_screen = 0;
    for (std::size_t i = 0; i < entities.size(); ++i)
        if (is_vehicle(entities[i].kind) && states[i].present &&
            visible(viewport.to_screen(states[i].sample.position)))
            ++vehicles_on_screen;
    const float vehicle_px =
        vehicles_on_screen <= 1000
            ? style::vehicle_size_px
            : std::max(7.0f, style::vehicle_size_px *
                                 std::sqrt(1000.0f / static_cast<float>(vehicles_on_screen)));
    // Facilities, then homes, then vehicles on top.
    for (int pass = 0; pass < 3; ++pass) {
        for (std::size_t i = 0; i < entities.size(); ++i) {
            const auto& e = entities[i];
            const int want = e.kind == EntityKind::facility ? 0
                             : e.kind == EntityKind::home   ? 1
                                                            : 2;
            if (want != pass) continue;
            const auto& st = states[i];
            if (pass == 2 && !st.present) continue;
            if (hidden_drill_move(i, states)) continue;
            const ScreenPoint sp = viewport.to_screen(marker_position(i, st));
            if (!visible(sp)) continue;
            const sf::Vector2f c = vec(sp);
            if (pass == 0) {
                const float s = style::facility_size_px;
                add_textured_quad(m_markers, c, s + 4, cell_square, sf::Color::White);
                add_textured_quad(m_markers, c, s, cell_square,
                                  st.present && st.sample.state == StateCode::failed
                                      ? style::state_colour(StateCode::failed)
                                      : style::facility);
                // Gauges right of the symbol: people / capacity, load / power capacity.
                const double occ =
                    e.capacity > 0 ? st.sample.occupancy / static_cast<double>(e.capacity) : 0.0;
                const double load = e.power_capacity_w > 0 ? st.sample.load_w / e.power_capacity_w
                                                           : (st.sample.load_w > 0 ? 1.0 : 0.0);
                const float gh = s + 4;
                const float top = c.y - gh / 2;
                for (int g = 0; g < 2; ++g) {
                    const double ratio = g == 0 ? occ : load;
                    const float left = c.x + s / 2 + 4 + g * 8.0f;
                    add_rect(m_markers, left - 1, top - 1, 8, gh + 2, sf::Color(60, 60, 60));
                    add_rect(m_markers, left, top, 6, gh, sf::Color(235, 235, 235));
                    const float fh = static_cast<float>(std::clamp(ratio, 0.0, 1.0)) * gh;
                    add_rect(m_markers, left, top + gh - fh, 6, fh, style::gauge_colour(ratio));
                }
            } else if (pass == 1) {
                const StateCode code = st.present ? st.sample.state : StateCode::unknown;
                const double margin = st.present ? st.sample.battery_margin_min : std::nan("");
                add_textured_quad(m_markers, c, style::home_ring_px + 2, cell_disc,
                                  sf::Color::White);
                add_textured_quad(m_markers, c, style::home_ring_px, cell_ring,
                                  style::battery_colour(margin));
                // A child the plan does not move shows that while at home, not 判断待ち / 荷造り中.
                const bool at_home = code == StateCode::unknown || code == StateCode::idle ||
                                     code == StateCode::waiting || code == StateCode::packing;
                const sf::Color fill = at_home && m_home_plan[i] == HomePlan::stays_home
                                           ? style::stays_home
                                       : at_home && m_home_plan[i] == HomePlan::cannot_serve
                                           ? style::cannot_serve
                                           : style::state_colour(code);
                add_textured_quad(m_markers, c, style::home_size_px, cell_disc, fill);
            } else {
                // Vehicles can number thousands: plain polygons (a diamond, a square) cost
                // far less than textured quads on a software renderer.
                const bool service = e.kind == EntityKind::vehicle;
                const sf::Color colour = m_drill_role[i] == DrillRole::planned ? style::ghost
                                         : service                             ? style::vehicle
                                                                               : style::family_car;
                const float s = vehicle_px;
                // A white rim for contrast, except on crowded maps where symbols touch anyway.
                const bool rim = s >= style::vehicle_size_px;
                if (service) {
                    const float o = (s + 5) / 2, h = s / 2;
                    if (rim)
                        add_quad4(m_vehicles, {c.x, c.y - o}, {c.x + o, c.y}, {c.x, c.y + o},
                                  {c.x - o, c.y}, sf::Color::White);
                    add_quad4(m_vehicles, {c.x, c.y - h}, {c.x + h, c.y}, {c.x, c.y + h},
                              {c.x - h, c.y}, colour);
                } else {
                    const float o = s / 2 + 2, h = s / 2 - 1;
                    if (rim)
                        add_quad4(m_vehicles, {c.x - o, c.y - o}, {c.x + o, c.y - o},
                                  {c.x + o, c.y + o}, {c.x - o, c.y + o}, sf::Color::White);
                    add_quad4(m_vehicles, {c.x - h, c.y - h}, {c.x + h, c.y - h},
                              {c.x + h, c.y + h}, {c.x - h, c.y + h}, colour);
                }
            }
            if (frame.selected && frame.selected->value() == i) {
                add_textured_quad(m_markers, c, 30, cell_ring, style::selection);
            }
        }
    }
    sf::RenderStates rs;
    rs.texture = &m_atlas;
    target.draw(m_markers, rs);
    target.draw(m_vehicles, sf::RenderStates(sf::BlendNone)); // opaque polygons
}

void SceneRenderer::draw_labels(sf::RenderTarget& target, const Viewport& viewport,
                                const std::vector<sim::EntityState>& states,
                                const std::vector<int>& hazard_stages) {
    // Labels are placed greedily, most important first (hazard names, facilities, homes, then
    // moving vehicles and cars), each at the first of a few positions around its symbol where
    // it overlaps no label placed before it, no facility symbol and stays on the map; a label
    // with no free position is left out (its symbol stays, and a click shows its details).
    m_placed.clear();
    const auto& area = viewport.area();
    const auto entities = m_trace->entities();
    const auto drill = m_trace->drill_children();
    struct Wanted {
        std::optional<std::size_t> entity;
        std::string text;
        sf::Color colour;
        unsigned size = 12;
        ScreenPoint at;
        float right = 11.0f; // gap right of the point (facility: past its gauges)
        float left = 11.0f;  // gap left of the point
        float half = 8.0f;   // half height of the symbol
        int rank = 0;        // 0 hazard, 1 facility, 2 home, 3 vehicle
    };
    std::vector<Wanted> wanted;
    // Hazard names at the middle of their outer ring, so the room knows what the colour is.
    for (std::size_t i = 0; i < hazard_stages.size(); ++i) {
        if (hazard_stages[i] < 0) continue;
        const auto& outer = m_hazards_m[i][static_cast<std::size_t>(hazard_stages[i])].front();
        geo::XY mid{0.0, 0.0};
        for (const auto& p : outer) {
            mid.x += p.x / static_cast<double>(outer.size());
            mid.y += p.y / static_cast<double>(outer.size());
        }
        const ScreenPoint at = viewport.to_screen(mid);
        if (!area.contains(at)) continue;
        const auto& h = m_trace->hazards()[i];
        Wanted w;
        w.text = h.label.empty() ? std::string(sim::japanese_label(h.kind)) : h.label;
        w.colour = style::hazard_colour(h.kind);
        w.size = 14;
        w.at = at;
        w.rank = 0;
        wanted.push_back(std::move(w));
    }
    std::size_t on_screen = 0;
    std::vector<std::pair<std::size_t, ScreenPoint>> shown;
    for (std::size_t i = 0; i < entities.size(); ++i) {
        if (is_vehicle(entities[i].kind) && !states[i].present) continue;
        if (hidden_drill_move(i, states)) continue;
        const ScreenPoint p = viewport.to_screen(marker_position(i, states[i]));
        if (!area.contains(p)) continue;
        ++on_screen;
        shown.emplace_back(i, p);
    }
    // Labels for everything when few are on screen; only facilities when crowded.
    const bool all = on_screen <= 150;
    // Symbols are obstacles: no label covers a shelter (with its gauges), nor, when every
    // symbol is named, a child's home or a vehicle (a label may touch its own symbol).
    struct Obstacle {
        ScreenRect box;
        std::size_t entity;
    };
    std::vector<Obstacle> taken;
    const float fs = style::facility_size_px;
    for (const auto& [i, p] : shown) {
        const auto kind = entities[i].kind;
        if (kind == EntityKind::facility) {
            taken.push_back({{p.x - fs / 2 - 2, p.y - fs / 2 - 3, fs + 4 + 4 + 16, fs + 6}, i});
        } else if (all) {
            const double r = kind == EntityKind::home ? style::home_ring_px / 2.0 + 1.0
                                                      : style::vehicle_size_px / 2.0 + 2.0;
            taken.push_back({{p.x - r, p.y - r, 2 * r, 2 * r}, i});
        }
    }
    for (const auto& [i, p] : shown) {
        const auto& e = entities[i];
        if (!all && e.kind != EntityKind::facility) continue;
        Wanted w;
        w.entity = i;
        w.text = e.label;
        w.colour = style::text;
        w.at = p;
        w.rank = e.kind == EntityKind::facility ? 1 : e.kind == EntityKind::home ? 2 : 3;
        if (e.kind == EntityKind::facility) {
            w.right = fs / 2 + 4 + 16 + 3;
            w.left = fs / 2 + 4;
            w.half = fs / 2 + 2;
        }
        if (m_drill_role[i] != DrillRole::none) {
            // Moves are named only on the road (at the destination the facility's name is
            // there); the delay goes with the recorded move while it travels, else with the home.
            const auto& child = drill[m_drill_child[i]];
            const auto travelling = [&](sim::EntityId id) {
                const auto& st = states[id.value()];
                return st.present && st.sample.state == StateCode::travelling;
            };
            const auto delay = child.delay_at(m_cursor_t_s);
            if (m_drill_role[i] == DrillRole::planned) {
                // The ghost is named where it stands apart from the recorded move.
                const ScreenPoint r = viewport.to_screen(
                    marker_position(child.recorded.value(), states[child.recorded.value()]));
                if (!travelling(child.planned) || std::hypot(r.x - p.x, r.y - p.y) < 40.0) continue;
            } else if (m_drill_role[i] == DrillRole::recorded && !travelling(child.recorded)) {
                continue;
            } else if (delay &&
                       (m_drill_role[i] == DrillRole::recorded) == travelling(child.recorded)) {
                w.text += " " + format_delay(*delay);
                w.colour =
                    *delay >= style::delay_some_s ? style::delay_colour(*delay) : style::text;
            }
        }
        wanted.push_back(std::move(w));
    }
    std::stable_sort(wanted.begin(), wanted.end(),
                     [](const Wanted& a, const Wanted& b) { return a.rank < b.rank; });

    auto overlaps = [](const ScreenRect& a, const ScreenRect& b) {
        return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height &&
               b.top < a.top + a.height;
    };
    auto inside = [&](const ScreenRect& r) {
        return r.left >= area.left && r.top >= area.top &&
               r.left + r.width <= area.left + area.width &&
               r.top + r.height <= area.top + area.height;
    };
    const float halo = 2.0f;
    for (auto& w : wanted) {
        sf::Text text = make_text(*m_font, w.text, w.size, w.colour);
        const auto b = text.getLocalBounds();
        const float px = static_cast<float>(w.at.x), py = static_cast<float>(w.at.y);
        // Candidate top-left corners of the ink box (b.width x b.height).
        std::vector<sf::Vector2f> corners;
        if (w.rank == 0) {
            // A hazard's name at its middle, else just above or below it (not over a home).
            corners.push_back({px - b.width / 2, py - b.height / 2});
            corners.push_back({px - b.width / 2, py - b.height * 1.5f - 14});
            corners.push_back({px - b.width / 2, py + b.height / 2 + 14});
        } else {
            corners.push_back(
                {px + w.right, py - w.half - b.height + 4}); // right, above the middle (the usual)
            corners.push_back({px + w.right, py - b.height / 2});                   // right
            corners.push_back({px + w.right, py + w.half - 4});                     // right, below
            corners.push_back({px - w.left - b.width, py - b.height / 2});          // left
            corners.push_back({px - b.width / 2, py - w.half - b.height - 3});      // above
            corners.push_back({px - b.width / 2, py + w.half + 3});                 // below
            corners.push_back({px - w.left - b.width, py - w.half - b.height + 4}); // left, above
            corners.push_back({px - w.left - b.width, py + w.half - 4});            // left, below
            // Above and below, aligned on the symbol's left or right edge.
            corners.push_back({px - w.left + 2, py - w.half - b.height - 3});
            corners.push_back({px + w.right - 2 - b.width, py - w.half - b.height - 3});
            corners.push_back({px - w.left + 2, py + w.half + 3});
            corners.push_back({px + w.right - 2 - b.width, py + w.half + 3});
        }
        for (const auto& c : corners) {
            const float x = std::round(c.x), y = std::round(c.y);
            const ScreenRect box{x - halo, y - halo, b.width + 2 * halo, b.height + 2 * halo};
            if (!inside(box)) continue;
            bool free = true;
            for (const auto& p : m_placed) free = free && !overlaps(box, p.box);
            for (const auto& t : taken)
                free = free && (w.entity == t.entity || !overlaps(box, t.box));
            if (!free) continue;
            text.setPosition(x - b.left, y - b.top);
            text.setOutlineColor(sf::Color(255, 255, 255, w.rank == 0 ? 220 : 230));
            text.setOutlineThickness(halo);
            target.draw(text);
            PlacedLabel placed{w.text, box, std::nullopt};
            if (w.entity) placed.entity = sim::EntityId(static_cast<std::uint32_t>(*w.entity));
            m_placed.push_back(std::move(placed));
            break;
        }
    }
}

void SceneRenderer::draw_map_overlay(sf::RenderTarget& target, const Layout& layout,
                                     const Viewport& viewport, const FrameState& frame) {
    const auto& map = layout.map;
    // Time label, top left of the map, large enough for the back of a room.
    const std::string elapsed = "経過 " + format_elapsed(frame.t_s);
    const std::string clock = format_clock(m_trace->metadata(), frame.t_s);
    const float box_w = clock.empty() ? 190.0f : 330.0f;
    fill_rect(target, static_cast<float>(map.left) + 10, static_cast<float>(map.top) + 10, box_w,
              40, sf::Color(255, 255, 255, 225), style::panel_border, 1.0f);
    draw_text(target, *m_font, elapsed + (clock.empty() ? "" : "   " + clock),
              static_cast<float>(map.left) + 20, static_cast<float>(map.top) + 16, 20, style::text);

    // Scale bar, bottom left of the map.
    const double max_px = std::min(160.0, map.width * 0.3);
    const double length_m = nice_scale_length_m(max_px * viewport.metres_per_pixel());
    const float px = static_cast<float>(length_m / viewport.metres_per_pixel());
    const float x0 = static_cast<float>(map.left) + 16;
    const float y0 = static_cast<float>(map.top + map.height) - 22;
    fill_rect(target, x0 - 6, y0 - 26, px + 12 + 60, 36, sf::Color(255, 255, 255, 210));
    fill_rect(target, x0, y0, px, 4, style::text);
    fill_rect(target, x0, y0 - 6, 2, 10, style::text);
    fill_rect(target, x0 + px - 2, y0 - 6, 2, 10, style::text);
    char buf[32];
    if (length_m >= 1000.0)
        std::snprintf(buf, sizeof buf, "%g km", length_m / 1000.0);
    else
        std::snprintf(buf, sizeof buf, "%g m", length_m);
    draw_text(target, *m_font, buf, x0, y0 - 24, 14, style::text);
    // North arrow beside it.
    draw_text(target, *m_font, "N ↑", x0 + px + 14, y0 - 18, 14, style::text);
}

float SceneRenderer::draw_legend(sf::RenderTarget& target, const Layout& layout) {
    // The legend never changes for a layout: draw it once into a texture, then blit it.
    const ScreenRect r = legend_rect(layout);
    const sf::Vector2u size(static_cast<unsigned>(std::ceil(r.width)) + 2,
                            static_cast<unsigned>(std::ceil(r.height)) + 2);
    if (!m_legend || m_legend_size != size) {
        m_legend = std::make_unique<sf::RenderTexture>();
        if (m_legend->create(size.x, size.y)) {
            m_legend->setView(sf::View(
                sf::FloatRect(static_cast<float>(r.left) - 1, static_cast<float>(r.top) - 1,
                              static_cast<float>(size.x), static_cast<float>(size.y))));
            m_legend->clear(sf::Color(247, 248, 250));
            draw_legend_contents(*m_legend, layout);
            m_legend->display();
            m_legend_size = size;
        } else {
            m_legend.reset();
        }
    }
    if (m_legend) {
        sf::Sprite sprite(m_legend->getTexture());
        sprite.setPosition(static_cast<float>(r.left) - 1, static_cast<float>(r.top) - 1);
        target.draw(sprite, sf::RenderStates(sf::BlendNone));
        return static_cast<float>(r.top + r.height) + 8;
    }
    return draw_legend_contents(target, layout);
}

float SceneRenderer::draw_legend_contents(sf::RenderTarget& target, const Layout& layout) {
    const ScreenRect r = legend_rect(layout);
    const float left = static_cast<float>(r.left);
    const float top = static_cast<float>(r.top);
    const float width = static_cast<float>(r.width);
    fill_rect(target, left, top, width, static_cast<float>(r.height), style::panel,
              style::panel_border, 1.0f);
    draw_text(target, *m_font, "凡例", left + 10, top + 6, 16, style::text);
    sf::VertexArray swatches(sf::Triangles);
    const float col_w = (width - 20) / 2;
    float y = top + 34;
    auto heading = [&](const char* text) {
        draw_text(target, *m_font, text, left + 10, y, 12, style::muted_text);
        y += 18;
    };
    auto entry = [&](int column, AtlasCell cell, sf::Color colour, const std::string& text,
                     AtlasCell under = cell_count, sf::Color under_colour = sf::Color::White) {
        const float x = left + 12 + column * col_w;
        const sf::Vector2f c(x + 8, y + 9);
        if (under != cell_count) add_textured_quad(swatches, c, 16, under, under_colour);
        add_textured_quad(swatches, c, under != cell_count ? 11.0f : 14.0f, cell, colour);
        draw_text(target, *m_font, text, x + 20, y + 1, 12, style::text);
    };
    heading("自宅の色 = 子どもの状態");
    const std::pair<StateCode, const char*> states[] = {
        {StateCode::waiting, "判断待ち"},    {StateCode::packing, "荷造り中"},
        {StateCode::carrying_out, "搬出中"}, {StateCode::loading, "積込み中"},
        {StateCode::travelling, "移動中"},   {StateCode::arrived, "到着"},
        {StateCode::powered, "電源接続"},    {StateCode::failed, "失敗"}};
    for (std::size_t i = 0; i < std::size(states); ++i) {
        entry(static_cast<int>(i % 2), cell_disc, style::state_colour(states[i].first),
              states[i].second);
        if (i % 2 == 1) y += 18;
    }
    entry(0, cell_disc, style::stays_home, "在宅避難 (計画)");
    entry(1, cell_disc, style::cannot_serve, "対応できない");
    y += 18;
    heading("外周 = バッテリー残り");
    entry(0, cell_ring, style::battery_colour(style::battery_ok_min), "3時間以上");
    entry(1, cell_ring, style::battery_colour(style::battery_low_min), "1〜3時間");
    y += 18;
    entry(0, cell_ring, style::battery_colour(0.0), "1時間未満");
    entry(1, cell_ring, style::battery_colour(std::nan("")), "対象外");
    y += 20;
    heading("車両・避難所");
    if (m_trace->drill_children().empty()) {
        entry(0, cell_diamond, style::vehicle, "支援車両");
        entry(1, cell_square, style::family_car, "家族の車");
    } else {
        // A drill replay: every move is a child's, as recorded or as planned.
        entry(0, cell_square, style::family_car, "訓練の実績");
        entry(1, cell_diamond, style::ghost, "計画 (ゴースト)");
    }
    y += 18;
    entry(0, cell_square, style::facility, "避難所 (ゲージ: 人数 | 電力)");
    y += 20;
    heading("危険区域・道路");
    int column = 0;
    for (std::size_t k = 0; k < m_hazard_kind_present.size(); ++k) {
        const auto kind = static_cast<sim::HazardKind>(k);
        const bool present = m_hazard_kind_present[k];
        if (!present && !(k == 0 && m_trace->hazards().empty())) continue;
        const float x = left + 12 + column * col_w;
        sf::Color fill = style::hazard_colour(kind);
        fill.a = style::hazard_fill_alpha;
        fill_rect(target, x, y + 2, 16, 14, fill, style::hazard_colour(kind), 1.0f);
        draw_text(target, *m_font, std::string(sim::japanese_label(kind)) + "区域", x + 20, y + 1,
                  12, style::text);
        if (++column == 2) {
            column = 0;
            y += 18;
        }
    }
    if (column != 0) y += 18;
    for (int g = 0; g < 2; ++g) {
        const float x = left + 12 + g * col_w;
        const auto cls = g == 0 ? geo::RoadClass::primary : geo::RoadClass::residential;
        fill_rect(target, x, y + 8, 16, style::road_width_px(cls), style::road_colour(cls));
        draw_text(target, *m_font, g == 0 ? "主要道路" : "一般道路", x + 20, y + 1, 12,
                  style::text);
    }
    y += 20;
    sf::RenderStates rs;
    rs.texture = &m_atlas;
    target.draw(swatches, rs);
    return std::max(y, top + static_cast<float>(r.height)) + 8;
}

void SceneRenderer::draw_details(sf::RenderTarget& target, const Layout& layout, float top,
                                 const FrameState& frame,
                                 const std::vector<sim::EntityState>& states) {
    const auto& side = layout.sidebar;
    std::vector<std::string> lines;
    std::map<std::size_t, sf::Color> line_colour; // lines not in black (late children)
    if (frame.selected && frame.selected->value() < states.size()) {
        const auto i = frame.selected->value();
        const auto& e = m_trace->entities()[i];
        const auto& st = states[i];
        lines.push_back(e.label + "  (" + std::string(sim::japanese_label(e.kind)) + ")");
        lines.push_back("状態: " + std::string(sim::japanese_label(
                                       st.present ? st.sample.state : StateCode::unknown)));
        if (m_home_plan[i] != HomePlan::leaves)
            lines.push_back(m_home_plan[i] == HomePlan::stays_home
                                ? "計画: 在宅避難 (自宅にとどまる)"
                                : "計画: 対応できない");
        char buf[128];
        if (e.kind == EntityKind::home) {
            lines.push_back("バッテリー残り: " + format_minutes(st.present
                                                                    ? st.sample.battery_margin_min
                                                                    : std::nan("")));
        } else if (e.kind == EntityKind::facility) {
            std::snprintf(buf, sizeof buf, "人数: %u / %u 人", st.sample.occupancy, e.capacity);
            lines.emplace_back(buf);
            std::snprintf(buf, sizeof buf, "電力: %.0f / %.0f W", st.sample.load_w,
                          e.power_capacity_w);
            lines.emplace_back(buf);
        } else {
            std::snprintf(buf, sizeof buf, "乗車: %u / %u 人", st.sample.occupancy, e.capacity);
            lines.emplace_back(buf);
        }
        const auto pos = marker_position(i, st);
        std::snprintf(buf, sizeof buf, "位置: %.5f, %.5f", pos.lat, pos.lon);
        lines.emplace_back(buf);
        if (m_drill_role[i] != DrillRole::none) {
            // The child's steps as planned and as recorded, and the gap.
            const auto& child = m_trace->drill_children()[m_drill_child[i]];
            const auto& meta = m_trace->metadata();
            auto when = [&](const std::optional<std::int64_t>& t) -> std::string {
                if (!t) return "—";
                const std::string clock = format_clock(meta, *t);
                return clock.empty() ? format_elapsed(*t) : clock.substr(11);
            };
            if (const auto d = child.delay_at(frame.t_s))
                lines.push_back("計画との差 (今): " + format_delay(*d));
            for (const auto& step : child.steps) {
                if (!step.planned_t_s && !step.recorded_t_s) continue;
                std::string line = step.name + "  計画 " + when(step.planned_t_s) + "  実績 " +
                                   when(step.recorded_t_s);
                if (step.planned_t_s && step.recorded_t_s)
                    line += "  " + format_delay(*step.recorded_t_s - *step.planned_t_s);
                lines.push_back(std::move(line));
            }
        }
        // The latest events of this entity up to now.
        std::vector<const sim::TraceEvent*> recent;
        for (const auto& ev : m_trace->events()) {
            if (ev.t_s > frame.t_s) break;
            if (ev.entity == *frame.selected) recent.push_back(&ev);
        }
        const std::size_t from = recent.size() > 4 ? recent.size() - 4 : 0;
        for (std::size_t k = from; k < recent.size(); ++k)
            lines.push_back(format_elapsed(recent[k]->t_s) + " " +
                            (recent[k]->text.empty() ? std::string(sim::to_string(recent[k]->kind))
                                                     : recent[k]->text));
    } else if (frame.selected_hazard && *frame.selected_hazard < m_trace->hazards().size()) {
        const auto& h = m_trace->hazards()[*frame.selected_hazard];
        lines.push_back(h.label + "  (" + std::string(sim::japanese_label(h.kind)) + ")");
        for (const auto& st : h.stages)
            lines.push_back("段階 " + format_elapsed(st.onset_t_s) + " から");
    } else {
        // The children now, by class: the classes add up to the total, so a child who never
        // leaves (not yet gone, or not served by the plan) is counted, not left out.
        const ChildCounts n = count_children(*m_trace, states);
        const sf::Color alarm = style::state_colour(StateCode::failed);
        const float room = static_cast<float>(side.top + side.height) - top - 14.0f;
        if (room / 18.0f >= 9.0f) {
            // One class a line.
            lines.push_back("子ども " + std::to_string(n.total) + " 人のいま:");
            auto count_line = [&](const char* name, std::size_t count, bool red) {
                lines.push_back(std::string("  ") + name + "  " + std::to_string(count) + " 人");
                if (red && count > 0) line_colour[lines.size() - 1] = alarm;
            };
            count_line("到着・電源接続", n.safe, false);
            count_line("移動中 (搬出・積込み・走行)", n.moving, false);
            count_line("出発できていない", n.not_left, false);
            if (n.stays_home > 0) count_line("在宅避難 (計画どおり)", n.stays_home, false);
            count_line("失敗", n.failed, true);
            count_line("対応できない", n.cannot_serve, true);
        } else {
            // A small picture: the same classes on three lines.
            lines.push_back("子ども " + std::to_string(n.total) + " 人: 到着 " +
                            std::to_string(n.safe) + "・移動中 " + std::to_string(n.moving));
            lines.push_back(
                "出発できていない " + std::to_string(n.not_left) +
                (n.stays_home > 0 ? "・在宅避難 " + std::to_string(n.stays_home) : std::string()));
            lines.push_back("失敗 " + std::to_string(n.failed) + "・対応できない " +
                            std::to_string(n.cannot_serve));
            if (n.failed + n.cannot_serve > 0) line_colour[lines.size() - 1] = alarm;
        }
        const auto drill = m_trace->drill_children();
        if (!drill.empty()) {
            // A drill replay: the children furthest behind the plan now, largest first.
            const auto delays = drill_delays_at(*m_trace, frame.t_s);
            lines.emplace_back("遅れの大きい順 (計画との差):");
            const float room = static_cast<float>(side.top + side.height) - top - 14.0f;
            const auto fit = static_cast<std::size_t>(std::max(0.0f, room / 18.0f));
            // Room for the list after the lines so far, "ほか N 人" and the closing hint.
            const std::size_t tail = frame.still ? 1 : 2;
            const std::size_t keep = fit > lines.size() + tail ? fit - lines.size() - tail : 0;
            for (std::size_t k = 0; k < delays.size() && k < keep; ++k) {
                const auto& child = drill[delays[k].child];
                const auto& home = states[child.home.value()];
                lines.push_back("  " + child.label + "  " + format_delay(delays[k].delay_s) + "  " +
                                std::string(sim::japanese_label(
                                    home.present ? home.sample.state : StateCode::unknown)));
                if (delays[k].delay_s >= style::delay_some_s)
                    line_colour[lines.size() - 1] = style::delay_colour(delays[k].delay_s);
            }
            if (delays.empty())
                lines.emplace_back("  (まだ比べられる段階がありません)");
            else if (delays.size() > keep)
                lines.push_back("  ほか " + std::to_string(delays.size() - keep) + " 人");
        }
        if (!frame.still) lines.emplace_back("クリックで詳細を表示");
    }
    // A small picture keeps the lines that fit (a selected drill child's steps can be many).
    const float room = static_cast<float>(side.top + side.height) - top - 14.0f;
    const auto fit = static_cast<std::size_t>(std::max(0.0f, room / 18.0f));
    if (fit == 0) return;
    if (lines.size() > fit) lines.resize(fit);
    const float height = 14.0f + 18.0f * static_cast<float>(lines.size());
    const float left = static_cast<float>(side.left) + 10;
    const float width = static_cast<float>(side.width) - 20;
    fill_rect(target, left, top, width, height, style::panel, style::panel_border, 1.0f);
    float y = top + 6;
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const auto colour = line_colour.find(k);
        draw_text(target, *m_font, lines[k], left + 10, y, 12,
                  colour == line_colour.end() ? style::text : colour->second);
        y += 18;
    }
}

float SceneRenderer::draw_sidebar_heading(sf::RenderTarget& target, const Layout& layout,
                                          const FrameState& frame) {
    const auto& s = layout.sidebar;
    const auto& meta = m_trace->metadata();
    const std::string title = meta.title.empty() ? "避難シミュレーション" : meta.title;
    const float left = static_cast<float>(s.left) + 12;
    const float width = static_cast<float>(s.width) - 24;
    // The title on one line at 16 px if it fits, else wrapped at 14 px on character
    // boundaries over two lines (the second ends in … if more was left out).
    std::vector<std::string> lines = wrap_text(*m_font, title, 16, width, 1);
    unsigned size = 16;
    float y = static_cast<float>(s.top) + 10;
    if (lines.size() == 1 && lines.front() != title) {
        size = 14;
        lines = wrap_text(*m_font, title, size, width, 2);
        y = static_cast<float>(s.top) + 7;
    }
    for (const auto& line : lines) {
        draw_text(target, *m_font, line, left, y, size, style::text);
        y += size == 16 ? 28.0f : 19.0f;
    }
    if (lines.size() == 2) y += 3;
    const std::string clock = format_clock(meta, frame.t_s);
    draw_text(target, *m_font,
              "経過 " + format_elapsed(frame.t_s) + (clock.empty() ? "" : "  " + clock.substr(11)),
              left, y, 14, style::text);
    y += 22;
    if (!frame.still) {
        // Playback state: the window's, meaningless in a picture.
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s  速度 %gx", frame.playing ? "再生中" : "一時停止",
                      frame.speed);
        draw_text(target, *m_font, buf, left, y, 13, style::muted_text);
        y += 18;
    }
    return y;
}

void SceneRenderer::draw_sidebar(sf::RenderTarget& target, const Layout& layout,
                                 const FrameState& frame,
                                 const std::vector<sim::EntityState>& states) {
    const auto& s = layout.sidebar;
    fill_rect(target, static_cast<float>(s.left), static_cast<float>(s.top),
              static_cast<float>(s.width), static_cast<float>(s.height), sf::Color(247, 248, 250));
    fill_rect(target, static_cast<float>(s.left), static_cast<float>(s.top), 1,
              static_cast<float>(s.height), style::panel_border);
    draw_sidebar_heading(target, layout, frame);
    const float after = draw_legend(target, layout);
    draw_details(target, layout, after, frame, states);
}

void SceneRenderer::draw_timeline(sf::RenderTarget& target, const Layout& layout,
                                  const FrameState& frame) {
    const auto& tl = layout.timeline;
    const float top = static_cast<float>(tl.top);
    const float h = static_cast<float>(tl.height);
    fill_rect(target, static_cast<float>(tl.left), top, static_cast<float>(tl.width), h,
              style::timeline_background);
    const float mid = top + h / 2;
    // Play / pause button.
    sf::VertexArray icon(sf::Triangles);
    const float bx = static_cast<float>(tl.left) + 22;
    if (frame.playing) {
        icon.append({{bx, mid - 10}, style::timeline_text});
        icon.append({{bx + 6, mid - 10}, style::timeline_text});
        icon.append({{bx + 6, mid + 10}, style::timeline_text});
        icon.append({{bx, mid - 10}, style::timeline_text});
        icon.append({{bx + 6, mid + 10}, style::timeline_text});
        icon.append({{bx, mid + 10}, style::timeline_text});
        icon.append({{bx + 11, mid - 10}, style::timeline_text});
        icon.append({{bx + 17, mid - 10}, style::timeline_text});
        icon.append({{bx + 17, mid + 10}, style::timeline_text});
        icon.append({{bx + 11, mid - 10}, style::timeline_text});
        icon.append({{bx + 17, mid + 10}, style::timeline_text});
        icon.append({{bx + 11, mid + 10}, style::timeline_text});
    } else {
        icon.append({{bx, mid - 11}, style::timeline_text});
        icon.append({{bx + 18, mid}, style::timeline_text});
        icon.append({{bx, mid + 11}, style::timeline_text});
    }
    target.draw(icon);
    draw_text(target, *m_font, format_elapsed(frame.t_s), bx + 30, mid - 11, 16,
              style::timeline_text);
    const auto& meta = m_trace->metadata();
    const float x0 = static_cast<float>(timeline_x(layout, meta.start_t_s));
    const float x1 = static_cast<float>(timeline_x(layout, meta.end_t_s));
    const float xt = static_cast<float>(timeline_x(layout, frame.t_s));
    fill_rect(target, x0, mid - 3, x1 - x0, 6, style::timeline_track);
    fill_rect(target, x0, mid - 3, xt - x0, 6, style::timeline_done);
    // Event ticks: failures in red, others light.
    sf::VertexArray ticks(sf::Triangles);
    for (const auto& ev : m_trace->events()) {
        const float x = static_cast<float>(timeline_x(layout, ev.t_s));
        const bool bad = ev.kind == sim::EventKind::battery_depleted ||
                         ev.kind == sim::EventKind::deadline_missed ||
                         ev.kind == sim::EventKind::power_overload;
        add_thick_line(ticks, {x, mid - 12}, {x, mid - 5}, 1.5f,
                       bad ? sf::Color(255, 82, 82) : sf::Color(200, 205, 215));
    }
    target.draw(ticks);
    sf::VertexArray knob(sf::Triangles);
    add_rect(knob, xt - 4, mid - 10, 8, 20, sf::Color::White);
    target.draw(knob);
    draw_text(target, *m_font, format_elapsed(meta.end_t_s), x1 + 10, mid - 10, 14,
              style::timeline_text);
    char buf[32];
    std::snprintf(buf, sizeof buf, "x%g", frame.speed);
    draw_text(target, *m_font, buf, static_cast<float>(tl.left + tl.width) - 62, mid - 10, 14,
              style::timeline_done);
}

void SceneRenderer::draw(sf::RenderTarget& target, const Layout& layout, const Viewport& viewport,
                         const FrameState& frame) {
    target.setView(sf::View(
        sf::FloatRect(0, 0, static_cast<float>(layout.width), static_cast<float>(layout.height))));
    target.clear(style::background);
    const auto& states = m_cursor.states_at(frame.t_s);

    if (!m_roads_for || !(*m_roads_for == viewport)) rebuild_roads(viewport);
    target.draw(m_roads, sf::RenderStates(sf::BlendNone)); // roads are opaque

    std::vector<int> stages(m_trace->hazards().size(), -1);
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const auto& h = m_trace->hazards()[i];
        if (const auto* st = h.stage_at(frame.t_s))
            stages[i] = static_cast<int>(st - h.stages.data());
    }
    if (!m_hazards_for || !(*m_hazards_for == viewport) || stages != m_hazard_stages_for)
        rebuild_hazards(viewport, stages);
    if (m_hazard_any) {
        sf::Sprite sprite(m_hazard_texture, m_hazard_box);
        sprite.setPosition(static_cast<float>(viewport.area().left + m_hazard_box.left),
                           static_cast<float>(viewport.area().top + m_hazard_box.top));
        target.draw(sprite);
        target.draw(m_hazard_outlines);
    }

    m_cursor_t_s = frame.t_s;
    if (!m_trace->drill_children().empty()) draw_drill_gaps(target, viewport, frame.t_s, states);
    draw_markers(target, viewport, frame, states);
    draw_labels(target, viewport, states, stages);
    draw_map_overlay(target, layout, viewport, frame);
    draw_sidebar(target, layout, frame, states);
    if (!frame.still && layout.timeline.height > 0) draw_timeline(target, layout, frame);
}

Pick SceneRenderer::pick(ScreenPoint p, const Layout& layout, const Viewport& viewport,
                         std::int64_t t_s) {
    Pick out;
    if (layout.timeline.contains(p)) {
        if (p.x < layout.timeline.left + 50) {
            out.kind = Pick::Kind::play_button;
        } else {
            out.kind = Pick::Kind::timeline;
            out.t_s = timeline_time(layout, p.x);
        }
        return out;
    }
    if (!layout.map.contains(p)) return out;
    const auto& states = m_cursor.states_at(t_s);
    const auto entities = m_trace->entities();
    double best = 10.0 * 10.0;
    int best_rank = 99;
    for (std::size_t i = 0; i < entities.size(); ++i) {
        if (is_vehicle(entities[i].kind) && !states[i].present) continue;
        if (hidden_drill_move(i, states)) continue;
        const ScreenPoint s = viewport.to_screen(marker_position(i, states[i]));
        const double d2 = (s.x - p.x) * (s.x - p.x) + (s.y - p.y) * (s.y - p.y);
        // Vehicles are drawn on top, so they win ties.
        const int rank = is_vehicle(entities[i].kind)           ? 0
                         : entities[i].kind == EntityKind::home ? 1
                                                                : 2;
        if (d2 <= 100.0 && (rank < best_rank || (rank == best_rank && d2 < best))) {
            best = d2;
            best_rank = rank;
            out.kind = Pick::Kind::entity;
            out.entity = sim::EntityId(static_cast<std::uint32_t>(i));
        }
    }
    if (out.kind == Pick::Kind::entity) return out;
    const geo::XY m = viewport.to_map(p);
    for (std::size_t i = m_trace->hazards().size(); i-- > 0;) {
        const auto* st = m_trace->hazards()[i].stage_at(t_s);
        if (st == nullptr) continue;
        const auto index = static_cast<std::size_t>(st - m_trace->hazards()[i].stages.data());
        if (inside_even_odd(m_hazards_m[i][index], m)) {
            out.kind = Pick::Kind::hazard;
            out.hazard = i;
            return out;
        }
    }
    return out;
}

} // namespace sonae::viewer
