// The verification rules, free of Kafka I/O: which target range a record is checked
// against and the verdicts drawn from counts and digests (DESIGN.md "Verification
// rules", ck-verify(1)); the group rules are in group_rules.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "following.hpp"
#include "group_rules.hpp"
#include "records.hpp"

namespace ck::verify {

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
  std::optional<Behind> behind;  ///< set while the job follows: `source` is the copied part

  bool ok() const;
  /// The job still follows and this partition waits for it: a tail not copied yet, or
  /// groups not placed yet. Meaningful only when ok().
  bool in_progress() const;
};

/// What a run found: every partition in order, in order so far with a job still copying
/// (ck-verify's exit 4), or a problem.
enum class Outcome { kOk, kInProgress, kFailed };
Outcome outcome_of(const std::vector<PartitionResult>& results);

/// The data verdict from counts and (when content) digests.
DataVerdict judge_counts(int64_t source_count, int64_t target_count, bool content,
                         uint64_t source_digest, uint64_t target_digest);

/// One line per problem (without the "ck-verify: " prefix), e.g. "topic t partition 2:
/// source has 10 messages in [0,10), target has 9 in [0,11)". Empty when ok.
std::vector<std::string> describe_problems(const PartitionResult& result);

/// The lines of a partition in progress (none otherwise): how far it is behind, e.g.
/// "topic t partition 2: behind by 1200 messages (about 3 s): the job is still copying
/// (follow mode); the 5000 messages copied so far verified", and its pending groups.
std::vector<std::string> describe_in_progress(const PartitionResult& result);

/// The summary line of a run in progress, e.g. "in progress: 2 partitions behind by 2400
/// messages in all (the oldest not copied about 3 s old); the part copied so far verified".
std::string summarize_in_progress(const std::vector<PartitionResult>& results);

/// One line for -v describing a partition that passed.
std::string describe_ok(const PartitionResult& result);

/// The digest as 16 lowercase hex digits.
std::string digest_hex(uint64_t digest);

}  // namespace ck::verify
