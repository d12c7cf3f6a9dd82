#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>

using sonae::FileMode;

namespace {
std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}
} // namespace

TEST(AtomicFile, WritesWithPersonalModeAndReplaces) {
    sonae::test::TempDir dir;
    const auto target = dir / "child.csv";
    sonae::write_file_atomically(target, "first", FileMode::personal);
    EXPECT_EQ(slurp(target), "first");
    EXPECT_EQ(mode_of(target), 0600u);
    sonae::write_file_atomically(target, "second", FileMode::shared);
    EXPECT_EQ(slurp(target), "second");
    EXPECT_EQ(mode_of(target), 0644u);
    // No temporary files are left beside the target.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, UncommittedPathLeavesTheOldFileInPlace) {
    sonae::test::TempDir dir;
    const auto target = dir / "plan.json";
    sonae::write_file_atomically(target, "good", FileMode::shared);
    {
        sonae::AtomicPath out(target, FileMode::shared);
        std::ofstream(out.temp()) << "half-written";
        // no commit: simulates a failure in the middle of writing
    }
    EXPECT_EQ(slurp(target), "good");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, RefusesToOverwriteAnInput) {
    sonae::test::TempDir dir;
    const auto input = dir / "registry.csv";
    sonae::write_file_atomically(input, "id\n", FileMode::personal);
    EXPECT_THROW(sonae::ensure_not_an_input(input, {input}), sonae::InputError);
    EXPECT_NO_THROW(sonae::ensure_not_an_input(dir / "other.csv", {input}));
}
