#pragma once
/// Disclosure control for council outputs (../shared/DOMAIN.md section 6): the one layer every
/// published count of the council report goes through, and the audit that proves it holds.
///
/// Model (statistical disclosure control as in tau-ARGUS / sdcTable): a release is a set of
/// non-negative integer cells and the linear relations a reader knows between them (a total is
/// the sum of its parts; a chart bin equals a table column; a count is at most another; an
/// order statistic bounds cumulative bins). Every cell is either printed as its number or
/// hidden, and every hidden cell prints the same mark "x", whether it is small or hidden to
/// protect another: a reader cannot tell a 1 from a complementary 0 or 12.
///
/// 1. Primary suppression: counts 1 .. threshold-1 (default 1 and 2) are hidden. A true zero
///    is printed (it identifies nobody) unless it is forced hidden (hide()).
/// 2. Audit: for each hidden cell, the reader's feasible interval [min, max] of its value given
///    every printed cell and every relation is computed as two integer programs (GLPK: minimise
///    and maximise the cell) over the hidden cells linked to it. A hidden cell is protected if
///    the interval holds at least `min_values` (3) integers and reaches `threshold` (3) or
///    more: "x" may then be 0, 1, 2 or several.
/// 3. Complementary suppression: while a hidden cell is not protected, one more printed cell
///    that shares a relation with it (or with a hidden cell linked to it) is hidden: the cell
///    with the lowest keep priority, then the smallest value, that protects it on its own if
///    there is one. When no printed cell is left to hide, apply() throws DisclosureError and
///    the caller reports a coarser grouping instead.
///
/// The audit is exact for the relations declared; the caller declares every relation a reader
/// can know (also ones that only hold for this data are declared: more knowledge makes the
/// audit stricter, never weaker).

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sonae::report {

/// Parameters of the disclosure rule.
struct SuppressionRule {
    std::int64_t threshold =
        3; ///< counts 1 .. threshold-1 are hidden; an "x" must be able to reach it
    std::int64_t min_values =
        3; ///< a hidden cell's feasible interval holds at least this many values
};

/// How one cell is printed.
enum class CellState : std::uint8_t {
    shown,         ///< the count itself
    primary,       ///< a small count: "x"
    complementary, ///< hidden so that no hidden cell can be narrowed down: "x"
};

/// The published release could not be protected (every related cell is already hidden and a
/// hidden cell is still narrowed down) or failed its audit: nothing may be written (exit 3).
class DisclosureError : public InternalError {
public:
    using InternalError::InternalError;
};

/// The feasible interval of one hidden cell, as the audit found it.
struct CellInterval {
    std::size_t cell = 0;
    std::int64_t value = 0; ///< the true value
    std::int64_t min = 0;
    std::int64_t max = 0;    ///< kUnbounded if the reader has no upper bound
    bool protected_ = false; ///< at least min_values values and max >= threshold
};

/// A set of counts with linear relations, suppressed and audited as a whole.
class SuppressedTable {
public:
    static constexpr std::int64_t kUnbounded = 1'000'000;

    /// Adds a count (>= 0) and returns its index. Complementary suppression hides cells with a
    /// lower `keep_priority` first (e.g. -1 map cells, 0 municipality rows, 1 region subtotals,
    /// 2 the prefecture total), then smaller values. `known_min`: a lower bound every reader
    /// knows from the layout (a facility row exists only if a child uses it: 1).
    std::size_t add(std::int64_t value, int keep_priority = 0, std::int64_t known_min = 0);
    /// Declares value(total) == sum of value(parts). Throws InternalError if it does not hold.
    void relate(std::size_t total, const std::vector<std::size_t>& parts);
    /// Declares sum of value(lhs) <= sum of value(rhs) + constant. Throws InternalError if false.
    void at_most(const std::vector<std::size_t>& lhs, const std::vector<std::size_t>& rhs,
                 std::int64_t constant = 0);
    /// Declares sum of value(lhs) >= constant. Throws InternalError if false.
    void at_least(const std::vector<std::size_t>& lhs, std::int64_t constant);
    /// The sum relation if it holds in the data (returns whether it was declared).
    bool relate_if_true(std::size_t total, const std::vector<std::size_t>& parts);
    /// Declares sum of value(lhs) == sum of value(rhs) if it holds in the data.
    bool equal_if_true(const std::vector<std::size_t>& lhs, const std::vector<std::size_t>& rhs);
    /// The inequality if it holds in the data.
    bool at_most_if_true(const std::vector<std::size_t>& lhs, const std::vector<std::size_t>& rhs);
    /// Hides a cell whatever its value (printed "x"; a zero that would profile a hidden group).
    void hide(std::size_t cell);
    /// Hides `cell` when apply() hides `when` (evaluated at the end of apply(), then audited).
    void hide_with(std::size_t cell, std::size_t when);
    /// Applies the rule: primary, then complementary suppression until the audit passes.
    /// Throws DisclosureError if it cannot. Call once after all cells and relations are added.
    void apply(const SuppressionRule& rule = {});
    /// The feasible interval of every hidden cell (sorted by cell).
    std::vector<CellInterval> audit() const;
    /// Throws DisclosureError naming the first unprotected hidden cell, if any.
    void check() const;

    std::int64_t value(std::size_t cell) const { return m_values.at(cell); }
    CellState state(std::size_t cell) const { return m_states.at(cell); }
    bool shown(std::size_t cell) const { return state(cell) == CellState::shown; }
    /// "12" or "x".
    std::string text(std::size_t cell) const;
    std::size_t size() const { return m_values.size(); }
    std::size_t relations() const { return m_constraints.size(); }
    const SuppressionRule& rule() const { return m_rule; }

private:
    /// sum(coef * cell) <= rhs (or == rhs when `equal`).
    struct Constraint {
        std::vector<std::pair<std::size_t, int>> terms;
        std::int64_t rhs = 0;
        bool equal = false;
    };
    /// The hidden cells linked to `cell` through constraints with two or more hidden cells.
    std::vector<std::size_t> component(std::size_t cell) const;
    /// min and max of `cell` over its component (integer programs).
    CellInterval interval(std::size_t cell) const;
    bool is_protected(const CellInterval& iv) const;
    /// Index of the first unprotected hidden cell not yet `verified`, or size().
    std::size_t first_unprotected(std::vector<char>& verified) const;

    std::vector<std::int64_t> m_values;
    std::vector<std::int64_t> m_known_min;
    std::vector<CellState> m_states;
    std::vector<int> m_priority;
    std::vector<Constraint> m_constraints;
    std::vector<std::vector<std::size_t>> m_cell_constraints; ///< constraints each cell appears in
    std::vector<std::pair<std::size_t, std::size_t>> m_hide_with;
    SuppressionRule m_rule;
};

/// "+2", "-5", "±0" when both sides are shown, otherwise "—" (a difference would reveal a
/// hidden count).
std::string format_difference(std::int64_t a, bool a_shown, std::int64_t b, bool b_shown);

} // namespace sonae::report
