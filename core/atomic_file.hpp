#pragma once
/// Crash-safe output files: write to a temporary file beside the target, then rename.
/// A run that stops half-way leaves the previous good file (or none), never a partial one.
/// Files that hold personal data are created with mode 0600 (../shared/DOMAIN.md section 6).

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace sonae {

/// File permission for outputs.
enum class FileMode { personal = 0600, shared = 0644 };

/// A temporary path beside `target` for tools that write by path (GDAL, cairo).
/// commit() fsyncs and renames it over the target; the destructor removes it if not committed.
class AtomicPath {
public:
    AtomicPath(std::filesystem::path target, FileMode mode);
    ~AtomicPath();
    AtomicPath(const AtomicPath&) = delete;
    AtomicPath& operator=(const AtomicPath&) = delete;

    /// Where to write now (same folder and extension as the target, so drivers recognise it).
    const std::filesystem::path& temp() const noexcept { return m_temp; }
    const std::filesystem::path& target() const noexcept { return m_target; }
    /// Sets the mode, syncs and renames the temporary file over the target. Throws IoError.
    void commit();

private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    FileMode m_mode;
    bool m_committed = false;
};

/// Writes a file atomically a piece at a time, for outputs too large to hold in memory: the
/// temporary file is created with the final mode (never readable by others on the way);
/// commit() renames it over the target; without commit() the destructor removes it.
class AtomicFileWriter {
public:
    AtomicFileWriter(std::filesystem::path target, FileMode mode);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
    /// Appends `piece`. Throws IoError (disk full, ...).
    void write(std::string_view piece);
    /// Closes, syncs and renames over the target. Throws IoError.
    void commit();

private:
    AtomicPath m_path;
    int m_fd = -1;
};

/// Writes `content` to `target` atomically with the given mode. Throws IoError.
void write_file_atomically(const std::filesystem::path& target, std::string_view content,
                           FileMode mode);

/// Flushes a folder's entries (after a rename into it) to disk; best effort.
void sync_dir(const std::filesystem::path& dir);

/// Throws InputError if `output` is the same file as any of `inputs` (never overwrite an input).
void ensure_not_an_input(const std::filesystem::path& output,
                         const std::vector<std::filesystem::path>& inputs);

/// Creates a folder (and parents) for outputs; throws IoError with the path if it cannot.
void create_output_dir(const std::filesystem::path& dir);

} // namespace sonae
