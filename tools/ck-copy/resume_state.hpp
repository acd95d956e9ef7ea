// The resume state ck-copy keeps in the target (as commit metadata of its progress
// group) and the arithmetic that maps the plan's consumer groups onto target offsets.
// Pure: no Kafka calls, so the unit tests cover it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "records.hpp"

namespace ck::copy {

/// What resume needs besides the committed offset (the next source offset to copy).
struct ProgressMeta {
  int64_t start = -1;         ///< the job's first start: a newer plan may not start before it
  int64_t end = -1;           ///< the newest plan's end (or how far follow mode got)
  int64_t target_start = -1;  ///< target offset of the first copied message; -1 none yet
  int64_t target_end = -1;    ///< target offset after the last copied message; -1 none yet
  int64_t copied = 0;         ///< messages copied so far
  bool done = false;          ///< the range is complete
  bool operator==(const ProgressMeta&) const = default;
};

/// Compact JSON text, well below Kafka's offset.metadata.max.bytes (4096).
std::string encode_progress(const ProgressMeta& meta);
/// Parses encode_progress's text; false with *err on anything else.
bool decode_progress(std::string_view text, ProgressMeta* meta, std::string* err);

/// Finds, for each group's source offset o, the target offset of the first copied
/// message whose source offset >= o (exact whatever the gaps), or the range's
/// target end when the group had read every message copied.
class GroupResolver {
 public:
  /// Groups still to place; a negative offset means "before everything".
  void reset(std::vector<GroupOffset> pending);
  /// One delivered message, in source order; appends the groups it places.
  void on_message(int64_t source_offset, int64_t target_offset,
                  std::vector<GroupOffset>* resolved);
  /// The range is complete: every remaining group goes to target_end.
  void on_complete(int64_t target_end, std::vector<GroupOffset>* resolved);
  bool has_pending() const { return next_ < pending_.size(); }
  size_t pending_count() const { return pending_.size() - next_; }

 private:
  std::vector<GroupOffset> pending_;  // sorted by source offset
  size_t next_ = 0;
};

/// Shard of a topic partition, 1-based (1..count): XXH64 of "topic\0partition".
int shard_of(const std::string& topic, int32_t partition, int count);

}  // namespace ck::copy
