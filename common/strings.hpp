// Small string helpers (g++ 12 has no std::format).
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ck {

/// Concatenates the stream representations of all arguments.
template <typename... Args>
std::string cat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

/// Splits on every occurrence of sep (empty fields kept).
std::vector<std::string> split(std::string_view text, char sep);

/// Strips ASCII white space at both ends.
std::string_view trim(std::string_view text);

/// Parses a whole decimal integer; false on junk, empty input or overflow.
bool parse_int64(std::string_view text, int64_t* value);

/// A count with its noun: "1 partition", "3 partitions", "0 partitions". `many` defaults to
/// `one` + "s"; give it for other plurals ("1 copy", "2 copies").
std::string plural(int64_t n, std::string_view one, std::string_view many = {});

/// Renders a byte count as "12.3 MiB".
std::string human_bytes(double bytes);

/// Renders a duration in seconds as "1h02m", "3m05s" or "42s".
std::string human_duration(double seconds);

}  // namespace ck
