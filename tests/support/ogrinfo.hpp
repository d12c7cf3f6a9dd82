#pragma once
/// Reading a GeoPackage back as QGIS reads it, with GDAL's ogrinfo (read-only, quiet).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sonae::test {

/// What `ogrinfo -ro -q <args>` prints (stdout and stderr, through a file under `scratch`);
/// a failing ogrinfo is a test failure naming the command.
inline std::string ogrinfo(const std::string& args, const std::filesystem::path& scratch) {
    const auto log = scratch / "ogrinfo.txt";
    const std::string command = "ogrinfo -ro -q " + args + " > '" + log.string() + "' 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(log);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace sonae::test
