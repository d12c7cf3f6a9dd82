#include "planner/detail/registry_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sonae::planner::detail {

std::string fold_width(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        // Full-width forms U+FF01..U+FF5E are EF BC 81..EF BD 9E in UTF-8.
        if (c == 0xEF && i + 2 < text.size()) {
            const auto c1 = static_cast<unsigned char>(text[i + 1]);
            const auto c2 = static_cast<unsigned char>(text[i + 2]);
            unsigned code = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
            if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80 && code >= 0xFF01 && code <= 0xFF5E) {
                out.push_back(static_cast<char>(code - 0xFF01 + 0x21));
                i += 3;
                continue;
            }
        }
        // U+3000 ideographic space: E3 80 80.
        if (c == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
            static_cast<unsigned char>(text[i + 2]) == 0x80) {
            out.push_back(' ');
            i += 3;
            continue;
        }
        // U+2212 minus sign and U+30FC (often typed for a dash) are left alone except the
        // minus sign, which Excel users paste from Word: E2 88 92.
        if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x88 &&
            static_cast<unsigned char>(text[i + 2]) == 0x92) {
            out.push_back('-');
            i += 3;
            continue;
        }
        out.push_back(static_cast<char>(c));
        ++i;
    }
    return out;
}

std::string trim(std::string_view text) {
    auto is_space_at = [&](std::size_t i) -> std::size_t {
        if (i < text.size() &&
            (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
            return 1;
        if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE3 &&
            static_cast<unsigned char>(text[i + 1]) == 0x80 &&
            static_cast<unsigned char>(text[i + 2]) == 0x80)
            return 3;
        return 0;
    };
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t n = is_space_at(begin);
        if (n == 0) break;
        begin += n;
    }
    std::size_t end = text.size();
    while (end > begin) {
        if (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' ||
            text[end - 1] == '\n') {
            --end;
        } else if (end >= begin + 3 && static_cast<unsigned char>(text[end - 3]) == 0xE3 &&
                   static_cast<unsigned char>(text[end - 2]) == 0x80 &&
                   static_cast<unsigned char>(text[end - 1]) == 0x80) {
            end -= 3;
        } else {
            break;
        }
    }
    return std::string(text.substr(begin, end - begin));
}

std::optional<std::string> id_problem(std::string_view id) {
    if (id.size() > 64)
        return "the id is " + std::to_string(id.size()) +
               " bytes long; at most 64 (it names the family's guidebook file)";
    if (id.find_first_of(",;\"'/\\\t\r\n") != std::string_view::npos)
        return std::string("the id contains a comma, semicolon, quote, slash, backslash, tab or "
                           "line break");
    if (!id.empty() && std::string_view("=+-@").find(id.front()) != std::string_view::npos)
        return std::string("the id starts with '") + id.front() +
               "', which a spreadsheet reads as a formula; start it with a letter or a digit";
    return std::nullopt;
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::vector<std::string> split_any(std::string_view text,
                                   const std::vector<std::string_view>& separators) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t matched = 0;
        if (i < text.size()) {
            for (std::string_view sep : separators) {
                if (!sep.empty() && text.substr(i, sep.size()) == sep) {
                    matched = sep.size();
                    break;
                }
            }
        }
        if (i == text.size() || matched > 0) {
            std::string part = trim(text.substr(start, i - start));
            if (!part.empty()) parts.push_back(std::move(part));
            if (i == text.size()) break;
            i += matched;
            start = i;
        } else {
            ++i;
        }
    }
    return parts;
}

std::optional<double> parse_number(std::string_view raw) {
    std::string text = trim(fold_width(raw));
    if (text.empty()) return std::nullopt;
    // Accept "1,500" (thousands groups of three) but not "1,5" (a decimal comma is ambiguous).
    if (text.find(',') != std::string::npos) {
        std::string cleaned;
        const std::size_t dot = text.find('.');
        const std::string integer_part = text.substr(0, dot);
        std::size_t group = 0;
        bool ok = true;
        for (std::size_t i = integer_part.size(); i-- > 0;) {
            const char c = integer_part[i];
            if (c == ',') {
                if (group != 3) ok = false;
                group = 0;
            } else {
                ++group;
            }
        }
        if (!ok) return std::nullopt;
        for (char c : text) {
            if (c != ',') cleaned.push_back(c);
        }
        text = cleaned;
    }
    if (text.front() == '+') text.erase(0, 1);
    double value = 0.0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    const auto value = parse_number(text);
    if (!value || std::floor(*value) != *value || std::fabs(*value) > 9.0e15) return std::nullopt;
    return static_cast<std::int64_t>(*value);
}

