#pragma once
/// The one parallel loop: items 0..n-1 on a few worker threads, handed out one by one in
/// ascending order to whichever worker is free. Each item writes only its own result (slot k of
/// a vector made beforehand), so the outcome is the same, byte for byte, whatever the number
/// of threads or the order in which the items finish. The calling thread is one of the workers.

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace sonae::core {

/// Told how many items are done: after every `every`-th item and after the last, from the
/// worker that finished it, one call at a time and with counts that only grow.
struct LoopProgress {
    std::function<void(std::size_t done)> report;
    std::size_t every = 1;
};

/// The number of workers a loop of `n` items runs on when `threads` are asked: `threads`, but
/// at least 1 (0 and 1: the calling thread alone) and at most n.
unsigned worker_count(unsigned threads, std::size_t n);

namespace detail {

/// The items of one loop, handed out in ascending order.
class ItemQueue {
public:
    ItemQueue(std::size_t n, const LoopProgress& progress) : m_n(n), m_progress(progress) {}
    /// The next item to run; false when none is left or a worker has failed.
    bool next(std::size_t& item);
    /// Counts the item a worker took last as done (and reports progress).
    void done();
    /// No more items are handed out (a worker failed).
    void stop();

private:
    std::size_t m_n;
    const LoopProgress& m_progress;
    std::atomic<std::size_t> m_next{0};
    std::atomic<std::size_t> m_done{0};
    std::mutex m_report_mutex;
    std::size_t m_reported = 0;
};

/// Runs worker(queue) on worker_count(threads, n) threads, the caller's being one; each takes
/// items from the queue until it is empty. The first exception a worker throws stops the
/// handing out and is rethrown here once every worker has stopped.
void run_workers(std::size_t n, unsigned threads, const std::function<void(ItemQueue&)>& worker,
                 const LoopProgress& progress);

} // namespace detail

/// body(k) for every k in [0, n) on worker_count(threads, n) workers. The first exception is
/// rethrown after the workers have stopped; items not yet started are then not run.
template <typename Body>
void parallel_for(std::size_t n, unsigned threads, Body&& body, const LoopProgress& progress = {}) {
    detail::run_workers(
        n, threads,
        [&body](detail::ItemQueue& queue) {
            for (std::size_t k = 0; queue.next(k); queue.done()) body(k);
        },
        progress);
}

/// The same with state each worker makes once, on its own thread, and lends to every item it
/// runs: body(state, k) (a Router, a scratch copy of weights). The state must not change what
/// an item computes, only how fast.
template <typename MakeState, typename Body>
void parallel_for_with(std::size_t n, unsigned threads, MakeState&& make_state, Body&& body,
                       const LoopProgress& progress = {}) {
    detail::run_workers(
        n, threads,
        [&make_state, &body](detail::ItemQueue& queue) {
            auto state = make_state();
            for (std::size_t k = 0; queue.next(k); queue.done()) body(state, k);
        },
        progress);
}

/// fn(k) for every k in [0, n), the results in the order of k whatever the threads did.
template <typename Fn>
auto parallel_map(std::size_t n, unsigned threads, Fn&& fn, const LoopProgress& progress = {})
    -> std::vector<decltype(fn(std::size_t{}))> {
    std::vector<decltype(fn(std::size_t{}))> out(n);
    parallel_for(
        n, threads, [&](std::size_t k) { out[k] = fn(k); }, progress);
    return out;
}

} // namespace sonae::core
