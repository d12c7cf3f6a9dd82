#pragma once
/// Error types shared by every module (see ../shared/STYLE.md "Errors").
/// Library code throws these at boundaries (files, GDAL, manifest); only app/ catches them
/// and maps each class to an exit code. Expected outcomes are values, not errors.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sonae {

/// Where in an input a problem sits. Empty fields are left out of the message.
struct Where {
    std::string file;       ///< path as given by the user
    std::string layer;      ///< GIS layer name, if any
    std::int64_t line = -1; ///< 1-based line (text files), -1 if not applicable
    std::string feature;    ///< feature id / row id
    std::string field;      ///< column or attribute name
    std::string value;      ///< the offending value, as read
    /// "file 'x.csv', line 12, field 'watts', value 'abc'"
    std::string str() const;
};

/// Base of all sonae errors.
class Error : public std::runtime_error {
public:
    Error(const std::string& message, Where where = {});
    const Where& where() const noexcept { return m_where; }
    /// The plain message without the location.
    const std::string& message() const noexcept { return m_message; }

private:
    std::string m_message;
    Where m_where;
};

/// The user's input is wrong: exit code 2.
class InputError : public Error {
public:
    using Error::Error;
};

/// A file cannot be read or written (permissions, disk): exit code 2.
class IoError : public Error {
public:
    using Error::Error;
};

/// A bug or broken invariant inside sonae: exit code 3.
class InternalError : public Error {
public:
    using Error::Error;
};

/// A non-fatal data issue (an edge dropped, a home snapped far from a road) or, with
/// severity error, one problem among many collected before failing.
struct Diagnostic {
    enum class Severity : std::uint8_t { info, warning, error };
    Severity severity = Severity::warning;
    std::string message;
    Where where;
    /// "warning: <where>: <message>".
    std::string str() const;
    /// "<where>: <message>", without the level (for a listing that shows the level itself).
    std::string text() const;
};

using Diagnostics = std::vector<Diagnostic>;

/// True if any diagnostic has severity error.
bool has_errors(const Diagnostics& diagnostics);

} // namespace sonae
