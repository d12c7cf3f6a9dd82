#include "report/suppression.hpp"

#include "geo/error.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace sonae::report {

namespace {
constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

bool is_small(std::int64_t value, const SuppressionRule& rule) {
    return value < rule.threshold && (value > 0 || rule.suppress_zero);
}
} // namespace

std::size_t SuppressedTable::add(std::int64_t value, int keep_priority) {
    if (value < 0) throw InternalError("negative count in a council table", {.value = std::to_string(value)});
    m_priority.push_back(keep_priority);
    m_values.push_back(value);
    m_states.push_back(CellState::shown);
    return m_values.size() - 1;
}

void SuppressedTable::relate(std::size_t total, const std::vector<std::size_t>& parts) {
    std::int64_t sum = 0;
    for (auto p : parts) sum += m_values.at(p);
    if (sum != m_values.at(total)) {
        throw InternalError("council table total does not equal the sum of its parts",
                            {.value = std::to_string(m_values.at(total)) + " != " + std::to_string(sum)});
    }
    m_relations.push_back({total, parts});
}

std::vector<char> SuppressedTable::known_cells(std::vector<std::size_t>& derived_by) const {
    // known[i]: the reader can tell the exact value of cell i from what is printed.
    std::vector<char> known(m_values.size());
    for (std::size_t i = 0; i < m_values.size(); ++i) known[i] = m_states[i] == CellState::shown;
    derived_by.assign(m_values.size(), npos);
    const std::int64_t low = m_rule.suppress_zero ? 0 : 1;
    const std::int64_t high = m_rule.threshold - 1;
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::size_t r = 0; r < m_relations.size(); ++r) {
            const auto& rel = m_relations[r];
            std::vector<std::size_t> unknown;
            if (!known[rel.total]) unknown.push_back(rel.total);
            for (auto p : rel.parts)
                if (!known[p]) unknown.push_back(p);
            if (unknown.empty()) continue;
            bool derive_all = unknown.size() == 1;
            if (!derive_all && known[rel.total]) {
                // Bounds: every unknown part lies in [low, high] (a small count) or
                // [0, inf) (complementary). The known remainder may pin them all.
                std::int64_t rest = m_values[rel.total];
                for (auto p : rel.parts)
                    if (known[p]) rest -= m_values[p];
                std::int64_t k_small = 0;
                bool any_open = false;
                for (auto u : unknown) {
                    if (m_states[u] == CellState::primary) ++k_small;
                    else any_open = true;
                }
                if (rest == k_small * low) derive_all = true;              // all at the minimum
                if (!any_open && rest == k_small * high) derive_all = true; // all at the maximum
            }
            if (derive_all) {
                for (auto u : unknown) {
                    known[u] = 1;
                    derived_by[u] = r;
                }
                changed = true;
            }
        }
    }
    return known;
}

std::pair<std::size_t, std::size_t>
SuppressedTable::find_disclosure(std::vector<std::size_t>& derived_by) const {
    const auto known = known_cells(derived_by);
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        if (m_states[i] == CellState::primary && known[i]) return {i, derived_by[i]};
    }
    return {npos, npos};
}

void SuppressedTable::apply(const SuppressionRule& rule) {
    m_rule = rule;
    m_threshold_text = "<" + std::to_string(rule.threshold);
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        if (is_small(m_values[i], rule)) m_states[i] = CellState::primary;
    }
    std::vector<std::size_t> derived_by;
    for (;;) {
        const auto [cell, relation] = find_disclosure(derived_by);
        if (cell == npos) break;
        // Candidates: the shown cells of the relation that gives the small count away, and
        // of the relations that gave away the other hidden cells used there.
        std::vector<std::size_t> candidates;
        auto add_shown = [&](const Relation& rel) {
            for (auto p : rel.parts)
                if (m_states[p] == CellState::shown) candidates.push_back(p);
            if (m_states[rel.total] == CellState::shown) candidates.push_back(rel.total);
        };
        // Breadth-first over the relations that revealed the hidden cells used: the first two
        // levels always, further ones only while nothing can be hidden yet.
        std::vector<char> visited(m_relations.size());
        std::vector<std::size_t> level{relation};
        visited[relation] = 1;
        for (int depth = 0; !level.empty() && (depth < 2 || candidates.empty()); ++depth) {
            std::vector<std::size_t> next;
            for (auto r : level) {
                const auto& rel = m_relations[r];
                add_shown(rel);
                std::vector<std::size_t> members = rel.parts;
                members.push_back(rel.total);
                for (auto m : members) {
                    if (m == cell || m_states[m] == CellState::shown) continue;
                    const auto by = derived_by[m];
                    if (by != npos && !visited[by]) {
                        visited[by] = 1;
                        next.push_back(by);
                    }
                }
            }
            level = std::move(next);
        }
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        // Cheapest first: detail rows before subtotals and totals, then the smallest value.
        std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
            if (m_priority[a] != m_priority[b]) return m_priority[a] < m_priority[b];
            return m_values[a] < m_values[b];
        });
        if (candidates.empty()) throw InternalError("small-count suppression could not protect a cell");
        std::size_t pick = candidates.front();
        std::vector<std::size_t> scratch;
        for (auto c : candidates) {
            // Prefer a cell whose hiding really protects the small count on its own.
            m_states[c] = CellState::complementary;
            const bool fixes = !known_cells(scratch)[cell];
            m_states[c] = CellState::shown;
            if (fixes) {
                pick = c;
                break;
            }
        }
        m_states[pick] = CellState::complementary;
    }
}

std::string SuppressedTable::text(std::size_t cell) const {
    switch (state(cell)) {
    case CellState::shown: return std::to_string(m_values[cell]);
    case CellState::primary: return m_threshold_text;
    case CellState::complementary: return "x";
    }
    return "x";
}

std::string format_count(std::int64_t value, const SuppressionRule& rule) {
    if (is_small(value, rule)) return "<" + std::to_string(rule.threshold);
    return std::to_string(value);
}

std::string format_difference(std::int64_t a, bool a_shown, std::int64_t b, bool b_shown) {
    if (!a_shown || !b_shown) return "—";
    const auto d = b - a;
    if (d == 0) return "±0";
    return (d > 0 ? "+" : "") + std::to_string(d);
}

} // namespace sonae::report
