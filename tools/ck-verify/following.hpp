// A job still copying in follow mode (ck-copy --follow): which part of a record the target
// holds so far, and how far it is behind the source. Pure: the session reads the job's
// progress in the target and the source's tail.
//
// The progress only says where the copy stands and that it follows; it proves nothing. The
// part copied so far is counted (and hashed) on both sides like any range, and only a
// missing tail after a correct prefix is "behind" (ck-verify(1), IN PROGRESS).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "group_rules.hpp"

namespace ck::verify {

/// What the job's progress in the target says of a partition it follows.
struct Following {
  int64_t copied_end = 0;   ///< source offset the job has copied up to (its progress offset)
  int64_t target_end = -1;  ///< target offset after its last copied message; -1 none yet
};

/// The job follows the partition when its progress there was written by a run in follow
/// mode; nullopt otherwise: no progress, metadata that is not ck-copy's, a run without
/// --follow (its final delta).
std::optional<Following> following_of(int64_t progress_offset, std::string_view metadata);

/// The source range checked while the job follows: from the record's start up to what is
/// copied, beyond the plan's end too (the source grew since the plan).
Range copied_source(int64_t record_start, const Following& f);

/// The target range checked while the job follows: up to the job's last copied message, so
/// that data committed after its progress was read is not counted.
Range copied_target(const Range& target, const Following& f);

/// The source's tail not copied yet: from the copied end to the source's end now.
Range uncopied_source(const Following& f, int64_t source_end_offset);

/// How far the target is behind the source's end.
struct Behind {
  int64_t messages = 0;  ///< messages in the source after the copied part
  double seconds = -1;   ///< age of the oldest of them by its timestamp; -1 unknown
};

/// The tail's message count and the timestamp of its first message (-1: none or unknown),
/// as read, against the wall clock now.
Behind behind_of(int64_t tail_messages, int64_t first_timestamp_ms, int64_t now_ms);

}  // namespace ck::verify
