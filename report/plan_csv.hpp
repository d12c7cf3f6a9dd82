#pragma once
/// The plan per child as CSV for municipal staff (Excel): planner::plan_child_rows, the one
/// per-child table (plan.csv has the same columns), UTF-8 with BOM, CRLF, Japanese
/// headers, one row per child in child id order. Personal data (home position, care items):
/// written atomically with mode 0600. Names appear only under the guidebook's name rule
/// (printable_name: --with-names and plan-sharing consent).

#include "planner/plan.hpp"
#include "report/guidebook.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace sonae::report {

/// The rows (header first) of the per-child table.
std::vector<std::vector<std::string>> plan_children_rows(const planner::Plan& plan,
                                                         const GuidebookOptions& options = {});

/// Writes the per-child table to `path` (0600, atomic).
void write_plan_children_csv(const planner::Plan& plan, const std::filesystem::path& path,
                             const GuidebookOptions& options = {});

} // namespace sonae::report
