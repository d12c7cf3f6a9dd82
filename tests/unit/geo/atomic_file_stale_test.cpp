// A killed writer leaves `.<stem>.tmp-<pid>-<hex><ext>` (and driver side files) beside its
// target; the next AtomicPath for that target removes them if, and only if, their process is
// gone.
#include "core/atomic_file.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

pid_t dead_pid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

void touch(const fs::path& path) {
    std::ofstream(path) << "partial";
}

TEST(AtomicFileStale, NextWriterRemovesLeftoversOfDeadProcessesOnly) {
    const sonae::test::TempDir dir;
    const std::string dead = std::to_string(dead_pid());
    const std::string alive = std::to_string(::getppid());
    const fs::path stale = dir / (".plan.tmp-" + dead + "-00000000deadbeef.json");
    const fs::path stale_journal = dir / (".plan.tmp-" + dead + "-00000000deadbeef.gpkg-journal");
    const fs::path live = dir / (".plan.tmp-" + alive + "-0000000000c0ffee.json");
    const fs::path other_target = dir / (".report.tmp-" + dead + "-00000000deadbeef.pdf");
    const fs::path user_file = dir / ".plan.tmp-notes.txt";
    for (const auto& p : {stale, stale_journal, live, other_target, user_file}) touch(p);

    sonae::write_file_atomically(dir / "plan.json", "{}", sonae::FileMode::personal);

    EXPECT_FALSE(fs::exists(stale));
    EXPECT_FALSE(fs::exists(stale_journal));
    EXPECT_TRUE(fs::exists(live)) << "a running writer's temporary file must be left alone";
    EXPECT_TRUE(fs::exists(other_target)) << "only temporaries of the same target are removed";
    EXPECT_TRUE(fs::exists(user_file)) << "a name without a pid is not ours";
    EXPECT_EQ(std::ifstream(dir / "plan.json").get(), '{');
}

} // namespace
