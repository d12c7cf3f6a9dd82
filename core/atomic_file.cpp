#include "core/atomic_file.hpp"

#include "core/errno_text.hpp"
#include "core/error.hpp"
#include "core/stale_files.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sonae {

namespace fs = std::filesystem;

namespace {

fs::path temp_beside(const fs::path& target) {
    // Unique per process and call; the extension is kept so GDAL picks the right driver.
    static std::mt19937_64 rng(static_cast<std::uint64_t>(::getpid()) * 0x9E3779B97F4A7C15ull ^
                               static_cast<std::uint64_t>(::time(nullptr)));
    const auto stem = target.stem().string();
    const auto ext = target.extension().string();
    // The writer's pid is in the name so a later run can tell a leftover of a killed run
    // (owner gone) from the live temporary file of a concurrent one (remove_stale_temps).
    char buf[48];
    std::snprintf(buf, sizeof buf, "%ld-%016llx", static_cast<long>(::getpid()),
                  static_cast<unsigned long long>(rng()));
    return target.parent_path() / ("." + stem + ".tmp-" + buf + ext);
}

// Removes `.<stem>.tmp-<pid>-*` files beside `target` (with any suffix a driver added, e.g.
// -journal or -wal) whose writing process no longer exists (core/stale_files.hpp).
void remove_stale_temps(const fs::path& target) {
    core::remove_stale_leftovers(target.parent_path(), "." + target.stem().string() + ".tmp-");
}

void sync_file(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

void sync_dir(const fs::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

AtomicPath::AtomicPath(fs::path target, FileMode mode)
    : m_target(std::move(target)), m_temp(temp_beside(m_target)), m_mode(mode) {
    remove_stale_temps(m_target);
}

AtomicPath::~AtomicPath() {
    if (!m_committed) {
        std::error_code ec;
        fs::remove(m_temp, ec);
    }
}

void AtomicPath::commit() {
    if (::chmod(m_temp.c_str(), static_cast<mode_t>(m_mode)) != 0) {
        throw IoError("cannot set permissions: " + errno_text(), {.file = m_temp.string()});
    }
    sync_file(m_temp);
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        throw IoError("cannot move the finished file into place: " + errno_text(),
                      {.file = m_target.string()});
    }
    sync_dir(m_target.parent_path());
    m_committed = true;
}

AtomicFileWriter::AtomicFileWriter(fs::path target, FileMode mode)
    : m_path(std::move(target), mode) {
    m_fd = ::open(m_path.temp().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                  static_cast<mode_t>(mode));
    if (m_fd < 0)
        throw IoError("cannot create file: " + errno_text(), {.file = m_path.target().string()});
}

AtomicFileWriter::~AtomicFileWriter() {
    if (m_fd >= 0) ::close(m_fd);
}

void AtomicFileWriter::write(std::string_view piece) {
    std::size_t done = 0;
    while (done < piece.size()) {
        const auto n = ::write(m_fd, piece.data() + done, piece.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError("cannot write file: " + errno_text(), {.file = m_path.target().string()});
        }
        done += static_cast<std::size_t>(n);
    }
}

void AtomicFileWriter::commit() {
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0)
        throw IoError("cannot write file: " + errno_text(), {.file = m_path.target().string()});
    m_path.commit();
}

void write_file_atomically(const fs::path& target, std::string_view content, FileMode mode) {
    AtomicFileWriter out(target, mode);
    out.write(content);
    out.commit();
}

void ensure_not_an_input(const fs::path& output, const std::vector<fs::path>& inputs) {
    std::error_code ec;
    for (const auto& input : inputs) {
        if (fs::exists(output, ec) && fs::exists(input, ec) && fs::equivalent(output, input, ec)) {
            throw InputError("the output would overwrite an input file; choose another output",
                             {.file = output.string()});
        }
    }
}

void create_output_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
        throw IoError("cannot create the output folder: " + ec.message(), {.file = dir.string()});
    }
}

} // namespace sonae
