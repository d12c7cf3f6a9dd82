#pragma once
/// Writing a plan for people: plan.json (for sonae itself), plan.csv (Excel, per child,
/// personal: 0600), facilities.csv (Excel, per facility: exact counts incl. unserved children, for staff: 0600), plan.gpkg (QGIS: routes,
/// assignments, facilities with load and shortages, homes; personal: 0600). All atomic.

#include "planner/plan.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace sonae::planner {

/// "1:05" for 3900 s after t0; "-0:10" before it; "—" for -1 where -1 means none.
std::string format_t0_offset(std::int64_t seconds);

/// The per-child table (first row = Japanese headers).
std::vector<std::vector<std::string>> plan_child_rows(const Plan& plan);
/// The per-facility table (first row = Japanese headers).
std::vector<std::vector<std::string>> plan_facility_rows(const Plan& plan);

/// Writes plan.json, plan.csv, facilities.csv and plan.gpkg into `dir` (created if needed).
/// Returns the paths written.
std::vector<std::filesystem::path> write_plan_outputs(const Plan& plan, const std::filesystem::path& dir);

/// What changed between two plans (sonae compare): a readable text in Japanese and English.
std::string compare_plans(const Plan& a, const Plan& b);

} // namespace sonae::planner
