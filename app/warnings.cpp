#include "app/warnings.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <regex>

namespace sonae::app {

namespace {

/// Splits "warning: file 'x', line 3, field 'f', value 'v': message" into the place and the
/// message, so warnings that say the same thing about different rows group together.
std::pair<std::string, std::string> place_and_message(const std::string& text) {
    std::string body = text;
    if (body.rfind("warning: ", 0) == 0) body = body.substr(9);
    static const std::regex located(
        R"(^((?:file|layer) '[^']*'(?:, (?:layer '[^']*'|line \d+|feature \S+|field '[^']*'|value '[^']*'))*): (.*)$)");
    std::smatch m;
    if (std::regex_match(body, m, located)) return {m[1].str(), m[2].str()};
    return {"", body};
}

} // namespace

void WarningLog::add(const Diagnostics& diagnostics) {
    for (const auto& d : diagnostics)
        if (d.severity == Diagnostic::Severity::warning) add(std::vector<std::string>{d.str()});
}

void WarningLog::add(const std::vector<std::string>& formatted) {
    for (const auto& text : formatted) {
        const std::string item = text.rfind("warning: ", 0) == 0 ? text : "warning: " + text;
        if (std::find(m_items.begin(), m_items.end(), item) == m_items.end())
            m_items.push_back(item);
    }
}

void WarningLog::print(std::ostream& out) const {
    if (m_items.empty()) return;
    struct Group {
        std::size_t first = 0;
        std::vector<std::string> places;
    };
    std::map<std::string, Group> groups;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        auto [place, message] = place_and_message(m_items[i]);
        auto [it, inserted] = groups.try_emplace(message, Group{i, {}});
        if (!place.empty()) it->second.places.push_back(place);
    }
    // Largest groups first, then in the order they were first seen (deterministic).
    std::vector<std::pair<std::string, Group>> ordered(groups.begin(), groups.end());
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        const auto na = std::max<std::size_t>(1, a.second.places.size());
        const auto nb = std::max<std::size_t>(1, b.second.places.size());
        return na != nb ? na > nb : a.second.first < b.second.first;
    });
    out << "警告 (warnings): " << m_items.size() << " 件、" << ordered.size() << " 種類\n";
    for (const auto& [message, group] : ordered) {
        const std::size_t n = std::max<std::size_t>(1, group.places.size());
        out << "  [" << n << " 件] " << message << "\n";
        for (std::size_t k = 0; k < group.places.size() && k < 3; ++k)
            out << "      " << group.places[k] << "\n";
        if (group.places.size() > 3) out << "      ... ほか " << group.places.size() - 3 << " 件\n";
    }
    out << "  (--strict を付けると警告があれば中止します / --strict turns warnings into errors)\n";
}

void WarningLog::enforce(bool strict, std::ostream& out) const {
    if (!strict || m_items.empty()) return;
    print(out);
    throw InputError("--strict: " + std::to_string(m_items.size()) +
                     " warning(s) (listed above); nothing was written");
}

WarningLog& warning_log() {
    static WarningLog log;
    return log;
}

bool& strict_mode() {
    static bool strict = false;
    return strict;
}

} // namespace sonae::app
