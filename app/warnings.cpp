#include "app/warnings.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <regex>
#include <string>
#include <vector>

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
    // Grouped by the message's shape, its numbers aside: "the home lies 1.1 km off the land"
    // and "... 1.6 km ..." are one kind of warning (grouped by the exact text, 140 warnings of
    // 100 homes in the sea were 117 kinds, one line each). A number every member shares stays
    // in the group's line; one that differs is written … there and given on each place's line.
    static const std::regex number(R"(\d+(?:\.\d+)?)");
    struct Member {
        std::string place;
        std::vector<std::string> numbers;
    };
    struct Group {
        std::size_t first = 0;
        std::vector<std::string> texts; ///< the message's text between its numbers
        std::vector<Member> members;
    };
    std::map<std::string, Group> groups;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        auto [place, message] = place_and_message(m_items[i]);
        Member member{std::move(place), {}};
        std::vector<std::string> texts;
        std::size_t at = 0;
        for (auto it = std::sregex_iterator(message.begin(), message.end(), number);
             it != std::sregex_iterator(); ++it) {
            texts.push_back(message.substr(at, static_cast<std::size_t>(it->position()) - at));
            member.numbers.push_back(it->str());
            at = static_cast<std::size_t>(it->position() + it->length());
        }
        texts.push_back(message.substr(at));
        std::string shape;
        for (const auto& t : texts) shape += t + '\x01';
        auto [it, inserted] = groups.try_emplace(shape, Group{i, std::move(texts), {}});
        it->second.members.push_back(std::move(member));
    }
    // Largest groups first, then in the order they were first seen (deterministic).
    std::vector<const Group*> ordered;
    for (const auto& [shape, group] : groups) ordered.push_back(&group);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Group* a, const Group* b) {
        return a->members.size() != b->members.size() ? a->members.size() > b->members.size()
                                                      : a->first < b->first;
    });
    out << "警告 (warnings): " << m_items.size() << " 件、" << ordered.size() << " 種類\n";
    for (const Group* group : ordered) {
        const auto& members = group->members;
        std::vector<bool> varies(members.front().numbers.size(), false);
        for (std::size_t k = 0; k < varies.size(); ++k)
            for (const auto& m : members)
                varies[k] = varies[k] || m.numbers[k] != members.front().numbers[k];
        std::string message = group->texts.front();
        for (std::size_t k = 0; k < varies.size(); ++k)
            message += (varies[k] ? "…" : members.front().numbers[k]) + group->texts[k + 1];
        out << "  [" << members.size() << " 件] " << message << "\n";
        const bool any_varies = std::find(varies.begin(), varies.end(), true) != varies.end();
        std::size_t shown = 0;
        for (const auto& m : members) {
            if (m.place.empty() && !any_varies) continue;
            if (shown == 3) break;
            ++shown;
            std::string values;
            for (std::size_t k = 0; k < varies.size(); ++k)
                if (varies[k]) values += (values.empty() ? "" : "、") + m.numbers[k];
            out << "      " << m.place
                << (any_varies ? (m.place.empty() ? "（" : " （") + values + "）" : "") << "\n";
        }
        std::size_t listed = 0;
        for (const auto& m : members) listed += (!m.place.empty() || any_varies) ? 1 : 0;
        if (listed > 3) out << "      ... ほか " << listed - 3 << " 件\n";
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
