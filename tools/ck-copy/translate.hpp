// ck-copy --translate: source offsets in, target offsets out (NDJSON), through a job's
// offset index, for applications that keep their offsets outside Kafka. An offset is a
// consumer position (the next offset to read), translated as ck-copy places groups.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common_options.hpp"
#include "options.hpp"

namespace ck::copy {

/// One input line: {"topic":..,"partition":..,"offset":..} plus any other fields.
struct OffsetLine {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::vector<std::pair<std::string, std::string>> fields;  ///< all as read: key, JSON text
  std::string source_name;
  int64_t line = 0;
  /// "<input>:<line>: topic t partition p": the prefix of every message about the line.
  std::string location() const;
};

/// Parses one line; false with *err ("<input>:<line>: ...") unless it is a JSON object
/// with a string topic, a partition and an offset (integers >= 0).
bool parse_offset_line(std::string_view text, const std::string& source_name, int64_t line,
                       OffsetLine* out, std::string* err);

/// The line's fields as read, with "target_offset" set (replaced when present).
std::string translated_json(const OffsetLine& l, int64_t target_offset);

/// Reads options.input (empty: stdin), translates every line through the index of
/// options.job in the target and writes each translated line to `out`; a line that cannot
/// be translated is one error line on stderr. Exit status: 0 all translated, 1 some offset
/// outside what the job copied, 2 an input file that cannot be opened, 3 a malformed line,
/// failed reading or an unreachable target.
int run_translate(const CopyOptions& options, const CommonOptions& common, std::ostream& out);

}  // namespace ck::copy
