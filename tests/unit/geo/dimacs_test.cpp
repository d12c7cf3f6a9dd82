#include "core/error.hpp"
#include "geo/dimacs.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

using namespace sonae::geo;
using sonae::test::TempDir;

namespace {

std::filesystem::path write(const TempDir& dir, const std::string& name, const std::string& text) {
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// Reads `text` as a DIMACS file and returns the InputError it must raise.
sonae::InputError error_for(const std::string& text) {
    TempDir dir;
    const auto path = write(dir, "bad.gr", text);
    try {
        read_dimacs(path);
    } catch (const sonae::InputError& e) {
        EXPECT_EQ(e.where().file, path.string());
        return e;
    }
    ADD_FAILURE() << "no InputError for:\n" << text;
    return sonae::InputError("none");
}

} // namespace

TEST(Dimacs, ReadsNodesArcsAndParallelArcs) {
    TempDir dir;
    const auto path = write(dir, "g.gr",
                            "c a small graph\n"
                            "p sp 4 5\n"
                            "c arcs follow\n"
                            "a 1 2 7\n"
                            "a 2 3 4\r\n"
                            "\n"
                            "a 1 2 3\n"
                            "a 3 1 0\n"
                            "a\t2 1  9"); // no final newline, tabs and double spaces
    const auto net = read_dimacs(path);
    EXPECT_EQ(net.node_count(), 4u); // node 4 has no arcs but is kept
    EXPECT_EQ(net.edge_count(), 5u);
    EXPECT_FALSE(net.has_coordinates());
    for (std::uint32_t k = 0; k < 4; ++k) EXPECT_EQ(net.original_node_id(NodeId(k)), k + 1);
    // Both parallel arcs 1 -> 2 are kept; find_edge picks the shorter.
    const auto n1 = NodeId(0);
    EXPECT_EQ(net.out_end(n1) - net.out_begin(n1), 2u);
    const auto e = net.find_edge(NodeId(0), NodeId(1));
    ASSERT_TRUE(e);
    EXPECT_EQ(net.length_m(*e), 3.0);
    EXPECT_EQ(net.original_edge_id(*e), 3); // third `a` line
    const auto zero = net.find_edge(NodeId(2), NodeId(0));
    ASSERT_TRUE(zero);
    EXPECT_EQ(net.length_m(*zero), 0.0);
}

TEST(Dimacs, ReadsRome99) {
    const auto net = read_dimacs(sonae::test::test_data("dimacs-rome99/rome99.gr"));
    EXPECT_EQ(net.node_count(), 3353u);
    EXPECT_EQ(net.edge_count(), 8870u);
}

TEST(Dimacs, MissingFile) {
    TempDir dir;
    try {
        read_dimacs(dir / "nope.gr");
        FAIL();
    } catch (const sonae::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("nope.gr"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
    }
}

TEST(Dimacs, BadInputNamesLineFieldAndValue) {
    struct Case {
        std::string text;
        std::int64_t line;
        std::string field;
        std::string value;
        std::string words;
    };
    const Case cases[] = {
        {"c only comments\n", 1, "", "", "no problem line"},
        {"", 0, "", "", "no problem line"},
        {"a 1 2 3\np sp 2 1\n", 1, "a", "a 1 2 3", "before the problem line"},
        {"p sp 2 1\np sp 2 1\na 1 2 3\n", 2, "p", "p sp 2 1", "second DIMACS problem line"},
        {"p max 2 1\na 1 2 3\n", 1, "p", "p max 2 1", "p sp NODES ARCS"},
        {"p sp 0 0\n", 1, "nodes", "0", "no nodes"},
        {"p sp 3 0\n", 1, "arcs", "0", "no arcs"},
        {"p sp x 1\n", 1, "nodes", "x", "node count is not a non-negative integer"},
        {"p sp 2 2\na 1 2 3\n", 2, "arcs", "2", "ends after 1 of the 2 arcs"},
        {"p sp 2 1\na 1 2 3\na 2 1 3\n", 3, "a", "a 2 1 3", "more arcs than"},
        {"p sp 2 1\na 1 3 3\n", 2, "head", "3", "out of range 1..2"},
        {"p sp 2 1\na 0 2 3\n", 2, "tail", "0", "out of range 1..2"},
        {"p sp 2 1\na 1 2 -3\n", 2, "weight", "-3", "negative"},
        {"p sp 2 1\na 1 2 3.5\n", 2, "weight", "3.5", "not a non-negative integer"},
        {"p sp 2 1\na 1 2 4294967295\n", 2, "weight", "4294967295", "out of range"},
        {"p sp 2 1\na 1 2 99999999999999999999999\n", 2, "weight", "99999999999999999999999",
         "too large"},
        {"p sp 2 1\na 1 2\n", 2, "weight", "a 1 2", "no weight"},
        {"p sp 2 1\na 1 2 3 4\n", 2, "a", "a 1 2 3 4", "extra fields"},
        {"p sp 2 1\nx 1 2 3\n", 2, "type", "x", "unknown DIMACS line type"},
        {"p sp 3 2\na 1 2 3\na 2", 3, "head", "a 2", "no head"}, // truncated mid-line
        // Regression (fuzz_dimacs timeout under ASan, fuzz/regressions/dimacs-timeout-*): the
        // counts are checked against the file before any node is allocated.
        {"p sp 6686826 2\na 1 2 3\na 2 1 3\n", 1, "nodes", "6686826", "more than twice"},
        {"p sp 4 4294967294\na 1 2 3\n", 1, "arcs", "4294967294", "cannot fit in the file"},
        {"p sp 4294967294 4294967294\na 1 2 3\n", 1, "arcs", "4294967294",
         "cannot fit in the file"},
    };
    for (const auto& c : cases) {
        const auto e = error_for(c.text);
        EXPECT_EQ(e.where().line, c.line) << c.text;
        EXPECT_EQ(e.where().field, c.field) << c.text;
        EXPECT_EQ(e.where().value, c.value) << c.text;
        EXPECT_NE(std::string(e.what()).find(c.words), std::string::npos)
            << "message: " << e.what() << "\nexpected words: " << c.words;
    }
}

// Regressions (fuzz_dimacs, fuzz/regressions/): tiny files declaring millions of nodes were
// read by allocating every node first (a 10 s timeout and a 1 GB RSS under ASan). They are
// refused on the `p` line now, naming the count that cannot be right.
TEST(Dimacs, FuzzRegressionHugeDeclaredCountsAreRefusedOnTheProblemLine) {
    struct Case {
        const char* file;
        const char* field;
        const char* value;
    };
    const Case cases[] = {
        {"fuzz/regressions/dimacs-timeout-9a9bfccfc87d9f7b5f007ce123e1fd1d65544c72", "nodes",
         "6686826"},
        {"fuzz/regressions/dimacs2-slow-unit-01305d7c89d81bc14da08f997cb27ffdc370ce60", "arcs",
         "5"},
    };
    for (const auto& c : cases) {
        const auto path = sonae::test::source_path(c.file);
        ASSERT_TRUE(std::filesystem::exists(path)) << path;
        try {
            read_dimacs(path);
            ADD_FAILURE() << c.file << ": accepted";
        } catch (const sonae::InputError& e) {
            EXPECT_EQ(e.where().line, 2) << c.file;
            EXPECT_EQ(e.where().field, c.field) << c.file;
            EXPECT_EQ(e.where().value, c.value) << c.file;
        }
    }
}
