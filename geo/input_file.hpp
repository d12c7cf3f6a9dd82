#pragma once
/// Reading an input file whole, with the checks a user's mistake needs (issue 24 item 2):
/// the path exists, is a regular file (not a folder, a FIFO, a device such as /dev/zero or a
/// socket), and is no larger than a documented bound. Every failure is an InputError naming
/// the file and what it is instead, so `sonae` exits 2, never 3, and never blocks on a FIFO
/// or reads forever from a device.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace sonae {

/// Size bounds of inputs (bytes). A registry of every child in Japan (about 20,000) is a few
/// MB; the bounds leave a wide margin and stop a wrong file (a disk image, a video) early.
/// Tables: registry, facilities, vehicles, drill results, CSV lists, TOML, JSON summaries.
inline constexpr std::uint64_t kMaxTableBytes = 512ull << 20; // 512 MiB
/// plan.json (186 MB for the 10,000-child benchmark grid) and simulation traces.
inline constexpr std::uint64_t kMaxPlanBytes = 4ull << 30; // 4 GiB

/// Throws IoError if `path` does not exist, InputError unless it names an existing regular file
/// (symbolic links followed) of at most `max_bytes`. `what` names what the file is for (e.g.
/// "plan"); it starts the message unless empty. Never opens the file (so a FIFO cannot block).
void check_input_file(const std::filesystem::path& path, std::string_view what,
                      std::uint64_t max_bytes = kMaxTableBytes);

/// For inputs that may be a folder (GDAL datasets: a shapefile folder; the road network's
/// formats): throws InputError if `path` names a FIFO, a device or a socket, which GDAL and
/// libosmium would open and block on or read forever (`sonae network info pipe.gpkg` hung).
/// A path that does not exist (or a GDAL virtual path such as /vsizip/...) passes: the reader
/// says what is wrong with it.
void check_not_special_file(const std::filesystem::path& path, std::string_view what = {});

/// check_input_file, then the whole content. Throws InputError (wrong kind of file, too
/// large) or IoError (cannot open or read: permissions, I/O error), each naming the file.
std::string read_input_file(const std::filesystem::path& path, std::string_view what,
                            std::uint64_t max_bytes = kMaxTableBytes);

} // namespace sonae
