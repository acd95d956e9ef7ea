// Logging for people: stderr (and an optional log file), prefixed with the tool's name.
#pragma once

#include <string>

namespace ck::log {

enum Level { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

/// Sets the prefix ("ck-plan") used on every line.
void set_tool(const std::string& tool_name);
const std::string& tool();

/// Lines above this level are dropped (default kWarn; -v raises it, -q lowers it).
void set_level(Level level);
Level level();

/// Also appends every line printed on stderr to this file, and only those; false (and
/// *err) if it cannot be opened.
bool set_file(const std::string& path, std::string* err);

/// "ck-plan: error: <message>"
void error(const std::string& message);
/// "ck-plan: warning: <message>"
void warn(const std::string& message);
/// "ck-plan: <message>" (shown at default verbosity: summaries).
void info(const std::string& message);
/// "ck-plan: debug: <message>" (shown with -vv).
void debug(const std::string& message);
/// Writes text as is (already formatted, may be several lines) to stderr and the log file,
/// when the verbosity shows `at` (summaries: kInfo; what must show even with -q: kError).
void raw(const std::string& text, Level at = kInfo);

}  // namespace ck::log
