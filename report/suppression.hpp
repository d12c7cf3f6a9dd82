#pragma once
/// Small-count suppression for council outputs (../shared/DOMAIN.md section 6).
///
/// Rule (documented for the council in every report's notes):
/// 1. Primary suppression: a count of 1 or 2 (below `threshold`, default 3) is printed "<3".
///    A true zero is printed "0": it identifies nobody, and the council must be able to see
///    that a gap is absent (set `suppress_zero` to hide zeros too).
/// 2. Complementary suppression: a table is a set of cells plus additive relations
///    (total = sum of parts: a row total, a region subtotal, the prefecture total). Whenever a
///    suppressed small count could be recomputed from the cells still shown -- because it is
///    the only unknown in a relation, or because the known difference forces every unknown
///    small count to its minimum (1) or maximum (2) -- one more cell of that relation is
///    hidden (the smallest shown part, else the total) and printed "x". This repeats until no
///    small count can be derived. Differences between two scenarios are shown only when both
///    sides are shown.
/// Complexity: O(hidden cells x relations x cells) -- tables here have a few hundred cells.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sonae::report {

/// Parameters of the suppression rule.
struct SuppressionRule {
    std::int64_t threshold = 3;   ///< counts 1 .. threshold-1 are hidden
    bool suppress_zero = false;   ///< also hide zeros (printed "<3")
};

/// How one cell is printed.
enum class CellState : std::uint8_t {
    shown,         ///< the count itself
    primary,       ///< a small count: "<3"
    complementary, ///< hidden so that a small count cannot be recomputed: "x"
};

/// A set of counts with additive relations, suppressed as a whole.
class SuppressedTable {
public:
    /// Adds a count (>= 0) and returns its index. Complementary suppression hides cells with a
    /// lower `keep_priority` first (e.g. 0 municipality rows, 1 region subtotals, 2 the
    /// prefecture total), then smaller values.
    std::size_t add(std::int64_t value, int keep_priority = 0);
    /// Declares value(total) == sum of value(parts). Throws InternalError if it does not hold.
    void relate(std::size_t total, const std::vector<std::size_t>& parts);
    /// Applies the rule; call once after all cells and relations are added.
    void apply(const SuppressionRule& rule = {});

    std::int64_t value(std::size_t cell) const { return m_values.at(cell); }
    CellState state(std::size_t cell) const { return m_states.at(cell); }
    bool shown(std::size_t cell) const { return state(cell) == CellState::shown; }
    /// "12", "<3" or "x".
    std::string text(std::size_t cell) const;
    std::size_t size() const { return m_values.size(); }

private:
    /// Index of a hidden small count that can be derived, and the relation that derives it;
    /// or {npos, npos}.
    std::pair<std::size_t, std::size_t> find_disclosure(std::vector<std::size_t>& derived_by) const;
    /// Which cells a reader can compute exactly; derived_by[i] = relation that gives cell i.
    std::vector<char> known_cells(std::vector<std::size_t>& derived_by) const;

    std::vector<std::int64_t> m_values;
    std::vector<CellState> m_states;
    std::vector<int> m_priority;
    struct Relation {
        std::size_t total;
        std::vector<std::size_t> parts;
    };
    std::vector<Relation> m_relations;
    SuppressionRule m_rule;
    std::string m_threshold_text = "<3";
};

/// Prints one count with primary suppression only (for isolated numbers with no relation).
std::string format_count(std::int64_t value, const SuppressionRule& rule = {});

/// "+2", "-5", "±0" when both sides are shown, otherwise "—" (a difference would reveal a
/// suppressed count).
std::string format_difference(std::int64_t a, bool a_shown, std::int64_t b, bool b_shown);

} // namespace sonae::report
