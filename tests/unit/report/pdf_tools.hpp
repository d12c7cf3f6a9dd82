#pragma once
/// Runs poppler-utils (pdftotext, pdffonts, pdftoppm) on a rendered PDF for the report tests.

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>

namespace sonae::test {

/// Output (stdout) of a shell command; throws if it cannot run or exits non-zero.
inline std::string run_command(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
    const int status = ::pclose(pipe);
    if (status != 0) throw std::runtime_error("command failed: " + command);
    return out;
}

/// The whole file's bytes.
inline std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string quote(const std::filesystem::path& p) {
    return "'" + p.string() + "'";
}

/// The text of a PDF in reading order (pdftotext -layout off, UTF-8).
inline std::string pdf_text(const std::filesystem::path& pdf) {
    return run_command("pdftotext -enc UTF-8 " + quote(pdf) + " -");
}

/// pdffonts listing.
inline std::string pdf_fonts(const std::filesystem::path& pdf) {
    return run_command("pdffonts " + quote(pdf));
}

/// Number of pages (from pdfinfo).
inline int pdf_pages(const std::filesystem::path& pdf) {
    const auto info = run_command("pdfinfo " + quote(pdf));
    const auto at = info.find("Pages:");
    if (at == std::string::npos) return 0;
    return std::stoi(info.substr(at + 6));
}

/// Copies a rendered file to $SONAE_REPORT_KEEP (if set) so a person can look at it.
inline void keep_for_inspection(const std::filesystem::path& file) {
    const char* keep = std::getenv("SONAE_REPORT_KEEP");
    if (keep == nullptr || *keep == 0) return;
    std::filesystem::create_directories(keep);
    std::filesystem::copy_file(file, std::filesystem::path(keep) / file.filename(),
                               std::filesystem::copy_options::overwrite_existing);
}

/// Permission bits of a file.
inline unsigned file_mode(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return 0;
    return st.st_mode & 0777u;
}

/// Removes all whitespace (pdftotext may break lines inside table cells).
inline std::string squeeze(const std::string& text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') out += c;
    return out;
}

} // namespace sonae::test
