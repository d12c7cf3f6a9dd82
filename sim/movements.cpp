#include "sim/movements.hpp"

#include "core/atomic_file.hpp"
#include "geo/qgis_style.hpp"

#include <algorithm>
#include <cmath>

namespace sonae::sim {

std::string_view label_ja(AgentKind kind) {
    switch (kind) {
    case AgentKind::child: return "児童";
    case AgentKind::vehicle: return "支援車両";
    case AgentKind::family_car: return "家族の車";
    case AgentKind::family_on_foot: return "徒歩の家族";
    }
    return "";
}

std::string_view label_ja(LegKind kind) {
    switch (kind) {
    case LegKind::stays_home: return "自宅にとどまる";
    case LegKind::awaiting_decision: return "判断待ち";
    case LegKind::packing: return "荷造り・搬出";
    case LegKind::waiting_vehicle: return "迎え待ち";
    case LegKind::walk: return "徒歩";
    case LegKind::family_car: return "家族の車";
    case LegKind::ride: return "支援車両に乗車";
    case LegKind::parked: return "出発前の待機";
    case LegKind::drive: return "支援車両の走行";
    case LegKind::pickup_stop: return "迎え（積込み）";
    case LegKind::dropoff_stop: return "降車";
    case LegKind::waiting_power: return "電源接続待ち";
    }
    return "";
}

namespace {

/// What ends a leg when the agent starts a leg of `next`.
std::string_view ended_by(LegKind next) {
    switch (next) {
    case LegKind::packing: return "避難を決定";
    case LegKind::waiting_vehicle: return "準備完了";
    case LegKind::walk:
    case LegKind::family_car:
    case LegKind::drive: return "出発";
    case LegKind::ride: return "乗車";
    case LegKind::waiting_power: return "到着";
    case LegKind::pickup_stop: return "迎え先に到着";
    case LegKind::dropoff_stop: return "避難先に到着";
    case LegKind::parked: return "待機";
    case LegKind::stays_home:
    case LegKind::awaiting_decision: break;
    }
    return "";
}

bool same_point(geo::LonLat a, geo::LonLat b) {
    return a.lon == b.lon && a.lat == b.lat;
}

void add_point(std::vector<geo::LonLat>& path, geo::LonLat p) {
    if (path.empty() || !same_point(path.back(), p)) path.push_back(p);
}

} // namespace

std::size_t MovementRecorder::add_agent(std::string id, AgentKind kind) {
    m_agents.push_back({std::move(id), kind, {}});
    return m_agents.size() - 1;
}

void MovementRecorder::begin(std::size_t agent, std::int64_t t_ms, LegKind kind, geo::LonLat where,
                             std::string vehicle_id, std::string children) {
    m_agents.at(agent).marks.push_back(
        {t_ms, MarkType::begin, kind, where, {}, std::move(vehicle_id), std::move(children)});
}

void MovementRecorder::pass(std::size_t agent, std::int64_t t_ms, geo::LonLat where) {
    m_agents.at(agent).marks.push_back({t_ms, MarkType::pass, LegKind::parked, where, {}, {}, {}});
}

void MovementRecorder::end(std::size_t agent, std::int64_t t_ms, std::string status) {
    m_agents.at(agent).marks.push_back(
        {t_ms, MarkType::end, LegKind::parked, {}, std::move(status), {}, {}});
}

void MovementRecorder::add_to_end_status(std::size_t agent, const std::string& text) {
    Mark* first = nullptr;
    for (auto& m : m_agents.at(agent).marks) {
        if (m.type == MarkType::end && (first == nullptr || m.t_ms < first->t_ms)) first = &m;
    }
    if (first != nullptr) first->text += text;
}

std::vector<MovementLeg> MovementRecorder::legs(std::int64_t horizon_ms) const {
    std::vector<MovementLeg> out;
    for (const auto& agent : m_agents) {
        auto marks = agent.marks;
        // Equal times keep the order of the calls.
        std::stable_sort(marks.begin(), marks.end(),
                         [](const Mark& a, const Mark& b) { return a.t_ms < b.t_ms; });
        std::optional<MovementLeg> open;
        int leg_no = 0;
        auto close = [&](std::int64_t t_ms, const geo::LonLat* where, std::string status) {
            if (where != nullptr) add_point(open->path, *where);
            if (open->path.size() == 1)
                open->path.push_back(open->path.front()); // a leg in one place
            open->end_ms = t_ms;
            open->end_status = std::move(status);
            open->leg_no = ++leg_no;
            out.push_back(std::move(*open));
            open.reset();
        };
        bool ended = false;
        for (const auto& m : marks) {
            if (m.t_ms > horizon_ms) break;
            if (m.type == MarkType::begin) {
                if (open && open->start_ms == m.t_ms) {
                    open.reset(); // no duration, followed by another leg: left out
                } else if (open) {
                    close(m.t_ms, &m.where, std::string(ended_by(m.kind)));
                }
                open = MovementLeg{.agent_id = agent.id,
                                   .agent_kind = agent.kind,
                                   .kind = m.kind,
                                   .vehicle_id = m.vehicle_id,
                                   .children = m.children,
                                   .start_ms = m.t_ms};
                open->path.push_back(m.where);
            } else if (m.type == MarkType::pass) {
                if (open) add_point(open->path, m.where);
            } else {
                if (open && open->start_ms == m.t_ms && leg_no > 0) {
                    // A leg of no duration that ends the agent's legs (the devices connected the
                    // moment the child arrived, a vehicle already at its base): its status is
                    // the previous leg's.
                    out.back().end_status = m.text;
                } else if (open) {
                    close(m.t_ms, nullptr, m.text);
                }
                open.reset();
                ended = true;
                break;
            }
        }
        if (open && !ended) {
            close(horizon_ms, nullptr,
                  "シミュレーションの終わり（" + std::string(label_ja(open->kind)) + "のまま）");
        }
    }
    return out;
}

geo::Layer movements_layer(const Movements& movements) {
    using geo::FieldType;
    geo::Layer layer{
        .name = "movements",
        .geometry_type = geo::GeometryType::line,
        .description =
            "シミュレーションの1回（trace.sonae と同じ回、seed " + std::to_string(movements.seed) +
            "）の動き: 児童・支援車両・家族の車ごとに区間を1本の線で。移動は通った道路に沿い、"
            "同じ場所にとどまる区間は長さ0の線。時刻は発令からの分、発令の日時があれば日時も"};
    layer.add_field("agent_id", FieldType::string, "ID（児童・車両）");
    layer.add_field("agent_kind", FieldType::string, "動くもの");
    layer.add_field("leg_no", FieldType::int64, "区間の番号");
    layer.add_field("leg", FieldType::string, "区間");
    layer.add_field("vehicle_id", FieldType::string, "支援車両ID");
    layer.add_field("children", FieldType::string, "乗っている児童");
    layer.add_field("start_min", FieldType::real, "始まり（発令から分）");
    layer.add_field("end_min", FieldType::real, "終わり（発令から分）");
    layer.add_field("duration_min", FieldType::real, "所要（分）");
    layer.add_field("start_at", FieldType::datetime, "始まりの日時");
    layer.add_field("end_at", FieldType::datetime, "終わりの日時");
    layer.add_field("end_status", FieldType::string, "区間の終わり");
    layer.add_field("length_m", FieldType::real, "距離（m）");
    const auto& clock = movements.t0_clock;
    auto at = [&clock](std::int64_t t_ms) -> geo::FieldValue {
        if (!clock) return std::monostate{};
        return planner::format_iso_local(*clock, t_ms / 1000);
    };
    auto text = [](const std::string& s) -> geo::FieldValue {
        if (s.empty()) return std::monostate{};
        return s;
    };
    for (const auto& leg : movements.legs) {
        double length = 0.0;
        for (std::size_t k = 1; k < leg.path.size(); ++k)
            length += geo::haversine_m(leg.path[k - 1], leg.path[k]);
        layer.add_feature(
            geo::LineGeometry{leg.path},
            {leg.agent_id, std::string(label_ja(leg.agent_kind)), std::int64_t{leg.leg_no},
             std::string(label_ja(leg.kind)), text(leg.vehicle_id), text(leg.children),
             static_cast<double>(leg.start_ms) / 60000.0, static_cast<double>(leg.end_ms) / 60000.0,
             static_cast<double>(leg.end_ms - leg.start_ms) / 60000.0, at(leg.start_ms),
             at(leg.end_ms), leg.end_status, std::round(length * 10.0) / 10.0});
    }
    // Moving legs as coloured lines (walking green, family cars blue, support vehicles orange, a
    // child on board purple dashed); legs in one place as dots (QGIS draws no line of no
    // length): at home grey, a vehicle's stop light orange, at the shelter violet.
    std::vector<geo::Category> kinds;
    const geo::Symbol home{.colour = {150, 150, 150}, .size = 2.2, .dot = true};
    const geo::Symbol stop{.colour = {245, 190, 130}, .size = 2.2, .dot = true};
    const geo::Symbol shelter{.colour = {140, 60, 170}, .size = 2.2, .dot = true};
    for (const auto& [kind, symbol] : std::vector<std::pair<LegKind, geo::Symbol>>{
             {LegKind::walk, {.colour = {46, 139, 87}, .size = 0.9}},
             {LegKind::family_car, {.colour = {30, 90, 200}, .size = 0.9}},
             {LegKind::drive, {.colour = {230, 120, 20}, .size = 1.1}},
             {LegKind::ride, {.colour = {140, 60, 170}, .size = 0.7, .dashed = true}},
             {LegKind::awaiting_decision, home},
             {LegKind::packing, home},
             {LegKind::waiting_vehicle, home},
             {LegKind::stays_home, home},
             {LegKind::parked, stop},
             {LegKind::pickup_stop, stop},
             {LegKind::dropoff_stop, stop},
             {LegKind::waiting_power, shelter}}) {
        const std::string label(label_ja(kind));
        kinds.push_back({label, label, symbol});
    }
    layer.style_qml = geo::categorized_style(layer, "leg", kinds,
                                             clock ? geo::TemporalFields{"start_at", "end_at"}
                                                   : geo::TemporalFields{});
    return layer;
}

void write_movements_geopackage(const std::filesystem::path& path, const Movements& movements) {
    const std::vector<geo::Layer> layers{movements_layer(movements)};
    geo::write_geopackage(path, layers, FileMode::personal);
}

} // namespace sonae::sim
