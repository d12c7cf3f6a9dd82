#include "report/plan_csv.hpp"

#include "core/atomic_file.hpp"
#include "planner/csv.hpp"
#include "planner/plan_export.hpp"

namespace sonae::report {

std::vector<std::vector<std::string>> plan_children_rows(const planner::Plan& plan,
                                                         const GuidebookOptions& options) {
    // The planner's one per-child table (plan.csv), with names under the guidebook's rule.
    return planner::plan_child_rows(plan, {.name = [&options](const planner::ChildPlan& c) {
                                        return printable_name(c.child_id, options);
                                    }});
}

void write_plan_children_csv(const planner::Plan& plan, const std::filesystem::path& path,
                             const GuidebookOptions& options) {
    write_file_atomically(path, planner::format_csv(plan_children_rows(plan, options)),
                          FileMode::personal);
}

} // namespace sonae::report
