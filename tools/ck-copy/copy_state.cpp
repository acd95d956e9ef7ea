#include "copy_state.hpp"

#include <algorithm>

#include "strings.hpp"

namespace ck::copy {

namespace {

ResumeDecision refused(std::string error) {
  ResumeDecision d;
  d.kind = ResumeDecision::kRefused;
  d.error = std::move(error);
  return d;
}

}  // namespace

ResumeDecision decide_resume(const Record& r, const TargetPartition& target,
                             int64_t source_log_start, const std::string& job, bool append) {
  ResumeDecision d;
  d.snapshot.next = d.snapshot.job_start = r.start;
  if (!target.progress) {
    if (target.log_end > target.log_start && !append)
      return refused(cat("the target partition already holds ",
                         target.log_end - target.log_start, " offsets that ck-copy job ", job,
                         " did not write (use --append to add to them)"));
    return d;
  }
  ProgressMeta meta;
  std::string err;
  if (!decode_progress(target.progress->metadata, &meta, &err)) return refused(err);
  d.kind = ResumeDecision::kResumed;
  Snapshot& s = d.snapshot;
  // A claim without a message copied holds nothing to continue: the newer plan's start
  // becomes the job's start.
  if (meta.copied > 0) {
    if (r.start < meta.start)
      return refused(cat("the plan starts at ", r.start, ", before job ", job,
                         "'s first start ", meta.start,
                         ": a job only grows forwards (use another --job for a new copy)"));
    s.next = target.progress->offset;
    s.job_start = meta.start;
    s.copied = meta.copied;
    s.target_start = meta.target_start;
    s.target_end = meta.target_end;
  }
  if (s.next < r.end && s.next < source_log_start)
    return refused(cat("job ", job, " stopped at source offset ", s.next,
                       " but the source now starts at ", source_log_start, ": ",
                       source_log_start - s.next,
                       " messages expired since (use another --job for a new copy)"));
  if (s.next >= r.end) s.stage = Stage::kComplete;
  return d;
}

namespace {

// Why group g is left alone, or empty when this run may place it. `ours`: its commit in the
// target is one an earlier run of the job made.
std::string why_left(const GroupPolicy& policy, const GroupFacts& facts, bool ours) {
  if (facts.activity.activity == Activity::active && !policy.force)
    return cat("active members in target (", facts.activity.reason, ")");
  if (facts.activity.activity == Activity::unknown && !policy.force)
    return cat("state unknown in target: ", facts.activity.reason);
  if (facts.existing && !ours && !policy.force)
    return cat("committed offset ", facts.existing->offset, " in target not written by ck-copy");
  return "";
}

}  // namespace

GroupPlacement place_groups(const Record& r, const Snapshot& s, const GroupPolicy& policy,
                            const std::map<std::string, GroupFacts>& facts,
                            const OffsetIndex* index) {
  GroupPlacement out;
  if (!policy.enabled) return out;
  std::vector<GroupOffset> groups = r.groups;
  for (const auto& g : r.groups_without_commit) groups.push_back({g, -1});
  static const GroupFacts kUnknown;
  for (const auto& g : groups) {
    auto found = facts.find(g.group);
    const GroupFacts& f = found == facts.end() ? kUnknown : found->second;
    bool ours = f.existing && f.existing->metadata == policy.marker;
    std::string why = why_left(policy, f, ours);
    // A group without a commit reads from the record's start.
    int64_t position = g.offset < 0 ? r.start : g.offset;
    std::optional<int64_t> target;
    if (why.empty() && s.copied > 0 && position < s.next) {
      // Its position lies in a range an earlier run copied: only the index knows where.
      if (index && !index->empty())
        target = index->position_of(std::max(position, index->runs().front().source));
      if (!target)
        why = "its position lies in a range copied by an earlier run that kept no offset index";
    }
    if (!why.empty() && ours)
      out.placed.push_back({g.group, f.existing->offset});  // kept where it is
    else if (!why.empty())
      out.left.emplace_back(g.group, std::move(why));
    else if (target)
      out.from_index.push_back({g.group, *target});
    else
      out.pending.push_back(g);
  }
  return out;
}

bool needs_index(const Record& r, const Snapshot& s) {
  if (s.copied <= 0) return false;
  if (r.start > s.job_start || !r.groups_without_commit.empty()) return true;
  for (const auto& g : r.groups)
    if (g.offset < s.next) return true;
  return false;
}

Opening opening(const Record& r, const Snapshot& s, bool groups_pending) {
  if (s.complete() && !groups_pending) return Opening::kFinishedEarlier;
  if (s.complete() || r.start >= r.end) return Opening::kCompleteNow;
  return Opening::kRead;
}

}  // namespace ck::copy
