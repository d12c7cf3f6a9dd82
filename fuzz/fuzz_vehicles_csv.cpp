// libFuzzer target: vehicles CSV (decode, CSV, header match, row checks).
#include "fuzz_support.hpp"
#include "planner/csv.hpp"
#include "planner/vehicle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sonae::planner;
    sonae::fuzz::expect_clean([&] {
        const CsvDocument document = parse_csv(sonae::fuzz::as_view(data, size), "fuzz.csv");
        const Table table = table_from_csv(document, vehicle_columns());
        (void)load_vehicle_table(table);
    });
    return 0;
}
