// geo/output_set.hpp: a command's outputs as one set, staged in a 0700 folder and swapped in.
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/output_set.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using sonae::FileMode;
using sonae::OutputSet;

namespace {
std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
unsigned mode_of(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}
void put(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    sonae::write_file_atomically(p, text, FileMode::personal);
}
std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}
} // namespace

TEST(OutputSet, NewFolderAppearsWholeAtCommitAndStagingIsPrivate) {
    sonae::test::TempDir dir;
    const auto out = dir / "out";
    {
        OutputSet set(out);
        EXPECT_NE(set.dir(), out);
        EXPECT_EQ(set.dir().parent_path(), out.parent_path())
            << "same file system: beside the target";
        EXPECT_EQ(mode_of(set.dir()), 0700u);
        put(set.dir() / "plan.json", "A");
        put(set.dir() / "sub" / "x.csv", "B");
        EXPECT_FALSE(fs::exists(out)) << "nothing is visible before commit";
        EXPECT_EQ(set.final_path(set.dir() / "sub" / "x.csv"), out / "sub" / "x.csv");
        set.commit();
    }
    EXPECT_EQ(slurp(out / "plan.json"), "A");
    EXPECT_EQ(slurp(out / "sub" / "x.csv"), "B");
    EXPECT_EQ(mode_of(out / "plan.json"), 0600u);
    EXPECT_EQ(entries(dir.path()), 1u) << "the staging folder is gone";
}

