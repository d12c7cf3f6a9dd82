// core/parallel: the one parallel loop (issue 16 item 4). The planner's searches, the
// simulator's runs, the plan.json printer and the hazard destinations rely on these promises
// for byte-identical outputs whatever the number of threads.
#include "core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sonae::core {
namespace {

// A result that depends on the item alone (a few rounds of an LCG seeded with k), uneven in
// cost so that workers finish out of order.
std::uint64_t work(std::size_t k) {
    std::uint64_t x = k * 0x9E3779B97F4A7C15ULL + 1;
    for (std::size_t r = 0; r < 1000 * (k % 7 + 1); ++r) x = x * 6364136223846793005ULL + 1;
    return x;
}

TEST(CoreParallel, SameResultsWhateverTheThreads) {
    const std::size_t n = 500;
    const auto one = parallel_map(n, 1, work);
    ASSERT_EQ(one.size(), n);
    for (std::size_t k = 0; k < n; ++k) ASSERT_EQ(one[k], work(k)) << k;
    for (const unsigned threads : {0u, 2u, 3u, 8u, 1000u}) {
        EXPECT_EQ(parallel_map(n, threads, work), one) << threads << " threads";
    }
}

TEST(CoreParallel, EveryItemOnceOnAtMostTheThreadsAsked) {
    const std::size_t n = 200;
    std::vector<std::atomic<int>> runs(n);
    std::mutex mutex;
    std::set<std::thread::id> workers;
    parallel_for(n, 3, [&](std::size_t k) {
        ++runs[k];
        const std::lock_guard lock(mutex);
        workers.insert(std::this_thread::get_id());
    });
    for (std::size_t k = 0; k < n; ++k) EXPECT_EQ(runs[k].load(), 1) << k;
    EXPECT_LE(workers.size(), 3u);
    EXPECT_EQ(worker_count(3, n), 3u);
    EXPECT_EQ(worker_count(0, n), 1u); // 0 and 1: the calling thread alone
    EXPECT_EQ(worker_count(8, 2), 2u); // never more workers than items
    EXPECT_EQ(worker_count(8, 0), 1u);
    parallel_for(0, 4, [](std::size_t) { FAIL() << "no items, no call"; });
}

TEST(CoreParallel, StateIsMadeOncePerWorker) {
    std::atomic<int> made{0};
    std::vector<int> seen(100, 0);
    parallel_for_with(
        seen.size(), 4,
        [&] {
            ++made;
            return std::vector<int>{}; // a worker's scratch
        },
        [&](std::vector<int>& scratch, std::size_t k) {
            scratch.push_back(static_cast<int>(k));
            seen[k] = static_cast<int>(scratch.size());
        });
    EXPECT_GE(made.load(), 1);
    EXPECT_LE(made.load(), 4);
    for (const int s : seen) EXPECT_GE(s, 1);
}

TEST(CoreParallel, FirstExceptionIsRethrownAndStopsTheHandingOut) {
    std::atomic<std::size_t> started{0};
    EXPECT_THROW(parallel_for(100000, 4,
                              [&](std::size_t k) {
                                  ++started;
                                  if (k == 10) throw std::runtime_error("item 10");
                              }),
                 std::runtime_error);
    // The workers stop taking items once one has failed: far fewer than 100,000 ran.
    EXPECT_LT(started.load(), 100000u);
    try {
        parallel_for(50, 1, [](std::size_t k) {
            if (k >= 7) throw std::runtime_error("item " + std::to_string(k));
        });
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "item 7"); // one thread: items in order, the first failure wins
    }
}

TEST(CoreParallel, ProgressGrowsAndEndsAtTheCount) {
    for (const unsigned threads : {1u, 4u}) {
        std::vector<std::size_t> reports; // the loop calls it one at a time
        parallel_for(95, threads, [](std::size_t k) { (void)work(k); },
                     {.report = [&](std::size_t done) { reports.push_back(done); }, .every = 10});
        ASSERT_FALSE(reports.empty());
        for (std::size_t r = 1; r < reports.size(); ++r) EXPECT_LT(reports[r - 1], reports[r]);
        EXPECT_EQ(reports.back(), 95u); // the last item is always reported
        for (const auto d : reports) EXPECT_TRUE(d % 10 == 0 || d == 95) << d;
        if (threads == 1) {
            // One worker reports every 10th item and the last: 10, 20, ..., 90, 95.
            EXPECT_EQ(reports.size(), 10u);
        }
    }
}

} // namespace
} // namespace sonae::core
