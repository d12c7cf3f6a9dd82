#include "report/suppression.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>

namespace sonae::report {

namespace {

/// GLPK keeps a per-thread environment (terminal settings, memory accounting) that lives
/// until glp_free_env(); each public entry point frees it on the way out, so nothing of GLPK
/// stays allocated after an audit (also for LeakSanitizer).
struct GlpkEnvironment {
    GlpkEnvironment() = default;
    GlpkEnvironment(const GlpkEnvironment&) = delete;
    GlpkEnvironment& operator=(const GlpkEnvironment&) = delete;
    ~GlpkEnvironment() { glp_free_env(); }
};

struct ProblemDeleter {
    void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

std::string cell_name(std::size_t cell) {
    return "cell " + std::to_string(cell);
}

} // namespace

std::size_t SuppressedTable::add(std::int64_t value, int keep_priority, std::int64_t known_min) {
    if (value < 0)
        throw InternalError("negative count in a council table", {.value = std::to_string(value)});
    if (value < known_min)
        throw InternalError("council cell below its known minimum",
                            {.value = std::to_string(value)});
    m_priority.push_back(keep_priority);
    m_values.push_back(value);
    m_known_min.push_back(known_min);
    m_states.push_back(CellState::shown);
    m_cell_constraints.emplace_back();
    return m_values.size() - 1;
}

void SuppressedTable::relate(std::size_t total, const std::vector<std::size_t>& parts) {
    if (!relate_if_true(total, parts)) {
        std::int64_t sum = 0;
        for (auto p : parts) sum += m_values.at(p);
        throw InternalError(
            "council table total does not equal the sum of its parts",
            {.value = std::to_string(m_values.at(total)) + " != " + std::to_string(sum)});
    }
}

bool SuppressedTable::relate_if_true(std::size_t total, const std::vector<std::size_t>& parts) {
    return equal_if_true({total}, parts);
}

bool SuppressedTable::equal_if_true(const std::vector<std::size_t>& lhs,
                                    const std::vector<std::size_t>& rhs) {
    std::int64_t l = 0, r = 0;
    std::map<std::size_t, int> coef;
    for (auto p : lhs) {
        l += m_values.at(p);
        coef[p] -= 1;
    }
    for (auto p : rhs) {
        r += m_values.at(p);
        coef[p] += 1;
    }
    if (l != r) return false;
    Constraint c;
    c.equal = true;
    for (auto [cell, k] : coef)
        if (k != 0) c.terms.push_back({cell, k});
    if (c.terms.empty()) return true;
    for (auto [cell, k] : c.terms) m_cell_constraints[cell].push_back(m_constraints.size());
    m_constraints.push_back(std::move(c));
    return true;
}

bool SuppressedTable::at_most_if_true(const std::vector<std::size_t>& lhs,
                                      const std::vector<std::size_t>& rhs) {
    std::int64_t l = 0, r = 0;
    for (auto p : lhs) l += m_values.at(p);
    for (auto p : rhs) r += m_values.at(p);
    if (l > r) return false;
    at_most(lhs, rhs);
    return true;
}

void SuppressedTable::at_most(const std::vector<std::size_t>& lhs,
                              const std::vector<std::size_t>& rhs, std::int64_t constant) {
    std::map<std::size_t, int> coef;
    std::int64_t l = 0, r = constant;
    for (auto p : lhs) {
        coef[p] += 1;
        l += m_values.at(p);
    }
    for (auto p : rhs) {
        coef[p] -= 1;
        r += m_values.at(p);
    }
    if (l > r)
        throw InternalError("council relation does not hold",
                            {.value = std::to_string(l) + " > " + std::to_string(r)});
    Constraint c;
    c.rhs = constant;
    for (auto [cell, k] : coef)
        if (k != 0) c.terms.push_back({cell, k});
    if (c.terms.empty()) return;
    for (auto [cell, k] : c.terms) m_cell_constraints[cell].push_back(m_constraints.size());
    m_constraints.push_back(std::move(c));
}

void SuppressedTable::at_least(const std::vector<std::size_t>& lhs, std::int64_t constant) {
    // -sum(lhs) <= -constant
    std::map<std::size_t, int> coef;
    std::int64_t l = 0;
    for (auto p : lhs) {
        coef[p] -= 1;
        l += m_values.at(p);
    }
    if (l < constant)
        throw InternalError("council relation does not hold",
                            {.value = std::to_string(l) + " < " + std::to_string(constant)});
    Constraint c;
    c.rhs = -constant;
    for (auto [cell, k] : coef)
        if (k != 0) c.terms.push_back({cell, k});
    if (c.terms.empty()) return;
    for (auto [cell, k] : c.terms) m_cell_constraints[cell].push_back(m_constraints.size());
    m_constraints.push_back(std::move(c));
}

void SuppressedTable::hide(std::size_t cell) {
    if (m_states.at(cell) == CellState::shown) m_states[cell] = CellState::complementary;
}

void SuppressedTable::hide_with(std::size_t cell, std::size_t when) {
    m_hide_with.push_back({cell, when});
}

std::vector<std::size_t> SuppressedTable::component(std::size_t cell) const {
    std::vector<std::size_t> out{cell};
    std::vector<char> seen(m_values.size()), used(m_constraints.size());
    seen[cell] = 1;
    for (std::size_t i = 0; i < out.size(); ++i) {
        for (auto ci : m_cell_constraints[out[i]]) {
            if (used[ci]) continue;
            used[ci] = 1;
            for (auto [other, k] : m_constraints[ci].terms) {
                if (seen[other] || m_states[other] == CellState::shown) continue;
                seen[other] = 1;
                out.push_back(other);
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

CellInterval SuppressedTable::interval(std::size_t cell) const {
    glp_term_out(GLP_OFF); // GLPK prints to stdout by default; the audit runs inside report writing
    CellInterval iv{.cell = cell, .value = m_values[cell]};
    const auto cells = component(cell);
    std::map<std::size_t, int> column; // cell -> GLPK column (1-based)
    for (std::size_t i = 0; i < cells.size(); ++i) column[cells[i]] = static_cast<int>(i) + 1;
    std::vector<std::size_t> rows;
    {
        std::vector<char> used(m_constraints.size());
        for (auto c : cells)
            for (auto ci : m_cell_constraints[c])
                if (!used[ci]) {
                    used[ci] = 1;
                    rows.push_back(ci);
                }
        std::sort(rows.begin(), rows.end());
    }
    std::unique_ptr<glp_prob, ProblemDeleter> lp(glp_create_prob());
    glp_add_cols(lp.get(), static_cast<int>(cells.size()));
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const int j = static_cast<int>(i) + 1;
        glp_set_col_kind(lp.get(), j, GLP_IV);
        glp_set_col_bnds(lp.get(), j, GLP_DB, static_cast<double>(m_known_min[cells[i]]),
                         static_cast<double>(kUnbounded));
    }
    if (!rows.empty()) glp_add_rows(lp.get(), static_cast<int>(rows.size()));
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0.0};
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& con = m_constraints[rows[r]];
        double rhs = static_cast<double>(con.rhs);
        for (auto [c, k] : con.terms) {
            if (m_states[c] == CellState::shown) {
                rhs -= static_cast<double>(k) * static_cast<double>(m_values[c]);
            } else {
                ia.push_back(static_cast<int>(r) + 1);
                ja.push_back(column.at(c));
                ar.push_back(static_cast<double>(k));
            }
        }
        glp_set_row_bnds(lp.get(), static_cast<int>(r) + 1, con.equal ? GLP_FX : GLP_UP, rhs, rhs);
    }
    glp_load_matrix(lp.get(), static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
    glp_set_obj_coef(lp.get(), column.at(cell), 1.0);
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    for (int dir : {GLP_MIN, GLP_MAX}) {
        glp_set_obj_dir(lp.get(), dir);
        const int rc = glp_intopt(lp.get(), &parm);
        const int status = glp_mip_status(lp.get());
        if (rc != 0 || status != GLP_OPT) {
            throw InternalError("the disclosure audit's integer program did not solve",
                                {.field = cell_name(cell),
                                 .value = "glp_intopt " + std::to_string(rc) + ", status " +
                                          std::to_string(status)});
        }
        const auto v = static_cast<std::int64_t>(std::llround(glp_mip_obj_val(lp.get())));
        (dir == GLP_MIN ? iv.min : iv.max) = v;
    }
    iv.protected_ = is_protected(iv);
    return iv;
}

bool SuppressedTable::is_protected(const CellInterval& iv) const {
    return iv.max - iv.min + 1 >= m_rule.min_values && iv.max >= m_rule.threshold;
}

std::size_t SuppressedTable::first_unprotected(std::vector<char>& verified) const {
    // Hiding a cell only frees a variable of the integer programs: every interval can only
    // widen, so a cell found protected stays protected while apply() hides more.
    verified.resize(m_values.size());
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        if (m_states[i] == CellState::shown || verified[i]) continue;
        if (!interval(i).protected_) return i;
        verified[i] = 1;
    }
    return m_values.size();
}

std::vector<CellInterval> SuppressedTable::audit() const {
    const GlpkEnvironment glpk;
    std::vector<CellInterval> out;
    for (std::size_t i = 0; i < m_values.size(); ++i)
        if (m_states[i] != CellState::shown) out.push_back(interval(i));
    return out;
}

void SuppressedTable::check() const {
    for (const auto& iv : audit()) {
        if (!iv.protected_) {
            throw DisclosureError(
                "the council report fails its disclosure audit: a hidden count can be narrowed "
                "down",
                {.field = cell_name(iv.cell),
                 .value = "[" + std::to_string(iv.min) + ", " + std::to_string(iv.max) + "]"});
        }
    }
}

void SuppressedTable::apply(const SuppressionRule& rule) {
    const GlpkEnvironment glpk;
    m_rule = rule;
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        if (m_values[i] > 0 && m_values[i] < rule.threshold) m_states[i] = CellState::primary;
    }
    std::vector<char> verified;
    for (;;) {
        bool changed = false;
        for (auto [cell, when] : m_hide_with) {
            if (m_states[when] != CellState::shown && m_states[cell] == CellState::shown) {
                m_states[cell] = CellState::complementary;
                changed = true;
            }
        }
        const auto bad = first_unprotected(verified);
        if (bad == m_values.size()) {
            if (changed) continue;
            break;
        }
        // Candidates: printed cells in a relation with the unprotected cell or with a hidden
        // cell linked to it.
        std::vector<std::size_t> candidates;
        for (auto h : component(bad))
            for (auto ci : m_cell_constraints[h])
                for (auto [c, k] : m_constraints[ci].terms)
                    if (m_states[c] == CellState::shown) candidates.push_back(c);
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        if (candidates.empty()) {
            const auto iv = interval(bad);
            throw DisclosureError(
                "a hidden count cannot be protected: every related count is already hidden",
                {.field = cell_name(bad),
                 .value = "[" + std::to_string(iv.min) + ", " + std::to_string(iv.max) + "]"});
        }
        std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
            if (m_priority[a] != m_priority[b]) return m_priority[a] < m_priority[b];
            return m_values[a] < m_values[b];
        });
        std::size_t pick = candidates.front();
        for (auto c : candidates) {
            m_states[c] = CellState::complementary;
            const bool fixes = interval(bad).protected_;
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
    return state(cell) == CellState::shown ? std::to_string(m_values[cell]) : std::string("x");
}

std::string format_difference(std::int64_t a, bool a_shown, std::int64_t b, bool b_shown) {
    if (!a_shown || !b_shown) return "—";
    const auto d = b - a;
    if (d == 0) return "±0";
    return (d > 0 ? "+" : "") + std::to_string(d);
}

} // namespace sonae::report
