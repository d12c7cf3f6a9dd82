#pragma once
/// Writing a plan for people: plan.json (for sonae itself), plan.csv (Excel, per child,
/// personal: 0600), facilities.csv (Excel, per facility: exact counts incl. unserved children, for
/// staff: 0600), plan.gpkg (QGIS: routes, assignments, facilities with load and shortages, homes;
/// personal: 0600). All atomic.

#include "geo/hazard.hpp"
#include "planner/clock.hpp"
#include "planner/plan.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sonae::planner {

/// The clock time of t0 when the plan has one (its t0_label starts with the manifest's
/// t0_clock), else nullopt.
std::optional<ClockTime> plan_t0_clock(const Plan& plan);
/// A time of the plan in the tables: "2026-07-01 07:05" (local date and time, Excel reads it
/// as a date-time) when t0 has a clock time, else hours:minutes after t0 ("1:05").
std::string table_time(const Plan& plan, std::int64_t t_s);

/// Options of the per-child table.
struct ChildTableOptions {
    /// The name printed in 氏名 (the guidebook's consent rule); no function = empty (plan.csv).
    std::function<std::string(const ChildPlan&)> name;
    /// Only the children [begin, end) of the plan, and the header row only when `header`
    /// (plan.csv is printed in batches: the rows of 100,000 children as strings are about
    /// 350 MB, issue 24 item 6).
    std::size_t begin = 0;
    std::size_t end = static_cast<std::size_t>(-1);
    bool header = true;
};

/// The per-child table, one writer for plan.csv and the guidebook command's
/// plan_children.csv (first row = Japanese headers; values in Japanese, codes in plan.json).
std::vector<std::vector<std::string>> plan_child_rows(const Plan& plan,
                                                      const ChildTableOptions& options = {});
/// The per-facility table (first row = Japanese headers).
std::vector<std::vector<std::string>> plan_facility_rows(const Plan& plan);

/// Writes plan.json, plan.csv, facilities.csv and plan.gpkg into `dir` (created if needed).
/// plan.gpkg gets the scenario's hazard areas as a layer when `hazards` is given. Returns the
/// paths written.
std::vector<std::filesystem::path> write_plan_outputs(const Plan& plan,
                                                      const std::filesystem::path& dir,
                                                      const geo::Hazards* hazards = nullptr);

/// What changed between two plans (sonae compare): a readable text in Japanese and English.
std::string compare_plans(const Plan& a, const Plan& b);

} // namespace sonae::planner
