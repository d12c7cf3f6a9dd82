#include "planner/plan.hpp"

namespace sonae::planner {

std::string_view to_string(TransportKind kind) {
    switch (kind) {
    case TransportKind::family_car: return "family_car";
    case TransportKind::vehicle: return "vehicle";
    case TransportKind::walk: return "walk";
    case TransportKind::none: return "none";
    }
    return "none";
}

std::string_view to_string(Feasibility feasibility) {
    switch (feasibility) {
    case Feasibility::on_time: return "on_time";
    case Feasibility::at_risk: return "at_risk";
    case Feasibility::cannot_serve: return "cannot_serve";
    }
    return "cannot_serve";
}

std::string_view label_ja(Feasibility feasibility) {
    switch (feasibility) {
    case Feasibility::on_time: return "間に合う";
    case Feasibility::at_risk: return "要注意（余裕が少ない）";
    case Feasibility::cannot_serve: return "対応できない";
    }
    return "対応できない";
}

std::string_view label_ja(TransportKind kind) {
    switch (kind) {
    case TransportKind::family_car: return "家族の車";
    case TransportKind::vehicle: return "福祉車両・救急車";
    case TransportKind::walk: return "徒歩・抱っこ・車いす";
    case TransportKind::none: return "未定";
    }
    return "未定";
}

} // namespace sonae::planner
