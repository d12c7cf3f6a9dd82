#pragma once
/// The one CSV writer of every output (plan.csv, facilities.csv, the report and simulation
/// CSVs, events.csv): RFC 4180 quoting and the formula guard, as UTF-8 text. planner::format_csv
/// adds the encoding (UTF-8 with BOM for Excel, or CP932); the trace's events.csv, which does
/// not depend on the planner, adds the BOM itself.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::core {

/// A cell as it is written: a value starting with = + - @ (or a tab or CR) gets a leading
/// apostrophe so that a spreadsheet shows it as text instead of running it as a formula; a
/// plain number or time ("-12", "-0.5", "-0:10") and a lone dash are left as they are.
std::string formula_safe(std::string_view value);

/// Rows as CSV text (UTF-8, no BOM): every cell through formula_safe, quoted when it holds the
/// delimiter, a quote, a line break or leading/trailing spaces; line ends CRLF (Excel) or LF.
std::string csv_text(std::span<const std::vector<std::string>> rows, char delimiter = ',',
                     bool crlf = true);

} // namespace sonae::core
