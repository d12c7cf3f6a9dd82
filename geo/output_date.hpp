#pragma once
/// The date outputs carry (作成日 in guidebooks and the council report, PDF creation dates,
/// GeoPackage gpkg_contents.last_change), so that the same inputs give byte-identical files.
/// SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds convention) replaces "now"
/// when set; otherwise it is today's date in Japan time. Never the time of day: two runs on
/// the same day write the same files.

#include <cstdint>
#include <optional>
#include <string>

namespace sonae::geo {

/// SOURCE_DATE_EPOCH as seconds since 1970-01-01 UTC; nullopt when unset or empty. Throws
/// InputError when it is set but not a whole number of seconds (0 or more).
std::optional<std::int64_t> source_date_epoch();

/// Today in Japan time (UTC+9) as "YYYY-MM-DD", or the Japan-time date of SOURCE_DATE_EPOCH.
std::string output_date_jst();

/// The timestamp a GeoPackage's gpkg_contents.last_change gets ("YYYY-MM-DDThh:mm:ss.000Z",
/// UTC): midnight Japan time of the issue date `date_jst` ("YYYY-MM-DD"; empty =
/// output_date_jst(), so SOURCE_DATE_EPOCH's date when set). Throws InputError for a
/// malformed date.
std::string gpkg_timestamp(const std::string& date_jst = {});

} // namespace sonae::geo
