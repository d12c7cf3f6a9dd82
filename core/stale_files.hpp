#pragma once
/// Leftovers of writers that were killed (SIGKILL, power loss): temporary files beside an
/// output (core/atomic_file.hpp) and staging folders of output sets (geo/output_set.hpp) carry
/// their writer's pid in the name, `<prefix><pid>-<anything>`, so a later run can tell them
/// from the live ones of a concurrent writer.

#include <filesystem>
#include <string_view>

namespace sonae::core {

/// Removes the entries of `dir` named `<prefix><pid>-...` (files or whole folders) whose
/// process no longer exists. Best effort: errors are ignored, and the files of a process that
/// is alive (this one included) are never touched.
void remove_stale_leftovers(const std::filesystem::path& dir, std::string_view prefix);

} // namespace sonae::core
