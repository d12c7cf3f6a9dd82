#include "core/parallel.hpp"

#include <algorithm>
#include <exception>
#include <thread>

namespace sonae::core {

unsigned worker_count(unsigned threads, std::size_t n) {
    return static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(n, 1)));
}

namespace detail {

bool ItemQueue::next(std::size_t& item) {
    const auto k = m_next.fetch_add(1);
    if (k >= m_n) return false;
    item = k;
    return true;
}

void ItemQueue::done() {
    const auto d = m_done.fetch_add(1) + 1;
    if (!m_progress.report) return;
    if (d % std::max<std::size_t>(m_progress.every, 1) != 0 && d != m_n) return;
    const std::lock_guard lock(m_report_mutex);
    if (d <= m_reported) return; // a later count was reported first
    m_reported = d;
    m_progress.report(d);
}

void ItemQueue::stop() {
    m_next = m_n;
}

void run_workers(std::size_t n, unsigned threads, const std::function<void(ItemQueue&)>& worker,
                 const LoopProgress& progress) {
    if (n == 0) return;
    ItemQueue queue(n, progress);
    std::mutex error_mutex;
    std::exception_ptr error;
    auto run = [&] {
        try {
            worker(queue);
        } catch (...) {
            const std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            queue.stop();
        }
    };
    const unsigned count = worker_count(threads, n);
    {
        std::vector<std::jthread> pool; // joined when the block ends, also if starting one fails
        pool.reserve(count - 1);
        for (unsigned t = 1; t < count; ++t) pool.emplace_back(run);
        run();
    }
    if (error) std::rethrow_exception(error);
}

} // namespace detail

} // namespace sonae::core
