// libFuzzer target: scenario manifest (TOML) through read_manifest, which takes a path.
#include "fuzz_support.hpp"
#include "planner/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = sonae::fuzz::write_scratch(data, size, ".toml");
    sonae::fuzz::expect_clean([&] { (void)sonae::planner::read_manifest(path); });
    return 0;
}
