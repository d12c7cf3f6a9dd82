#include "geo/output_set.hpp"

#include "core/atomic_file.hpp"
#include "core/errno_text.hpp"
#include "core/error.hpp"
#include "core/stale_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <set>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sonae {

namespace fs = std::filesystem;

namespace {

/// Top-level entries of a folder, sorted, leaving out `skip` (a staging folder inside it).
std::vector<std::string> entries_of(const fs::path& dir, const fs::path& skip = {}) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (!skip.empty() && e.path().filename() == skip.filename()) continue;
        names.push_back(e.path().filename().string());
    }
    if (ec) throw IoError("cannot list the folder: " + ec.message(), {.file = dir.string()});
    std::sort(names.begin(), names.end());
    return names;
}

/// mkdtemp on `pattern` (ending in XXXXXX): a new folder of mode 0700. Empty on failure.
fs::path make_private_dir(const fs::path& pattern) {
    std::string buf = pattern.string();
    if (::mkdtemp(buf.data()) == nullptr) return {};
    return buf;
}

/// Is `inner` equal to `outer` or inside it (both absolute and normal)?
bool within(const fs::path& inner, const fs::path& outer) {
    auto i = inner.begin();
    for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
        if (o->empty()) continue; // trailing separator
        if (i == inner.end() || *i != *o) return false;
    }
    return true;
}

bool exchange(const fs::path& a, const fs::path& b) {
    return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
}

} // namespace

OutputSet::OutputSet(fs::path target, std::vector<fs::path> inputs) : m_inputs(std::move(inputs)) {
    std::error_code ec;
    fs::path abs = fs::absolute(target, ec).lexically_normal();
    if (ec) abs = target.lexically_normal();
    if (abs.filename().empty()) abs = abs.parent_path(); // "out/"
    m_target = target.filename().empty() ? target.parent_path() : target;
    m_abs = abs;
    if (fs::exists(abs, ec) && !fs::is_directory(abs, ec)) {
        throw IoError("the output must be a folder, and this is a file", {.file = target.string()});
    }
    const fs::path parent = abs.parent_path();
    fs::create_directories(parent, ec);
    if (ec || !fs::is_directory(parent)) {
        throw IoError("cannot create the output folder: " + ec.message(),
                      {.file = target.string()});
    }
    const std::string prefix = "." + abs.filename().string() + ".sonae-";
    core::remove_stale_leftovers(parent, prefix);
    m_staging = make_private_dir(parent / (prefix + std::to_string(::getpid()) + "-XXXXXX"));
    if (m_staging.empty() && fs::is_directory(abs, ec)) {
        // The parent is not writable (an existing folder in a shared place): stage inside it.
        core::remove_stale_leftovers(abs, ".sonae-");
        m_staging = make_private_dir(abs / (".sonae-" + std::to_string(::getpid()) + "-XXXXXX"));
        m_inside = true;
    }
    if (m_staging.empty()) {
        throw IoError("cannot create the output folder: " + errno_text(),
                      {.file = target.string()});
    }
}

OutputSet::~OutputSet() {
    if (m_committed || m_staging.empty()) return;
    std::error_code ec;
    fs::remove_all(m_staging, ec);
}

fs::path OutputSet::final_path(const fs::path& staged) const {
    const auto rel = staged.lexically_relative(m_staging);
    if (rel.empty() || *rel.begin() == "..") return staged;
    return rel == "." ? m_target : m_target / rel;
}

std::string OutputSet::final_name(const std::string& file) {
    const std::string mark = ".sonae-" + std::to_string(::getpid()) + "-";
    // ".<name>.sonae-<pid>-XXXXXX" beside the target, or ".sonae-<pid>-XXXXXX" inside it.
    const auto staging_of = [&](const std::string& part) -> std::optional<std::string> {
        const auto at = part.find(mark);
        if (part.empty() || part[0] != '.' || at == std::string::npos ||
            part.size() != at + mark.size() + 6)
            return std::nullopt;
        return at == 0 ? std::string() : part.substr(1, at - 1);
    };
    if (file.find(mark) == std::string::npos) return file;
    fs::path out;
    for (const auto& part : fs::path(file)) {
        if (const auto name = staging_of(part.string())) {
            if (!name->empty()) out /= *name;
        } else {
            out /= part;
        }
    }
    return out.string();
}

