#pragma once
/// Paths the tests use: the repository's test data, the source tree, a fresh temporary folder.
/// Tests never read ../shared (a fresh clone has no such folder; only bench/ scripts use it).

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sonae::test {

/// <repo>/<relative>
inline std::filesystem::path source_path(const std::string& relative) {
    return std::filesystem::path(SONAE_SOURCE_DIR) / relative;
}

/// <repo>/tests/data/<relative>: real data copied (trimmed) into the repository, each folder
/// with its PROVENANCE.md.
inline std::filesystem::path test_data(const std::string& relative) {
    return source_path("tests/data/" + relative);
}

/// <repo>/scenarios/<scenario>/data/<file>: the bundled scenarios' real inputs (road networks,
/// GSI and P20 shelters), whose sources and licences the scenario's README.md gives.
inline std::filesystem::path scenario_data(const std::string& scenario, const std::string& file) {
    return source_path("scenarios/" + scenario + "/data/" + file);
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
