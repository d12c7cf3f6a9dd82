#include "core/error.hpp"

#include "core/errno_text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sonae {

std::string Where::str() const {
    std::string out;
    auto add = [&out](const std::string& part) {
        if (!out.empty()) out += ", ";
        out += part;
    };
    if (!file.empty()) add("file '" + file + "'");
    if (!layer.empty()) add("layer '" + layer + "'");
    if (line >= 0) add("line " + std::to_string(line));
    if (!feature.empty()) add("feature " + feature);
    if (!field.empty()) add("field '" + field + "'");
    if (!value.empty() || !field.empty()) add("value '" + value + "'");
    return out;
}

std::string errno_text() {
    return std::strerror(errno);
}

namespace {
std::string compose(const std::string& message, const Where& where) {
    const std::string location = where.str();
    return location.empty() ? message : location + ": " + message;
}
} // namespace

Error::Error(const std::string& message, Where where)
    : std::runtime_error(compose(message, where)), m_message(message), m_where(std::move(where)) {}

std::string Diagnostic::str() const {
    const char* level = severity == Severity::error     ? "error"
                        : severity == Severity::warning ? "warning"
                                                        : "info";
    return std::string(level) + ": " + text();
}

std::string Diagnostic::text() const {
    return compose(message, where);
}

bool has_errors(const Diagnostics& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
        return d.severity == Diagnostic::Severity::error;
    });
}

} // namespace sonae
