#pragma once
/// plan.json: writing and reading the Plan (planner/PLAN_FORMAT.md).

#include "planner/plan.hpp"

#include <filesystem>
#include <string>

namespace sonae::planner {

/// The plan as JSON text (UTF-8, keys in a fixed order, 2-space indent, trailing newline).
/// Byte-identical for identical plans.
std::string plan_to_json(const Plan& plan);

/// Parses plan.json text. Throws InputError naming `source` and the field on a bad document
/// or an unsupported format_version.
Plan plan_from_json(const std::string& text, const std::string& source);

/// Writes plan.json atomically with mode 0600 (it holds home locations).
void write_plan_json(const std::filesystem::path& path, const Plan& plan);

/// Reads plan.json; throws InputError / IoError with the file name.
Plan read_plan_json(const std::filesystem::path& path);

} // namespace sonae::planner
