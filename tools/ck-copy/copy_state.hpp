// The pure decisions of a copy: where a partition stands (its stage and what it has
// achieved), whether and where it resumes from the progress kept in the target, and
// which consumer groups this run places. No Kafka calls: the unit tests reach them all.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "group_activity.hpp"
#include "offset_index.hpp"
#include "records.hpp"
#include "resume_state.hpp"
#include "topic_partition.hpp"

namespace ck::copy {

/// Where a partition is in its copy.
enum class Stage {
  kReading,   ///< messages of the range still to copy
  kComplete,  ///< every message of the range copied (committed or in the open transaction)
  kFailed,    ///< given up; the failure is committed with the next transaction
  kReported,  ///< its result record is written: nothing more happens to it
};

/// What a partition has achieved; copied whole to roll back an aborted transaction.
struct Snapshot {
  Stage stage = Stage::kReading;
  int64_t next = -1;          ///< next source offset to copy
  int64_t job_start = -1;     ///< the job's first start on this partition (ProgressMeta.start)
  int64_t copied = 0;
  int64_t bytes = 0;
  int64_t target_start = -1;  ///< -1 until the first message landed
  int64_t target_end = -1;
  GroupResolver resolver;
  std::vector<GroupOffset> placed;  ///< groups with their target offset
  bool complete() const { return stage == Stage::kComplete; }
};

/// How a partition of the plan starts this run.
struct ResumeDecision {
  enum Kind {
    kFresh,    ///< no progress of this job: copy from the plan's start
    kResumed,  ///< progress of this job: continue where it stopped (the job grows)
    kRefused,  ///< foreign data, a plan going backwards, expired messages (error says why)
  } kind = kFresh;
  Snapshot snapshot;  ///< kFresh, kResumed: where the copy continues
  std::string error;  ///< kRefused: "the target partition already holds ..."
};

/// The target partition as it is before anything of this run: its progress entry in
/// the job's progress group (if any) and its log start and end offsets.
struct TargetPartition {
  std::optional<CommittedOffset> progress;
  int64_t log_start = 0;
  int64_t log_end = 0;
};

/// Decides how record `r` starts: fresh (refused when the target partition holds
/// messages this job did not write, unless `append`), or resumed from its progress: a
/// job grows, so a newer plan continues where the job stopped, whatever its start, as
/// long as that start is not before the job's first start (refused: the plan goes
/// backwards) and the messages from where the job stopped are still in the source
/// (`source_log_start`; refused: they expired). A plan starting beyond where the job
/// stopped is filled from there: the job never leaves a hole. Unreadable progress is
/// refused.
ResumeDecision decide_resume(const Record& r, const TargetPartition& target,
                             int64_t source_log_start, const std::string& job, bool append);

/// One plan group as the target knows it on this partition.
struct GroupFacts {
  std::optional<CommittedOffset> existing;  ///< its committed offset in the target, if any
  /// Whether consumers may still use it in the target (observe_group_activity); a group
  /// whose state could not be known counts as possibly consuming, never as idle.
  GroupActivity activity{Activity::idle, "not asked"};
};

/// The group options of the run.
struct GroupPolicy {
  bool enabled = true;  ///< --no-group-offsets turns it off
  bool force = false;   ///< --force-group-offsets
  std::string marker;   ///< commit metadata of the groups ck-copy places (group_marker())
};

/// Which groups of a partition this run places, which an earlier run placed, and which
/// are left alone (with the reason reported to the user).
struct GroupPlacement {
  std::vector<GroupOffset> pending;      ///< to place as the copy passes their offsets
  std::vector<GroupOffset> from_index;   ///< placed at once: position in an earlier run's range
  std::vector<GroupOffset> placed;       ///< placed by an earlier run, kept where it is
  std::vector<std::pair<std::string, std::string>> left;  ///< group, why left alone
};

/// Decides every group of record `r` (its groups and groups_without_commit) given where
/// the copy resumes (`s`), what the target knows (`facts`, by group; absent: nothing) and
/// the job's offset index of the ranges earlier runs copied (null: none complete). A group
/// is placed at its position in the newest plan: as the copy passes it, or at once through
/// the index when an earlier run copied it. A group possibly consuming in the target is
/// left alone ("active members in target (2 members, Stable)", "state unknown in target:
/// <reason>") unless policy.force; one an earlier run placed is then kept where it is, as
/// when its position is in a range copied without an index.
GroupPlacement place_groups(const Record& r, const Snapshot& s, const GroupPolicy& policy,
                            const std::map<std::string, GroupFacts>& facts,
                            const OffsetIndex* index = nullptr);

/// Whether placing record `r`'s groups or reporting its range needs the job's offset
/// index: an earlier run copied part of the partition, and the record starts after the
/// job's first start or a group's position lies in what was copied.
bool needs_index(const Record& r, const Snapshot& s);

/// What a partition does first once its groups are placed.
enum class Opening {
  kFinishedEarlier,  ///< complete with every group placed by an earlier run: report only
  kCompleteNow,      ///< nothing to read: completes (and places its groups) at once
  kRead,             ///< read from snapshot.next
};
Opening opening(const Record& r, const Snapshot& s, bool groups_pending);

/// What happened after one message of a batch was handled.
enum class BatchStep {
  kGoOn,     ///< next message
  kRewound,  ///< the copy went back to the last commit: the rest of the batch was read
             ///< before the rewind, and the rewound reader delivers it again
  kStop,     ///< the run stops
};

/// Hands messages 0..n-1 to `handle` while `after` (called after each) says kGoOn, and
/// `release` every message, handled or not. Returns the last step.
template <typename Handle, typename After, typename Release>
BatchStep for_each_until_rewind(size_t n, Handle&& handle, After&& after, Release&& release) {
  BatchStep step = BatchStep::kGoOn;
  for (size_t i = 0; i < n; ++i) {
    if (step == BatchStep::kGoOn) {
      handle(i);
      step = after(i);
    }
    release(i);
  }
  return step;
}

}  // namespace ck::copy
