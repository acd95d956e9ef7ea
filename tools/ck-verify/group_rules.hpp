// The consumer-group rules of ck-verify, free of Kafka I/O: where each group should stand
// in the target, derived from the source alone (its committed source offset, the source
// range and the messages read on both sides), and the verdicts. ck-copy's claim (the
// record's target_groups) is reported beside the derivation, never used as its answer
// (DESIGN.md "Verification rules", ck-verify(1) GROUPS).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "records.hpp"

namespace ck::verify {

/// A half-open offset range [start, end).
struct Range {
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const Range&) const = default;
};

/// What reading a range found around one offset: the messages of the range below it, the
/// last of those, and the first message at or after it. Hashes are per-message content
/// hashes (key, value, headers, timestamp).
struct AroundOffset {
  int64_t below = 0;           ///< messages of the range at offsets below it
  int64_t before_offset = -1;  ///< the last of them; -1: none
  uint64_t before_hash = 0;
  int64_t at_offset = -1;      ///< the first message at or after it; -1: the range ended
  uint64_t at_hash = 0;
  bool operator==(const AroundOffset&) const = default;
};

/// The two ranges a record's groups are judged in, as read.
struct RangesRead {
  Range source;
  int64_t source_count = 0;
  Range target;
  int64_t target_count = 0;
  int64_t target_end_offset = -1;  ///< the partition's end offset in the target; -1 unknown
  bool following = false;  ///< the job still copies in follow mode: `source` is the part
                           ///< copied so far, and it places the groups in its final run
};

/// One group on one partition, as read on both sides. Marks are taken at offsets clamped
/// to the range read: `at_plan` around the plan's source offset (the range's start when
/// the plan has none), `at_now` around the source offset now, `at_committed` and
/// `at_claimed` around the target offsets.
struct GroupFacts {
  std::string group;
  bool planned = false;          ///< the plan names it (groups or groups_without_commit)
  int64_t plan_offset = -1;      ///< its committed source offset in the plan; -1: none
  std::optional<int64_t> source_now;  ///< committed in the source now
  AroundOffset at_plan, at_now;
  int64_t claimed = -1;          ///< ck-copy's target_groups entry; -1: no claim
  std::optional<int64_t> committed;   ///< committed in the target now
  AroundOffset at_committed, at_claimed;
};

enum class GroupVerdict {
  kOk,              ///< at its position, the messages around it alike on both sides
  kAhead,           ///< past its position: would skip messages (ok unless exact)
  kBehind,          ///< before its position: would read messages again
  kMissing,         ///< no committed offset in the target
  kBeyondEnd,       ///< committed past the target partition's end
  kContentDiffers,  ///< at its position by count, but the messages around it differ
  kUnderivable,     ///< no source offset to derive its position from
  kNotYetCopied,    ///< following: its position lies beyond what is copied so far
  kNotYetPlaced,    ///< following: no commit in the target yet (the final run places it)
};
const char* to_string(GroupVerdict verdict);

/// The two moments "ahead" is judged at.
enum class AheadRule {
  kAllowed,  ///< after clients switched (cron): consumers read on the target
  kExact,    ///< at the cutover (--exact-groups): every group exactly at its position
};

/// The result of one group check on one partition.
struct GroupCheck {
  std::string group;
  int64_t source_offset = -1;     ///< the plan's source offset it is derived from; -1 none
  int64_t source_committed = -1;  ///< committed in the source now; -1 none
  int64_t position = -1;          ///< messages of the copied sequence it has read
  int64_t expected = -1;          ///< the target offset of that position; -1 not known yet
  int64_t claimed = -1;           ///< ck-copy's claim; -1 none
  int64_t committed = -1;         ///< committed in the target; -1 none
  int64_t delta = 0;              ///< messages: > 0 would skip, < 0 would read again
  int64_t remaining = -1;         ///< migrated messages left to read in the target; -1 unknown
  int64_t source_remaining = -1;  ///< messages left to read in the source range
  bool before_range = false;      ///< committed below the target range's start
  bool past_range = false;        ///< committed past the target range's end
  std::string differs;            ///< kContentDiffers: what differs
  bool stale = false;             ///< the source offset moved since the plan
  int64_t moved = 0;              ///< by this much (messages, else offsets)
  bool moved_in_messages = false;
  GroupVerdict verdict = GroupVerdict::kOk;
  bool position_ok = true;        ///< the verdict passes under the run's rule for "ahead"
  /// Waits for a job still following: neither ok nor a problem (a source that moved on
  /// meanwhile is expected: the final run's fresh plan takes the new offset).
  bool pending() const {
    return verdict == GroupVerdict::kNotYetCopied || verdict == GroupVerdict::kNotYetPlaced;
  }
  bool ok() const { return pending() || (position_ok && !stale); }
};

/// The groups a record names, each once, with what the record says of them: the plan's
/// groups (their source offsets), its groups without a commit on the partition, and the
/// groups ck-copy claims to have placed (target_groups). The rest is filled by reading.
std::vector<GroupFacts> record_groups(const Record& record);

/// How many messages of the copied sequence a group has read: the messages of the source
/// range [start, end) below its offset (`messages_below`, counted by reading).
int64_t group_position(int64_t group_source_offset, const Range& source,
                       int64_t messages_below, int64_t source_count);

/// Where the group should stand in the target: the target offset of the message at
/// `position` in the copied sequence (`offset_at_position`, -1 when the target holds
/// fewer messages), or the end of the target range when every message was read.
int64_t expected_target_offset(int64_t position, int64_t target_count,
                               int64_t offset_at_position, const Range& target);

/// Judges one group: its position from the source, the target's committed offset against
/// it, the messages around both, and whether the source moved since the plan. `expected`
/// is left -1 when neither the committed offset nor the claim sits at the position and
/// the target holds a message there: the caller finds that message's offset
/// (locate_expected) and sets it.
GroupCheck check_group(const GroupFacts& facts, const RangesRead& ranges, AheadRule rule);

/// The line of a pending group check (empty when not pending), e.g. "topic t partition 2:
/// group g: not yet copied: its source offset 900 lies beyond what is copied so far (up to
/// 700)".
std::string describe_group_pending(const std::string& where, const GroupCheck& g);

/// The problem lines of one group check (none when ok), e.g. "topic t partition 2: group
/// g: behind: would read 1 message again (committed target offset 39, expected 40 from
/// source offset 40; ck-copy claimed 40)". `where` is "topic t partition 2".
std::vector<std::string> describe_group_problems(const std::string& where, const GroupCheck& g);

}  // namespace ck::verify