std::vector<fs::path> OutputSet::final_paths(const std::vector<fs::path>& staged) const {
    std::vector<fs::path> out;
    out.reserve(staged.size());
    for (const auto& p : staged) out.push_back(final_path(p));
    return out;
}

void OutputSet::commit() {
    if (m_committed) return;
    const fs::path& abs = m_abs;
    const auto fresh = entries_of(m_staging);
    // Never replace or remove an input: none may be an entry of the set or lie inside one.
    std::error_code ec;
    for (const auto& input : m_inputs) {
        const fs::path in = fs::weakly_canonical(fs::absolute(input, ec), ec);
        for (const auto& name : fresh) {
            const fs::path out = fs::weakly_canonical(abs / name, ec);
            if (within(in, out)) {
                throw InputError(
                    "the output would replace an input file; choose another output folder",
                    {.file = input.string(), .value = (m_target / name).string()});
            }
        }
    }
    const bool existed = fs::is_directory(abs, ec);
    struct stat before {};
    if (existed) ::stat(abs.c_str(), &before);
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (!existed && !m_inside) {
        if (::rename(m_staging.c_str(), abs.c_str()) != 0) {
            throw IoError("cannot move the finished outputs into place: " + errno_text(),
                          {.file = m_target.string()});
        }
        ::chmod(abs.c_str(), 0777 & ~mask);
        sync_dir(abs.parent_path());
        m_committed = true;
        return;
    }
    auto present = entries_of(abs, m_inside ? m_staging : fs::path{});
    // The previous set's own entries (a longer series of pictures) go with it.
    std::vector<std::string> stale;
    if (m_previous) {
        for (const auto& name : present) {
            if (m_previous(name) && !std::binary_search(fresh.begin(), fresh.end(), name))
                stale.push_back(name);
        }
        std::erase_if(present, [&](const std::string& name) { return m_previous(name); });
    }
    const bool replaces_all =
        std::includes(fresh.begin(), fresh.end(), present.begin(), present.end());
    // The old set goes where the staging folder was, and stays there until it is removed (or,
    // after a kill, until the next command): private like the staging folder.
    if (!m_inside && replaces_all) ::chmod(abs.c_str(), 0700);
    if (!m_inside && replaces_all && exchange(m_staging, abs)) {
        // One step: the new set is in place; the old one is now in the staging folder.
        ::chmod(abs.c_str(), before.st_mode & 07777);
        sync_dir(abs.parent_path());
        m_committed = true;
        fs::remove_all(m_staging, ec);
        return;
    }
    if (!m_inside && replaces_all) ::chmod(abs.c_str(), before.st_mode & 07777); // no exchange here
    // The folder holds other things: move each entry of the set in on its own.
    for (const auto& name : fresh) {
        const fs::path from = m_staging / name;
        const fs::path to = abs / name;
        const bool from_dir = fs::is_directory(fs::symlink_status(from, ec));
        const bool to_dir = fs::is_directory(fs::symlink_status(to, ec));
        if (to_dir && from_dir && exchange(from, to)) {
            fs::remove_all(from, ec); // the old folder, now here
            continue;
        }
        if (to_dir) fs::remove_all(to, ec);
        if (::rename(from.c_str(), to.c_str()) != 0) {
            throw IoError("cannot move the finished output into place: " + errno_text(),
                          {.file = (m_target / name).string()});
        }
    }
    for (const auto& name : stale) fs::remove_all(abs / name, ec);
    sync_dir(abs);
    m_committed = true;
    fs::remove_all(m_staging, ec);
}

} // namespace sonae
