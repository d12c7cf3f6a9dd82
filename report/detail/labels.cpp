#include "report/detail/labels.hpp"

#include "core/calendar.hpp"
#include "core/time_text.hpp"
#include "geo/output_date.hpp"
#include "planner/labels.hpp"

#include <chrono>
#include <cstdio>

namespace sonae::report::detail {

std::string hazard_label_ja(std::string_view kind) {
    return planner::hazard_kind_ja(kind);
}

std::string facility_kind_ja(std::string_view kind) {
    return planner::facility_kind_ja(kind);
}

std::string mobility_label_ja(planner::Mobility mobility) {
    return planner::mobility_ja(mobility);
}

std::optional<Date> parse_date(std::string_view text) {
    int y = 0, m = 0, d = 0;
    if (text.size() < 10) return std::nullopt;
    if (std::sscanf(std::string(text.substr(0, 10)).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3)
        return std::nullopt;
    if (!core::civil_seconds(y, m, d)) return std::nullopt;
    return Date{y, m, d};
}

Date today_jst() {
    return *parse_date(geo::output_date_jst()); // SOURCE_DATE_EPOCH's date when set
}

Date add_months(const Date& date, int months) {
    using namespace std::chrono;
    int total = date.year * 12 + (date.month - 1) + months;
    const int y = total / 12;
    const int m = total % 12 + 1;
    const year_month_day_last last{year{y} / month{static_cast<unsigned>(m)} / std::chrono::last};
    const int max_day = static_cast<int>(static_cast<unsigned>(last.day()));
    return {y, m, std::min(date.day, max_day)};
}

std::string format_date_ja(const Date& d) {
    return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
           "日";
}

std::string format_date_iso(const Date& d) {
    return core::date_text(d.year, d.month, d.day);
}

std::optional<std::int64_t> t0_local_minutes(std::string_view label) {
    const auto date = parse_date(label);
    if (!date || label.size() < 16 || label[10] != 'T') return std::nullopt;
    int hh = 0, mm = 0;
    if (std::sscanf(std::string(label.substr(11, 5)).c_str(), "%2d:%2d", &hh, &mm) != 2)
        return std::nullopt;
    const auto local_s = core::civil_seconds(date->year, date->month, date->day, hh, mm);
    if (!local_s) return std::nullopt;
    return *local_s / 60;
}

std::string format_duration_ja(std::int64_t seconds) {
    return core::duration_ja(seconds, {.pad_minutes = true});
}

namespace {
/// The local count of seconds (core/calendar.hpp) at t_s after t0, when t0 has a clock time.
std::optional<std::int64_t> local_at(const planner::Plan& plan, std::int64_t t_s) {
    const auto t0 = t0_local_minutes(plan.t0_label);
    if (!t0) return std::nullopt;
    return *t0 * 60 + t_s;
}
} // namespace

std::string format_time_ja(const planner::Plan& plan, std::int64_t t_s) {
    const std::string relative = t_s >= 0 ? "発令から" + format_duration_ja(t_s) + "後"
                                          : "発令の" + format_duration_ja(-t_s) + "前";
    const auto at = local_at(plan, t_s);
    if (!at) return relative;
    return core::month_day_ja(*at) + " " + core::clock_text(*at) + "（" + relative + "）";
}

std::string format_clock(const planner::Plan& plan, std::int64_t t_s) {
    const auto at = local_at(plan, t_s);
    if (!at) return core::elapsed_text(t_s, {.plus_sign = true});
    return core::clock_text(*at);
}

std::string fixed(double value, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, value);
    return buf;
}

} // namespace sonae::report::detail
