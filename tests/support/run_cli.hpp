#pragma once
/// Running the built `sonae` command from a test: its exit code, stdout and stderr.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace sonae::test {

/// What one run of a command printed and returned.
struct CliResult {
    int exit_code = -1; ///< -1 if the command did not exit normally (a signal, a timeout)
    std::string out;
    std::string err;
};

/// Runs `<build>/app/sonae <args>` (args already shell-quoted where needed) in a shell, with
/// its output captured in `scratch`/stdout.txt and `scratch`/stderr.txt (left there, the last
/// run's, for tests that read them again); killed after `timeout_s` seconds (coreutils
/// timeout) so a test that would block (a FIFO as input) fails instead of hanging. Every CLI
/// test runs the program through this one function.
inline CliResult run_sonae(const std::string& args, const std::filesystem::path& scratch,
                           int timeout_s = 120) {
    const auto out = scratch / "stdout.txt";
    const auto err = scratch / "stderr.txt";
    const std::string command = "timeout -s KILL " + std::to_string(timeout_s) + " '" +
                                SONAE_BINARY_DIR "/app/sonae' " + args + " > '" + out.string() +
                                "' 2> '" + err.string() + "'";
    const int status = std::system(command.c_str());
    auto slurp = [](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    };
    CliResult r;
    // timeout exits 137 when it had to kill: report that as "did not exit normally".
    if (WIFEXITED(status) && WEXITSTATUS(status) != 137) r.exit_code = WEXITSTATUS(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

/// A path in single quotes for the shell.
inline std::string quoted(const std::filesystem::path& p) {
    return "'" + p.string() + "'";
}

} // namespace sonae::test
