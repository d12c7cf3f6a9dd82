// libFuzzer target: registry CSV through the full path a user file takes (decode in the
// encoding chosen by the first byte: automatic, UTF-8, CP932; CSV; header match; row checks).
#include "fuzz_support.hpp"
#include "planner/csv.hpp"
#include "planner/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonae::planner;
    if (size == 0) return 0;
    // First byte picks the encoding so each one is fuzzed; the rest is the file.
    static constexpr TextEncoding encodings[] = {TextEncoding::automatic, TextEncoding::utf8,
                                                 TextEncoding::cp932};
    CsvReadOptions options;
    options.encoding = encodings[data[0] % 3];
    const auto bytes = sonae::fuzz::as_view(data + 1, size - 1);
    sonae::fuzz::expect_clean([&] {
        const CsvDocument document = parse_csv(bytes, "fuzz.csv", options);
        const Table table = table_from_csv(document, registry_columns());
        const RegistryLoadResult result = load_registry_table(table);
        if (result.rows_read != result.registry.size() + result.rows_rejected) __builtin_trap();
    });
    return 0;
}
