#pragma once
/// The one way geo/ talks to GDAL: datasets opened and closed through one handle, GDAL's error
/// printing silenced and its messages captured for our error texts (library code never
/// prints), drivers registered once, and thread-local configuration options set for a scope.
/// GDAL stays inside geo/: this header is internal (geo/detail).

#include "geo/input_file.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <gdal_priv.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sonae::geo::detail {

/// Registers GDAL's drivers once per process.
inline void ensure_gdal_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

/// While alive, GDAL/PROJ errors on this thread are not printed: the text of every error (not
/// warning) is kept, even one a driver recovers from and resets, and GDAL's last message stays
/// readable by last_gdal_error(). Starts with GDAL's last error cleared, so a message is of
/// this scope. Scopes nest: an inner one takes the errors raised while it lives.
class GdalErrorCapture {
public:
    GdalErrorCapture() {
        CPLPushErrorHandlerEx(&GdalErrorCapture::handler, this);
        CPLErrorReset();
    }
    ~GdalErrorCapture() { CPLPopErrorHandler(); }
    GdalErrorCapture(const GdalErrorCapture&) = delete;
    GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;

    /// The errors raised while alive, in order.
    const std::vector<std::string>& errors() const { return m_errors; }

private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum, const char* message) {
        auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
        if (self != nullptr && level >= CE_Failure && message != nullptr) {
            self->m_errors.emplace_back(message);
        }
    }
    std::vector<std::string> m_errors;
};

/// GDAL's last message on this thread, or `fallback` if it has none.
inline std::string last_gdal_error(const std::string& fallback = "unknown GDAL error") {
    const char* message = CPLGetLastErrorMsg();
    return (message != nullptr && *message != '\0') ? std::string(message) : fallback;
}

/// " (GDAL's last message)" to append to our error texts, or "" if it has none.
inline std::string gdal_detail() {
    const std::string message = last_gdal_error("");
    return message.empty() ? "" : " (" + message + ")";
}

/// Opens `path` as a vector dataset, read-only, with the drivers allowed (null: any) and the
/// open options given; null when GDAL cannot (its message: last_gdal_error()). The handle
/// closes the dataset (GDALClose) when it goes. A FIFO, a device or a socket is an InputError
/// naming the file (GDAL would block on the FIFO: `sonae route --hazard pipe.geojson` hung).
inline GDALDatasetUniquePtr open_vector(const std::filesystem::path& path,
                                        const char* const* drivers = nullptr,
                                        const char* const* options = nullptr) {
    check_not_special_file(path);
    ensure_gdal_registered();
    return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                                  drivers, options, nullptr));
}

/// Sets a GDAL configuration option for this thread while alive, restoring the old value on
/// exit (GeoPackages are written on worker threads beside other work; the XLSX driver reads
/// its options when a sheet is first parsed, so the scope must outlive the reading).
class ThreadConfigOption {
public:
    ThreadConfigOption(const char* key, const std::string& value) : m_key(key) {
        if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) m_old = old;
        CPLSetThreadLocalConfigOption(key, value.c_str());
    }
    ~ThreadConfigOption() {
        CPLSetThreadLocalConfigOption(m_key, m_old ? m_old->c_str() : nullptr);
    }
    ThreadConfigOption(const ThreadConfigOption&) = delete;
    ThreadConfigOption& operator=(const ThreadConfigOption&) = delete;

private:
    const char* m_key;
    std::optional<std::string> m_old;
};

} // namespace sonae::geo::detail
