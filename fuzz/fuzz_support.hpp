// Shared helpers for the libFuzzer targets in fuzz/ (not part of any library).
// A target feeds the bytes to one parser. Clean rejections (sonae::InputError, IoError) are
// the expected outcome for bad bytes; any other exception escapes and libFuzzer reports it
// as a crash, as do sanitizer findings, hangs and leaks.
#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace sonae::fuzz {

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// A per-process scratch file for the readers that only take a path (same name every run, so
/// nothing accumulates). In /dev/shm when available to keep the disk out of the loop.
inline std::filesystem::path scratch_file(std::string_view extension) {
    const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                          ? "/dev/shm"
                                          : std::filesystem::temp_directory_path();
    return dir / ("sonae-fuzz-" + std::to_string(::getpid()) + std::string(extension));
}

inline std::filesystem::path write_scratch(const std::uint8_t* data, std::size_t size,
                                           std::string_view extension) {
    auto path = scratch_file(extension);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    return path;
}

/// Runs `body`, swallowing only the clean rejections the parsers document.
template <class Body>
void expect_clean(Body&& body) {
    try {
        body();
    } catch (const sonae::InputError&) {
    } catch (const sonae::IoError&) {
    }
}

} // namespace sonae::fuzz
