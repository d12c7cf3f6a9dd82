#include "planner/stages/compatibility.hpp"

namespace sonae::planner::stages {

std::string_view why_text(Why why) {
    switch (why) {
    case Why::ok: return "可";
    case Why::no_direct: return "直接避難を受け付けない";
    case Why::open_space: return "屋外の避難場所のみ";
    case Why::not_designated: return "この災害の指定なし";
    case Why::in_hazard: return "浸水・危険区域内";
    case Why::no_ventilator: return "人工呼吸器の受入なし";
    case Why::no_oxygen: return "酸素の受入なし";
    case Why::no_power: return "避難者用の電源（発電機）が足りない";
    case Why::no_outlets: return "医療機器用のコンセントが足りない";
    case Why::no_nurse: return "交代で常時つける看護師がいない";
    case Why::no_carer: return "交代で常時つける看護師・認定介護職員がいない";
    case Why::unreachable: return "道路で到達できない";
    case Why::farther: return "より近い候補の外";
    case Why::capacity: return "受入枠・電源・コンセント・人員が他の子で埋まった";
    }
    return "?";
}

Compatibility::Compatibility(const PlanContext& ctx)
    : m_facilities(&ctx.facilities), m_facility_why(ctx.facilities.size(), Why::ok) {
    const auto& facilities = ctx.facilities;
    const auto& hazard = ctx.hazard;
    const auto& hazards = ctx.scenario.hazards;
    const double horizon_h = static_cast<double>(ctx.horizon_s) / 3600.0;
    m_offers.reserve(facilities.size());
    for (const auto& f : facilities)
        m_offers.push_back(shelter_offer(f, horizon_h, kUnknownCapacity, default_power_sources()));
    for (std::size_t j = 0; j < facilities.size(); ++j) {
        const auto& f = facilities[j];
        if (!f.direct_evacuation)
            m_facility_why[j] = Why::no_direct;
        else if (f.is(FacilityKind::emergency_site) && !f.is(FacilityKind::shelter) &&
                 !f.is(FacilityKind::p20_shelter) && !f.is(FacilityKind::welfare_shelter) &&
                 !f.is(FacilityKind::hospital))
            m_facility_why[j] = Why::open_space;
        else if (hazard && f.hazards_known && !f.safe_for.has(*hazard))
            m_facility_why[j] = Why::not_designated;
        else if (!hazards.empty() && hazards.hazard_at(f.position))
            m_facility_why[j] = Why::in_hazard;
    }
}

} // namespace sonae::planner::stages
