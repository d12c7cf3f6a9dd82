#pragma once
/// Running the built `sonae` command from a test: its exit code, stdout and stderr. Every test
/// that runs sonae does it through this file: run_sonae() for a run to its end (with an
/// environment, a working folder or another copy of the binary when a test needs one),
/// start_sonae() for a run the test kills part-way.

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace sonae::test {

/// The built `sonae` command.
inline std::filesystem::path sonae_binary() {
    return std::filesystem::path(SONAE_BINARY_DIR) / "app" / "sonae";
}

/// A path in single quotes for the shell.
inline std::string quoted(const std::filesystem::path& p) {
    return "'" + p.string() + "'";
}

/// What one run of a command printed and returned.
struct CliResult {
    int exit_code = -1; ///< -1 if the command did not exit normally (a signal, a timeout)
    std::string out;
    std::string err;
    /// stdout then stderr, for a test that looks for a message wherever it was printed.
    std::string all() const { return out + err; }
};

/// How to run sonae, when the defaults (the built binary, the test's environment and working
/// folder, 120 s) do not fit.
struct CliOptions {
    int timeout_s = 120;
    std::vector<std::string> env;   ///< NAME=value set for this run (values without quotes)
    std::vector<std::string> unset; ///< names removed from the environment for this run
    std::filesystem::path cwd;      ///< run from this folder (empty: the test's)
    std::filesystem::path binary;   ///< another copy of sonae (empty: sonae_binary())
};

/// Runs `sonae <args>` (args already shell-quoted where needed) in a shell, with its output
/// captured in `scratch`/stdout.txt and `scratch`/stderr.txt (left there, the last run's, for
/// tests that read them again); killed after `options.timeout_s` seconds (coreutils timeout) so
/// a test that would block (a FIFO as input) fails instead of hanging.
inline CliResult run_sonae(const std::string& args, const std::filesystem::path& scratch,
                           const CliOptions& options) {
    const auto out = scratch / "stdout.txt";
    const auto err = scratch / "stderr.txt";
    std::string command;
    if (!options.cwd.empty()) command += "cd " + quoted(options.cwd) + " && ";
    command += "timeout -s KILL " + std::to_string(options.timeout_s) + " env";
    for (const auto& name : options.unset) command += " -u " + name;
    for (const auto& assignment : options.env) command += " '" + assignment + "'";
    command += " " + quoted(options.binary.empty() ? sonae_binary() : options.binary) + " " + args +
               " > " + quoted(out) + " 2> " + quoted(err);
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

inline CliResult run_sonae(const std::string& args, const std::filesystem::path& scratch,
                           int timeout_s = 120) {
    CliOptions options;
    options.timeout_s = timeout_s;
    return run_sonae(args, scratch, options);
}

/// A sonae started in the background (its output to /dev/null), for a test that kills it at
/// a moment of its choosing. Not copyable; waits for the process when destroyed.
class SonaeProcess {
public:
    /// Starts `sonae <args...>` (no shell: each argument as it is). `max_file_bytes` > 0 limits
    /// the size of every file it writes, as on a full disk: writes past it fail (EFBIG) instead
    /// of killing the process.
    explicit SonaeProcess(const std::vector<std::string>& args, rlim_t max_file_bytes = 0) {
        const std::string binary = sonae_binary().string();
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(binary.c_str()));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        m_pid = ::fork();
        if (m_pid == 0) {
            if (max_file_bytes > 0) {
                ::signal(SIGXFSZ, SIG_IGN);
                const rlimit limit{max_file_bytes, max_file_bytes};
                ::setrlimit(RLIMIT_FSIZE, &limit);
            }
            const int null_fd = ::open("/dev/null", O_WRONLY);
            if (null_fd >= 0) {
                ::dup2(null_fd, 1);
                ::dup2(null_fd, 2);
            }
            ::execv(binary.c_str(), argv.data());
            ::_exit(127);
        }
    }
    SonaeProcess(const SonaeProcess&) = delete;
    SonaeProcess& operator=(const SonaeProcess&) = delete;
    ~SonaeProcess() {
        if (m_pid > 0 && !m_waited) wait();
    }

    /// Sends `signal` (SIGKILL unless told).
    void kill(int signal = SIGKILL) const {
        if (m_pid > 0) ::kill(m_pid, signal);
    }
    /// Waits for the end; the waitpid status (WIFEXITED, WIFSIGNALED...).
    int wait() {
        if (m_waited) return m_status;
        ::waitpid(m_pid, &m_status, 0);
        m_waited = true;
        return m_status;
    }

private:
    pid_t m_pid = -1;
    int m_status = 0;
    bool m_waited = false;
};

} // namespace sonae::test
