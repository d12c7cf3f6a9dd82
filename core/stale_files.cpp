#include "core/stale_files.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>
#include <system_error>

namespace sonae::core {

namespace fs = std::filesystem;

void remove_stale_leftovers(const fs::path& dir, std::string_view prefix) {
    std::error_code ec;
    fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec);
    if (ec) return;
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const char* digits = name.c_str() + prefix.size();
        char* end = nullptr;
        const long pid = std::strtol(digits, &end, 10);
        if (pid <= 0 || end == digits || *end != '-') continue;
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue; // alive
        std::error_code remove_ec;
        fs::remove_all(entry.path(), remove_ec);
    }
}

} // namespace sonae::core
