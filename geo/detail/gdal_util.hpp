#pragma once
/// Internal helpers for the GDAL users in geo/: silence GDAL's own stderr printing (library
/// code never prints) and fetch its last message for our errors.

#include <cpl_error.h>
#include <gdal.h>

#include <mutex>
#include <string>

namespace sonae::geo::detail {

/// While alive, GDAL/PROJ errors are not printed; they stay readable by last_gdal_error().
class QuietGdalErrors {
public:
    QuietGdalErrors() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~QuietGdalErrors() { CPLPopErrorHandler(); }
    QuietGdalErrors(const QuietGdalErrors&) = delete;
    QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
};

/// GDAL's last error message, or `fallback` if it has none.
inline std::string last_gdal_error(const std::string& fallback = "unknown GDAL error") {
    const char* message = CPLGetLastErrorMsg();
    return (message != nullptr && *message != '\0') ? std::string(message) : fallback;
}

/// Registers GDAL's drivers once per process.
inline void ensure_gdal_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

} // namespace sonae::geo::detail
