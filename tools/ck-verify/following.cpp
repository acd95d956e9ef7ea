#include "following.hpp"

#include <algorithm>
#include <string>

#include "job_progress.hpp"

namespace ck::verify {

std::optional<Following> following_of(int64_t progress_offset, std::string_view metadata) {
  ProgressMeta meta;
  std::string err;
  if (progress_offset < 0 || !decode_progress(metadata, &meta, &err) || !meta.follow)
    return std::nullopt;
  return Following{progress_offset, meta.target_end};
}

Range copied_source(int64_t record_start, const Following& f) {
  return {record_start, std::max(record_start, f.copied_end)};
}

Range copied_target(const Range& target, const Following& f) {
  return {target.start, std::max(target.start, f.target_end)};
}

Range uncopied_source(const Following& f, int64_t source_end_offset) {
  return {f.copied_end, std::max(f.copied_end, source_end_offset)};
}

Behind behind_of(int64_t tail_messages, int64_t first_timestamp_ms, int64_t now_ms) {
  Behind b;
  b.messages = std::max<int64_t>(0, tail_messages);
  // A clock ahead of the source's by a little reads as 0, not as a negative age.
  if (b.messages > 0 && first_timestamp_ms >= 0)
    b.seconds = std::max<double>(0, double(now_ms - first_timestamp_ms) / 1000.0);
  return b;
}

}  // namespace ck::verify
