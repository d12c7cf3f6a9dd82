#pragma once
/// Paths the tests use: the shared real data, the source tree, a fresh temporary folder.

#include <filesystem>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace sonae::test {

/// ../shared/data/<relative>
inline std::filesystem::path shared_data(const std::string& relative) {
    return std::filesystem::path(SONAE_SHARED_DATA) / relative;
}

/// <repo>/<relative>
inline std::filesystem::path source_path(const std::string& relative) {
    return std::filesystem::path(SONAE_SOURCE_DIR) / relative;
}

/// A new empty folder under the system temp dir, removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

inline TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sonae-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

inline TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

} // namespace sonae::test
