// The verification rules, free of Kafka I/O: which target range a record is checked
// against, where each group should stand in the target, and the verdicts drawn from
// counts, digests and committed offsets (DESIGN.md "Verification rules", ck-verify(1)).
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

/// True for a copy result that names where its messages landed in the target.
bool has_target_range(const Record& record);

/// True when the record moved nothing by design (plan "skip", copy status "skipped").
bool is_skipped(const Record& record);

/// A copy result whose copy did not complete ("failed", "stopped", "dry-run"): empty if
/// the copy finished or the record is a plan; otherwise the status.
std::string incomplete_copy_status(const Record& record);

/// The target range a record is checked against: [target_start, target_end) for a copy
/// result; for a plan record the whole target partition [log_start, end_offset).
Range target_range_for(const Record& record, int64_t target_log_start, int64_t target_end_offset);

/// One group to check on a partition. When the copy result says where ck-copy put it,
/// `expected_target` is set; otherwise it must be derived from `source_offset`.
struct GroupExpectation {
  std::string group;
  int64_t source_offset = -1;   ///< committed offset in the source (-1 unknown)
  int64_t expected_target = -1; ///< from target_groups (-1: to be derived)
};

/// The groups a record carries: target_groups of a copy result, plus groups of the plan
/// that ck-copy did not place (their target offset is derived).
std::vector<GroupExpectation> group_expectations(const Record& record);

/// How many source messages of [start, end) a group has already read: the index, in
/// the copied sequence, of the first message it still has to read. `messages_below`
/// is the number of source messages in [start, group_offset) as counted by reading.
int64_t group_position(int64_t group_source_offset, const Range& source,
                       int64_t messages_below, int64_t source_count);

/// Where the group should stand in the target: the target offset of the message at
/// `position` in the copied sequence (`offset_at_position`, -1 when the target holds
/// fewer messages), or the end of the target range when every message was read.
int64_t expected_target_offset(int64_t position, int64_t target_count,
                               int64_t offset_at_position, const Range& target);

enum class GroupVerdict { kOk, kMissing, kBehind, kBeyondEnd };
const char* to_string(GroupVerdict verdict);

/// The result of one group check on one partition.
struct GroupCheck {
  std::string group;
  int64_t expected = -1;   ///< target offset it should be at (at least)
  int64_t committed = -1;  ///< committed target offset; -1 when there is none
  int64_t remaining = -1;  ///< migrated messages in [committed, target end); -1 unknown
  GroupVerdict verdict = GroupVerdict::kOk;
  bool ok() const { return verdict == GroupVerdict::kOk; }
};

/// The group rule: no commit → missing; below expected → behind; above the target's
/// high watermark → beyond-end (consumers would be reset); otherwise ok (at expected,
/// or ahead because consumers already read on the target).
GroupVerdict judge_group(int64_t expected, std::optional<int64_t> committed,
                         int64_t target_high_watermark);

enum class DataVerdict { kOk, kSkipped, kMismatch, kMissing, kNotCopied, kSourceMissing };
const char* to_string(DataVerdict verdict);
bool is_ok(DataVerdict verdict);

/// Where the content first differs: the offsets on each side (-1: that side has
/// no message there, it ended first).
struct FirstDifference {
  int64_t source_offset = -1;
  int64_t target_offset = -1;
  int64_t position = -1;  ///< index in the copied sequence
};

/// A per-message hash with the offset it was read at.
struct MessageHash {
  int64_t offset = 0;
  uint64_t hash = 0;
};

/// Compares two message sequences in order; nullopt when equal (same length, same hashes).
/// `base_position` is the sequence index of the first element on both sides.
std::optional<FirstDifference> first_difference(const std::vector<MessageHash>& source,
                                                const std::vector<MessageHash>& target,
                                                int64_t base_position);

/// Everything known about one record after reading both sides.
struct PartitionResult {
  const Record* record = nullptr;
  DataVerdict verdict = DataVerdict::kOk;
  std::string missing_reason;  ///< for kMissing / kSourceMissing / kNotCopied
  Range source;
  Range target;
  int64_t source_count = -1;
  int64_t target_count = -1;
  bool content = false;  ///< digests were computed
  uint64_t source_digest = 0;
  uint64_t target_digest = 0;
  std::optional<FirstDifference> difference;
  std::vector<GroupCheck> groups;

  bool ok() const;
};

/// The data verdict from counts and (when content) digests.
DataVerdict judge_counts(int64_t source_count, int64_t target_count, bool content,
                         uint64_t source_digest, uint64_t target_digest);

/// One line per problem (without the "ck-verify: " prefix), e.g. "topic t partition 2:
/// source has 10 messages in [0,10), target has 9 in [0,11)". Empty when ok.
std::vector<std::string> describe_problems(const PartitionResult& result);

/// One line for -v describing a partition that passed.
std::string describe_ok(const PartitionResult& result);

/// The digest as 16 lowercase hex digits.
std::string digest_hex(uint64_t digest);

}  // namespace ck::verify
