#include "geo/error.hpp"
#include "report/suppression.hpp"

#include <gtest/gtest.h>

using namespace sonae::report;

TEST(Suppression, SmallCountsArePrintedAsUnderThreeAndZeroStays) {
    EXPECT_EQ(format_count(0), "0");
    EXPECT_EQ(format_count(1), "<3");
    EXPECT_EQ(format_count(2), "<3");
    EXPECT_EQ(format_count(3), "3");
    EXPECT_EQ(format_count(0, {.threshold = 3, .suppress_zero = true}), "<3");
    EXPECT_EQ(format_count(4, {.threshold = 5}), "<5");
}

TEST(Suppression, LoneSmallCellInARowGetsAComplementaryCell) {
    // total 10 = 7 + 1 + 2... here 10 = 8 + 2 + 0: hiding only the 2 would let 10-8-0 give it.
    SuppressedTable t;
    const auto total = t.add(10, 1);
    const auto a = t.add(8);
    const auto b = t.add(2);
    const auto c = t.add(0);
    t.relate(total, {a, b, c});
    t.apply();
    EXPECT_EQ(t.text(b), "<3");
    EXPECT_EQ(t.text(total), "10") << "totals are kept when a part can be hidden";
    // The zero is the cheapest cell that protects the 2: 10 - 8 = 2 + x leaves it open.
    EXPECT_EQ(t.text(c), "x");
    EXPECT_EQ(t.text(a), "8");
}

TEST(Suppression, TwoSmallCellsPinnedByTheTotalAreProtected) {
    // 6 = 2 + 2 + 2? no: 6 = 4 + 1 + 1 -> the two "<3" must both be 1 (6-4 = 2 = 2 x 1).
    SuppressedTable t;
    const auto total = t.add(6, 1);
    const auto a = t.add(4);
    const auto b = t.add(1);
    const auto c = t.add(1);
    t.relate(total, {a, b, c});
    t.apply();
    EXPECT_EQ(t.text(b), "<3");
    EXPECT_EQ(t.text(c), "<3");
    EXPECT_FALSE(t.shown(a) && t.shown(total)) << "6 and 4 together reveal both ones";
    // Same at the maximum: 8 = 4 + 2 + 2.
    SuppressedTable u;
    const auto ut = u.add(8, 1);
    const auto ua = u.add(4);
    const auto ub = u.add(2);
    const auto uc = u.add(2);
    u.relate(ut, {ua, ub, uc});
    u.apply();
    EXPECT_FALSE(u.shown(ua) && u.shown(ut));
    // Not pinned: 7 = 4 + 1 + 2 leaves (1,2) or (2,1): nothing more to hide.
    SuppressedTable v;
    const auto vt = v.add(7, 1);
    const auto va = v.add(4);
    const auto vb = v.add(1);
    const auto vc = v.add(2);
    v.relate(vt, {va, vb, vc});
    v.apply();
    EXPECT_TRUE(v.shown(va));
    EXPECT_TRUE(v.shown(vt));
}

TEST(Suppression, ChainsThroughSubtotalsAreFollowed) {
    // Region = A + B, with A = 4 (all on time) and B = 1. Showing region 5 and A's row
    // would give B; the protection must survive A's row total being derivable from its parts.
    SuppressedTable t;
    const auto region = t.add(5, 2);
    const auto a_total = t.add(4, 1), a_on = t.add(4), a_late = t.add(0);
    const auto b_total = t.add(1, 1), b_on = t.add(0), b_late = t.add(1);
    const auto r_on = t.add(4, 1), r_late = t.add(1, 1);
    t.relate(a_total, {a_on, a_late});
    t.relate(b_total, {b_on, b_late});
    t.relate(region, {a_total, b_total});
    t.relate(region, {r_on, r_late});
    t.relate(r_on, {a_on, b_on});
    t.relate(r_late, {a_late, b_late});
    t.apply();
    EXPECT_EQ(t.text(b_total), "<3");
    EXPECT_EQ(t.text(b_late), "<3");
    EXPECT_EQ(t.text(r_late), "<3");
    // B's 1 must not follow from what is printed: region and A's total are never both
    // known, and if A's total is hidden its parts must not pin it.
    EXPECT_FALSE(t.shown(region) && t.shown(a_total)) << "region and A's total both shown";
    if (!t.shown(a_total)) EXPECT_FALSE(t.shown(a_on) && t.shown(a_late)) << "A's parts pin its total";
    if (!t.shown(region)) EXPECT_FALSE(t.shown(r_on) && t.shown(r_late));
}

TEST(Suppression, DifferencesOnlyBetweenShownCounts) {
    EXPECT_EQ(format_difference(5, true, 8, true), "+3");
    EXPECT_EQ(format_difference(8, true, 5, true), "-3");
    EXPECT_EQ(format_difference(5, true, 5, true), "±0");
    EXPECT_EQ(format_difference(2, false, 5, true), "—");
    EXPECT_EQ(format_difference(5, true, 1, false), "—");
}

TEST(Suppression, InconsistentRelationIsABug) {
    SuppressedTable t;
    const auto total = t.add(5);
    const auto a = t.add(2);
    EXPECT_THROW(t.relate(total, {a}), sonae::InternalError);
}
