// The resume state ck-copy keeps in the target (its progress metadata: job_progress.hpp)
// and the arithmetic that maps the plan's consumer groups onto target offsets.
// Pure: no Kafka calls, so the unit tests cover it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "job_progress.hpp"
#include "records.hpp"

namespace ck::copy {

using ck::decode_progress;
using ck::encode_progress;
using ck::ProgressMeta;

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
  bool has_pending() const { return next_ < pending().size(); }
  size_t pending_count() const { return pending().size() - next_; }

 private:
  const std::vector<GroupOffset>& pending() const;
  // Sorted by source offset, and never changed after reset: a partition's snapshots (the
  // current one and the last committed one, copied at every commit and rollback) share
  // it, so its groups are held once here, not once per snapshot.
  std::shared_ptr<const std::vector<GroupOffset>> pending_;
  size_t next_ = 0;
};

/// Shard of a topic partition, 1-based (1..count): XXH64 of "topic\0partition".
int shard_of(const std::string& topic, int32_t partition, int count);

}  // namespace ck::copy