TEST(OutputSet, UncommittedSetLeavesThePreviousSetAndNoStaging) {
    sonae::test::TempDir dir;
    const auto out = dir / "out";
    put(out / "plan.json", "old");
    put(out / "plan.csv", "old csv");
    {
        OutputSet set(out);
        put(set.dir() / "plan.json", "new");
        // no commit: the command failed half-way
    }
    EXPECT_EQ(slurp(out / "plan.json"), "old");
    EXPECT_EQ(slurp(out / "plan.csv"), "old csv");
    EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(OutputSet, FolderOfTheSameSetIsExchangedWhole) {
    sonae::test::TempDir dir;
    const auto out = dir / "out";
    put(out / "plan.json", "old");
    put(out / "guidebooks" / "guidebook_A.pdf", "old A");
    ::chmod(out.c_str(), 0750);
    OutputSet set(out);
    put(set.dir() / "plan.json", "new");
    put(set.dir() / "plan.csv", "new csv");
    put(set.dir() / "guidebooks" / "guidebook_B.pdf", "new B");
    set.commit();
    EXPECT_EQ(slurp(out / "plan.json"), "new");
    EXPECT_EQ(slurp(out / "plan.csv"), "new csv");
    EXPECT_EQ(slurp(out / "guidebooks" / "guidebook_B.pdf"), "new B");
    // The old guidebooks folder was replaced as a whole, like every entry of the set.
    EXPECT_FALSE(fs::exists(out / "guidebooks" / "guidebook_A.pdf"));
    EXPECT_EQ(mode_of(out), 0750u) << "the folder keeps its mode";
    EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(OutputSet, OtherFilesInTheFolderStayAndEachEntryIsReplaced) {
    sonae::test::TempDir dir;
    const auto out = dir / "out";
    put(out / "notes_by_staff.xlsx", "keep me");
    put(out / "plan.json", "old");
    OutputSet set(out);
    put(set.dir() / "plan.json", "new");
    set.commit();
    EXPECT_EQ(slurp(out / "plan.json"), "new");
    EXPECT_EQ(slurp(out / "notes_by_staff.xlsx"), "keep me");
    EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(OutputSet, AnInputInsideTheSetIsNeverReplaced) {
    sonae::test::TempDir dir;
    const auto out = dir / "out";
    put(out / "data" / "registry.csv", "the registry");
    OutputSet set(out, {out / "data" / "registry.csv"});
    put(set.dir() / "data" / "plan.csv", "new");
    EXPECT_THROW(set.commit(), sonae::InputError);
    EXPECT_EQ(slurp(out / "data" / "registry.csv"), "the registry");
    EXPECT_FALSE(fs::exists(out / "data" / "plan.csv"));
}

TEST(OutputSet, StagingOfAKilledCommandIsRemovedByTheNextOne) {
    sonae::test::TempDir dir;
    const auto out = dir / "out";
    // The process id of a command that is gone.
    const pid_t gone = ::fork();
    if (gone == 0) ::_exit(0);
    ::waitpid(gone, nullptr, 0);
    const auto stale = dir / (".out.sonae-" + std::to_string(gone) + "-abcdef");
    put(stale / "plan.json", "half");
    // One of a command still running (this process) stays.
    const auto running = dir / (".out.sonae-" + std::to_string(::getpid()) + "-zzzzzz");
    fs::create_directories(running);
    OutputSet set(out);
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_TRUE(fs::exists(running));
}

TEST(OutputSet, AFileWhereTheFolderShouldBeIsAnError) {
    sonae::test::TempDir dir;
    put(dir / "out", "a file");
    EXPECT_THROW(OutputSet set(dir / "out"), sonae::IoError);
}

// A series of numbered pictures (sonae-view --frames): a new series shorter than the previous
// one replaces it whole; the previous frames it has no number for go with it, never left
// beside the new ones. In a folder with the user's own file, the new frames move in one by
// one, the previous series' extra frames are removed and the user's file stays.
TEST(OutputSet, APreviousSeriesGoesWholeEvenWhereTheNewOneIsShorter) {
    sonae::test::TempDir dir;
    const auto out = dir / "frames";
    const auto frame = [](int k) { return "frame_0000" + std::to_string(k) + ".png"; };
    const auto is_frame = [](const std::string& name) { return name.starts_with("frame_"); };
    for (int k = 0; k < 5; ++k) put(out / frame(k), "old " + std::to_string(k));
    {
        OutputSet set(out);
        set.previous_entries(is_frame);
        for (int k = 0; k < 3; ++k) put(set.dir() / frame(k), "new " + std::to_string(k));
        set.commit();
    }
    EXPECT_EQ(entries(out), 3u);
    for (int k = 0; k < 3; ++k) EXPECT_EQ(slurp(out / frame(k)), "new " + std::to_string(k));
    EXPECT_EQ(entries(dir.path()), 1u) << "no staging folder, no old series left";
    // The user's own file in the folder: kept; frames 1 and 2 of the last series removed.
    put(out / "notes.txt", "mine");
    {
        OutputSet set(out);
        set.previous_entries(is_frame);
        put(set.dir() / frame(0), "newer 0");
        set.commit();
    }
    EXPECT_EQ(entries(out), 2u);
    EXPECT_EQ(slurp(out / frame(0)), "newer 0");
    EXPECT_EQ(slurp(out / "notes.txt"), "mine");
    EXPECT_EQ(entries(dir.path()), 1u);
}

// Issue 24 item 1: an error raised while the set is written names the file where it was to go:
// on a full disk `sonae plan` said ".out.sonae-<pid>-XXXXXX/plan.gpkg", a folder nobody knows.
TEST(OutputSet, AStagedFileIsNamedWhereItWasToGo) {
    const sonae::test::TempDir dir;
    OutputSet set(dir / "out");
    const fs::path staged = set.dir() / "plan.gpkg";
    EXPECT_EQ(OutputSet::final_name(staged.string()), (dir / "out" / "plan.gpkg").string());
    EXPECT_EQ(OutputSet::final_name((set.dir() / "guidebooks" / "a.pdf").string()),
              (dir / "out" / "guidebooks" / "a.pdf").string());
    // Staged inside the output folder (its parent is not writable): the staging part goes.
    const std::string pid = std::to_string(::getpid());
    EXPECT_EQ(OutputSet::final_name("/srv/out/.sonae-" + pid + "-AbC123/plan.json"),
              "/srv/out/plan.json");
    // Another process's staging folder, a name that only looks like one, other paths: as given.
    EXPECT_EQ(OutputSet::final_name("/srv/.out.sonae-1-AbC123/plan.json"),
              "/srv/.out.sonae-1-AbC123/plan.json");
    EXPECT_EQ(OutputSet::final_name("/srv/.out.sonae-" + pid + "-AbC/plan.json"),
              "/srv/.out.sonae-" + pid + "-AbC/plan.json");
    EXPECT_EQ(OutputSet::final_name("registry.csv"), "registry.csv");
    EXPECT_EQ(OutputSet::final_name(""), "");
}
