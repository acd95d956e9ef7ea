// A ck-copy job's progress, as it keeps it in the target: per partition, a committed offset
// of the job's progress group (the next source offset to copy) with this metadata. ck-copy
// writes and resumes from it; ck-verify reads it to tell a copy still following the source
// (ck-copy --follow) from a broken one. Pure: no Kafka calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ck {

/// What resume needs besides the committed offset (the next source offset to copy).
struct ProgressMeta {
  int64_t start = -1;         ///< the job's first start: a newer plan may not start before it
  int64_t end = -1;           ///< the newest plan's end (or how far follow mode got)
  int64_t target_start = -1;  ///< target offset of the first copied message; -1 none yet
  int64_t target_end = -1;    ///< target offset after the last copied message; -1 none yet
  int64_t copied = 0;         ///< messages copied so far
  bool done = false;          ///< the range is complete
  bool follow = false;        ///< written by a run in follow mode: it copies on past `end`
  bool operator==(const ProgressMeta&) const = default;
};

/// Compact JSON text, well below Kafka's offset.metadata.max.bytes (4096).
std::string encode_progress(const ProgressMeta& meta);
/// Parses encode_progress's text ("follow" may be absent: older jobs); false with *err on
/// anything else.
bool decode_progress(std::string_view text, ProgressMeta* meta, std::string* err);

/// The consumer group in the target that holds job `job`'s progress.
std::string job_progress_group(const std::string& job);

}  // namespace ck
