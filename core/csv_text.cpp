#include "core/csv_text.hpp"

namespace sonae::core {

namespace {

/// "-12", "+3.5", "-0:10", "-1.2e3": a number or a time that a spreadsheet reads as a value.
bool is_plain_number(std::string_view v) {
    std::size_t i = (v.front() == '-' || v.front() == '+') ? 1 : 0;
    if (i >= v.size()) return false;
    bool digit = false;
    for (; i < v.size(); ++i) {
        const char c = v[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '.' && c != ':' && c != 'e' && c != 'E')
            return false;
    }
    return digit;
}

} // namespace

std::string formula_safe(std::string_view value) {
    // A cell starting with = + - @ (or a tab or CR before one) is a formula to Excel and
    // LibreOffice: a registry value "=HYPERLINK(...)" would run when staff open plan.csv.
    // Such a cell is written as text with a leading apostrophe; a plain number stays a number.
    if (value.empty() || value == "-" || value == "+")
        return std::string(value); // a dash alone is text
    const char c = value.front();
    const bool risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    if (!risky || is_plain_number(value)) return std::string(value);
    return "'" + std::string(value);
}

std::string csv_text(std::span<const std::vector<std::string>> rows, char delimiter, bool crlf) {
    std::string out;
    const std::string_view eol = crlf ? "\r\n" : "\n";
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0) out.push_back(delimiter);
            const std::string value = formula_safe(row[i]);
            const bool quote =
                value.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string::npos ||
                (!value.empty() &&
                 (value.front() == ' ' || value.back() == ' ' || value.front() == '\t'));
            if (!quote) {
                out += value;
                continue;
            }
            out.push_back('"');
            for (std::size_t k = 0; k < value.size(); ++k) {
                const char c = value[k];
                if (c == '"') {
                    out += "\"\"";
                } else if (c == '\n' && crlf) {
                    out += "\r\n";
                } else if (c == '\r') {
                    // Normalised: a CR inside a value is written as the line end.
                    if (k + 1 < value.size() && value[k + 1] == '\n') continue;
                    out += eol;
                } else {
                    out.push_back(c);
                }
            }
            out.push_back('"');
        }
        out += eol;
    }
    return out;
}

} // namespace sonae::core
