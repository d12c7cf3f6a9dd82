#pragma once
/// Private formatting helpers shared by the guidebook, council report and CSV writers.

#include "planner/plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sonae::report::detail {

/// "洪水（浸水）" for "flood", etc.; the code itself if unknown.
std::string hazard_label_ja(std::string_view hazard_kind);
/// "福祉避難所" for "welfare_shelter", etc. (planner/labels.hpp, the one vocabulary).
std::string facility_kind_ja(std::string_view kind);
/// "車いす" for Mobility::wheelchair, etc. (planner/labels.hpp).
std::string mobility_label_ja(planner::Mobility mobility);

/// A civil date.
struct Date {
    int year = 1970, month = 1, day = 1;
};
/// Parses "YYYY-MM-DD" (the first 10 characters); nullopt if malformed.
std::optional<Date> parse_date(std::string_view text);
/// Today in Japan time (UTC+9), or the date of SOURCE_DATE_EPOCH when set (geo/output_date.hpp).
Date today_jst();
/// The date `months` later, clamped to the month's last day.
Date add_months(const Date& date, int months);
/// "2026年11月21日".
std::string format_date_ja(const Date& date);
/// "2026-11-21".
std::string format_date_iso(const Date& date);

/// Clock time of t0 parsed from the plan's t0_label ("2026-07-01T06:00+09:00 ..."): minutes
/// since 1970-01-01 in the label's own local time; nullopt if the label has no time.
std::optional<std::int64_t> t0_local_minutes(std::string_view t0_label);

/// "1時間05分" for 3900 s; "-0時間10分" for negatives.
std::string format_duration_ja(std::int64_t seconds);
/// "7月1日 07:05（発令から1時間05分後）", or only the relative part if t0 has no clock time.
std::string format_time_ja(const planner::Plan& plan, std::int64_t t_s);
/// "07:05" or "+1:05" (short form for tables).
std::string format_clock(const planner::Plan& plan, std::int64_t t_s);
/// A number with `digits` decimals.
std::string fixed(double value, int digits);

} // namespace sonae::report::detail
