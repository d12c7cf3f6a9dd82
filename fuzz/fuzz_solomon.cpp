// libFuzzer target: Solomon VRPTW instance (.txt) and CVRPLIB solution (.sol) readers; the
// first byte picks which.
#include "fuzz_support.hpp"
#include "planner/solomon.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonae::planner::solomon;
    if (size == 0) return 0;
    const bool solution = (data[0] & 1) != 0;
    const auto path = sonae::fuzz::write_scratch(data + 1, size - 1, solution ? ".sol" : ".txt");
    sonae::fuzz::expect_clean([&] {
        if (solution) {
            (void)read_solution(path);
        } else {
            const Instance instance = read_instance(path);
            (void)to_problem(instance);
        }
    });
    return 0;
}
