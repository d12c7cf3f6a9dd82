#pragma once
/// When to leave, per hazard kind: the table data/hazard_triggers.toml (compiled in), with its
/// sources. One table for the guidebook's timing section, its cards and the data export, so
/// a tsunami never gets the flood's "wait for 警戒レベル3" (../shared/DOMAIN.md section 7).

#include <string>
#include <string_view>
#include <vector>

namespace sonae::report {

/// One signal and what the family does at it.
struct TriggerStep {
    std::string when;
    std::string action;
};

/// A cited source of the table.
struct TriggerSource {
    std::string key;
    std::string title;
    std::string url;
};

/// The triggers of one hazard kind.
struct HazardTriggers {
    std::string kind;          ///< flood, landslide, storm_surge, tsunami, earthquake
    std::string label;         ///< 洪水（川の氾濫・浸水）, ...
    std::string headline;      ///< the bold sentence of the timing section
    std::string leave_at;      ///< the short trigger (tables, data export)
    bool alert_levels = false; ///< the 警戒レベル scale applies (not tsunami, not earthquake)
    std::vector<TriggerStep> steps;
    std::vector<TriggerSource> sources;
};

/// Every hazard kind of the table, in the standing-plan order (flood, landslide,
/// storm_surge, tsunami, earthquake). Parsed once; throws InternalError if the compiled-in
/// table is malformed (a test parses it).
const std::vector<HazardTriggers>& hazard_triggers();

/// The triggers of `kind`; "drill" and unknown kinds give nullptr.
const HazardTriggers* triggers_for(std::string_view kind);

/// Parses a table in the format of data/hazard_triggers.toml (exposed for tests). Throws
/// InputError naming `source_name`, the key and the value on a missing or wrong entry.
std::vector<HazardTriggers> parse_hazard_triggers(std::string_view toml_text,
                                                  const std::string& source_name);

} // namespace sonae::report
