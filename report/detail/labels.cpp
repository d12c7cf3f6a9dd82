#include "report/detail/labels.hpp"

#include "geo/output_date.hpp"
#include "planner/labels.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

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
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
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
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::optional<std::int64_t> t0_local_minutes(std::string_view label) {
    const auto date = parse_date(label);
    if (!date || label.size() < 16 || label[10] != 'T') return std::nullopt;
    int hh = 0, mm = 0;
    if (std::sscanf(std::string(label.substr(11, 5)).c_str(), "%2d:%2d", &hh, &mm) != 2)
        return std::nullopt;
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
    using namespace std::chrono;
    const sys_days day{year{date->year} / month{static_cast<unsigned>(date->month)} /
                       std::chrono::day{static_cast<unsigned>(date->day)}};
    return static_cast<std::int64_t>(day.time_since_epoch().count()) * 1440 + hh * 60 + mm;
}

std::string format_duration_ja(std::int64_t seconds) {
    const bool negative = seconds < 0;
    const std::int64_t minutes = (negative ? -seconds : seconds) / 60;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%lld時間%02lld分", negative ? "-" : "",
                  static_cast<long long>(minutes / 60), static_cast<long long>(minutes % 60));
    return buf;
}

namespace {
std::optional<std::pair<Date, std::int64_t>> clock_at(const planner::Plan& plan, std::int64_t t_s) {
    const auto t0 = t0_local_minutes(plan.t0_label);
    if (!t0) return std::nullopt;
    std::int64_t minutes = *t0 + (t_s >= 0 ? t_s / 60 : -((-t_s + 59) / 60));
    std::int64_t days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    const std::int64_t minute_of_day = minutes - days * 1440;
    using namespace std::chrono;
    const year_month_day ymd{sys_days{std::chrono::days{days}}};
    return std::pair{Date{static_cast<int>(ymd.year()),
                          static_cast<int>(static_cast<unsigned>(ymd.month())),
                          static_cast<int>(static_cast<unsigned>(ymd.day()))},
                     minute_of_day};
}
} // namespace

std::string format_time_ja(const planner::Plan& plan, std::int64_t t_s) {
    const std::string relative = t_s >= 0 ? "発令から" + format_duration_ja(t_s) + "後"
                                          : "発令の" + format_duration_ja(-t_s) + "前";
    const auto at = clock_at(plan, t_s);
    if (!at) return relative;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d月%d日 %02lld:%02lld", at->first.month, at->first.day,
                  static_cast<long long>(at->second / 60), static_cast<long long>(at->second % 60));
    return std::string(buf) + "（" + relative + "）";
}

std::string format_clock(const planner::Plan& plan, std::int64_t t_s) {
    const auto at = clock_at(plan, t_s);
    char buf[48];
    if (!at) {
        const std::int64_t m = (t_s < 0 ? -t_s : t_s) / 60;
        std::snprintf(buf, sizeof buf, "%s%lld:%02lld", t_s < 0 ? "-" : "+",
                      static_cast<long long>(m / 60), static_cast<long long>(m % 60));
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(at->second / 60),
                  static_cast<long long>(at->second % 60));
    return buf;
}

std::string fixed(double value, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, value);
    return buf;
}

} // namespace sonae::report::detail
