#pragma once
/// A bundled scenario copied into a test folder and changed for one test: its [drill] section
/// dropped (to keep the run short), a `[timeline] t0_clock` added, its registry optionally
/// replaced.

#include "tests/support/paths.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace sonae::test {

/// Copies scenarios/<name> to `dir`, adds `t0_clock = "<clock>"` under [timeline], drops
/// [drill]; a non-empty `registry` replaces data/registry.csv. Returns dir/scenario.toml.
inline std::filesystem::path copy_scenario(const std::string& name,
                                           const std::filesystem::path& dir,
                                           const std::string& clock,
                                           const std::string& registry = {}) {
    namespace fs = std::filesystem;
    const fs::path from = source_path("scenarios/" + name);
    fs::create_directories(dir);
    fs::copy(from / "data", dir / "data", fs::copy_options::recursive);
    if (!registry.empty())
        std::ofstream(dir / "data" / "registry.csv", std::ios::binary) << registry;
    std::ifstream in(from / "scenario.toml");
    std::ofstream out(dir / "scenario.toml");
    bool in_drill = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.front() == '[') in_drill = line == "[drill]";
        if (in_drill) continue;
        out << line << '\n';
        if (line == "[timeline]") out << "t0_clock = \"" << clock << "\"\n";
    }
    return dir / "scenario.toml";
}

} // namespace sonae::test
