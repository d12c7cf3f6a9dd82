// libFuzzer target: simulation trace file (TraceReader from bytes), then the event CSV view.
#include "fuzz_support.hpp"
#include "sim/trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    sonae::fuzz::expect_clean([&] {
        const sonae::sim::TraceReader reader(std::string(sonae::fuzz::as_view(data, size)),
                                             "fuzz.trace");
        if (!reader.blocks().empty()) (void)reader.block_for(0);
        (void)reader.events_between(0, 3600);
        (void)reader.events_csv();
    });
    return 0;
}
