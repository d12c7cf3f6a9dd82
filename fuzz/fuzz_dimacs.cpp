// libFuzzer target: DIMACS shortest-path graph (.gr) through read_dimacs, which takes a path.
#include "fuzz_support.hpp"
#include "geo/dimacs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The header's node count drives an allocation: keep inputs small so a `p sp 4000000000 1`
    // exercises the checks rather than the machine's memory (the reader must still refuse it).
    if (size > 64 * 1024) return 0;
    const auto path = sonae::fuzz::write_scratch(data, size, ".gr");
    sonae::fuzz::expect_clean([&] { (void)sonae::geo::read_dimacs(path); });
    return 0;
}
