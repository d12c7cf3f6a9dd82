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

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
    case Outcome::evacuate: return "evacuate";
    case Outcome::shelter_in_place: return "shelter_in_place";
    case Outcome::cannot_serve: return "cannot_serve";
    }
    return "cannot_serve";
}

std::string_view to_string(Binding binding) {
    switch (binding) {
    case Binding::none: return "none";
    case Binding::leave_by: return "leave_by";
    case Binding::arrive_by: return "arrive_by";
    case Binding::route: return "route";
    }
    return "none";
}

std::string_view label_ja(Outcome outcome) {
    switch (outcome) {
    case Outcome::evacuate: return "避難";
    case Outcome::shelter_in_place: return "在宅避難";
    case Outcome::cannot_serve: return "対応できない";
    }
    return "対応できない";
}

std::string_view label_ja(Binding binding) {
    switch (binding) {
    case Binding::none: return "計画期間内の期限なし";
    case Binding::leave_by: return "自宅に危険が及ぶ時刻";
    case Binding::arrive_by: return "電源・酸素が尽きる時刻";
    case Binding::route: return "避難路が通れなくなる時刻";
    }
    return "計画期間内の期限なし";
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
