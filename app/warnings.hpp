#pragma once
// Warnings a person sees (issue 24 item 4): every command collects the non-fatal data issues
// of what it loaded and planned and prints them at the end, grouped by what they say and
// counted, on stderr; `--strict` turns them into an error before anything is written.

#include "core/error.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace sonae::app {

/// The warnings of one command, without repeats (the plan carries the loaders' warnings too).
class WarningLog {
public:
    /// Adds the warnings among `diagnostics` (errors and infos are not warnings).
    void add(const Diagnostics& diagnostics);
    /// Adds warnings already formatted by Diagnostic::str() (plan.json's `warnings`).
    void add(const std::vector<std::string>& formatted);
    std::size_t size() const noexcept { return m_items.size(); }
    /// Prints "警告 (warnings): N 件" and one line per group: the count, the message, and up
    /// to three of the places it was seen. Prints nothing when there is no warning.
    void print(std::ostream& out) const;
    /// With `strict` and any warning: prints them on `out`, then throws InputError with the
    /// count (exit 2). Called before a command writes anything.
    void enforce(bool strict, std::ostream& out) const;

private:
    std::vector<std::string> m_items; ///< Diagnostic::str() texts, in the order first seen
};

/// The log of the running command, and whether `--strict` was given.
WarningLog& warning_log();
bool& strict_mode();

} // namespace sonae::app
