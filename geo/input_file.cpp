#include "geo/input_file.hpp"

#include "core/error.hpp"

#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace sonae {

namespace {

std::string size_text(std::uint64_t bytes) {
    if (bytes >= (1ull << 30)) return std::to_string(bytes >> 30) + " GiB";
    return std::to_string(bytes >> 20) + " MiB";
}

/// A FIFO, a device or a socket: InputError saying which (none of them can be read as a file:
/// a FIFO blocks until a writer comes, /dev/zero never ends).
void refuse_special(const struct stat& st, const std::string& prefix, const Where& where) {
    if (S_ISFIFO(st.st_mode))
        throw InputError(prefix + "this is a pipe (FIFO), not a regular file; save the data "
                                  "to a file first",
                         where);
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        throw InputError(prefix + "this is a device, not a regular file", where);
    if (S_ISSOCK(st.st_mode))
        throw InputError(prefix + "this is a socket, not a regular file", where);
}

} // namespace

void check_input_file(const std::filesystem::path& path, std::string_view what,
                      std::uint64_t max_bytes) {
    const Where where{.file = path.string()};
    const std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
    struct stat st {};
    // stat, not open: opening a FIFO for reading blocks until a writer comes.
    if (::stat(path.c_str(), &st) != 0)
        throw IoError(prefix + "the file does not exist (check the path)", where);
    if (S_ISDIR(st.st_mode))
        throw InputError(prefix + "this is a folder, not a file (give the file inside it)", where);
    refuse_special(st, prefix, where);
    if (!S_ISREG(st.st_mode)) throw InputError(prefix + "this is not a regular file", where);
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes)
        throw InputError(prefix + "the file is " + size_text(size) + ", more than the " +
                             size_text(max_bytes) +
                             " sonae reads for this kind of input (is it the right file?)",
                         where);
}

void check_not_special_file(const std::filesystem::path& path, std::string_view what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return; // missing, or GDAL's /vsizip/...: GDAL says
    refuse_special(st, what.empty() ? std::string() : std::string(what) + ": ",
                   Where{.file = path.string()});
}

std::string read_input_file(const std::filesystem::path& path, std::string_view what,
                            std::uint64_t max_bytes) {
    check_input_file(path, what, max_bytes);
    const std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(prefix + "cannot open the file for reading (permissions?)",
                      Where{.file = path.string()});
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw IoError(prefix + "error while reading the file", Where{.file = path.string()});
    // The file grew while it was read (a log being written): still bounded.
    if (bytes.size() > max_bytes)
        throw InputError(prefix + "the file grew past " + size_text(max_bytes) +
                             " while it was read",
                         Where{.file = path.string()});
    return bytes;
}

} // namespace sonae
