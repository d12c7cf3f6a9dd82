#pragma once
/// The system's text for errno, for the messages of IoError (core/error.hpp) after a failed
/// system call: one place instead of a strerror call in every module.

#include <string>

namespace sonae {

/// The system's text for the current errno ("No such file or directory"). Read it right
/// after the failed call: a later call (close, a log) may change errno.
std::string errno_text();

} // namespace sonae