std::optional<bool> parse_bool(std::string_view raw) {
    const std::string text = lower_ascii(trim(fold_width(raw)));
    static const std::vector<std::string_view> yes{"1",  "true", "yes",  "y",  "t", "はい",
                                                   "有", "あり", "有り", "可", "○", "〇",
                                                   "◯",  "同意", "済",   "要"};
    static const std::vector<std::string_view> no{"0",      "false", "no",   "n",    "f", "いいえ",
                                                  "無",     "なし",  "無し", "不可", "×", "✕",
                                                  "不同意", "未",    "否",   "-"};
    for (auto y : yes) {
        if (text == y) return true;
    }
    for (auto n : no) {
        if (text == n) return false;
    }
    return std::nullopt;
}

RowReader::RowReader(const Table& table, const TableRow& row, const ColumnMatch& match,
                     std::span<const ColumnSpec> specs, Diagnostics& diagnostics)
    : m_table(table), m_row(row), m_match(match), m_specs(specs), m_diagnostics(diagnostics) {}

bool RowReader::present(std::size_t spec) const {
    return m_match.index[spec].has_value() && *m_match.index[spec] < m_row.values.size();
}

std::string RowReader::text(std::size_t spec) const {
    if (!present(spec)) return {};
    return m_row.values[*m_match.index[spec]];
}

Where RowReader::where(std::optional<std::size_t> spec) const {
    if (!spec) return m_table.where(m_row);
    if (m_match.index[*spec]) return m_table.where(m_row, *m_match.index[*spec]);
    Where w = m_table.where(m_row);
    w.field = std::string(m_specs[*spec].name);
    return w;
}

void RowReader::error(std::size_t spec, const std::string& message) {
    m_failed = true;
    m_diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, message, where(spec)});
}

void RowReader::error_row(const std::string& message) {
    m_failed = true;
    m_diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, message, where()});
}

void RowReader::warning(std::size_t spec, const std::string& message) {
    m_diagnostics.push_back(Diagnostic{Diagnostic::Severity::warning, message, where(spec)});
}

std::optional<double> RowReader::number(std::size_t spec, double min, double max, bool required,
                                        std::optional<double> fallback) {
    const std::string value = text(spec);
    if (value.empty()) {
        if (required) error(spec, "a number is required here but the cell is empty");
        return fallback;
    }
    const auto parsed = parse_number(value);
    if (!parsed) {
        error(spec, "not a number");
        return fallback;
    }
    if (*parsed < min || *parsed > max) {
        error(spec, "out of range: expected a number from " + format_number(min) + " to " +
                        format_number(max));
        return fallback;
    }
    return parsed;
}

std::optional<std::int64_t> RowReader::integer(std::size_t spec, std::int64_t min, std::int64_t max,
                                               bool required,
                                               std::optional<std::int64_t> fallback) {
    const std::string value = text(spec);
    if (value.empty()) {
        if (required) error(spec, "a whole number is required here but the cell is empty");
        return fallback;
    }
    const auto parsed = parse_integer(value);
    if (!parsed) {
        error(spec, parse_number(value) ? "not a whole number" : "not a number");
        return fallback;
    }
    if (*parsed < min || *parsed > max) {
        error(spec, "out of range: expected a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max));
        return fallback;
    }
    return parsed;
}

std::optional<bool> RowReader::boolean(std::size_t spec, bool required,
                                       std::optional<bool> fallback) {
    const std::string value = text(spec);
    if (value.empty()) {
        if (required) error(spec, "yes/no is required here but the cell is empty");
        return fallback;
    }
    const auto parsed = parse_bool(value);
    if (!parsed) {
        error(spec, "not a yes/no value (use 1/0, yes/no, はい/いいえ, 有/無)");
        return fallback;
    }
    return parsed;
}

char jis_check_digit(std::string_view five) {
    static constexpr int weights[5] = {6, 5, 4, 3, 2};
    int sum = 0;
    for (std::size_t i = 0; i < 5; ++i) sum += (five[i] - '0') * weights[i];
    return static_cast<char>('0' + (11 - sum % 11) % 10);
}

std::optional<std::string> canonical_municipality_code(std::string_view raw) {
    std::string text = trim(fold_width(raw));
    // Excel may have turned the code into a number ("352021.0").
    if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    if (text.size() == 5) return text + jis_check_digit(text);
    if (text.size() == 6) {
        if (jis_check_digit(std::string_view(text).substr(0, 5)) != text[5]) return std::nullopt;
        return text;
    }
    return std::nullopt;
}

std::string format_number(double value) {
    // Shortest text that reads back as the same double ("60", "0.5", "131.2512345").
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("nan");
}

} // namespace sonae::planner::detail
