// Copier::run, the order of a copy's steps: preflight, the producer, the resume decision
// and the group placement of every partition (copy_state.hpp), the copy loop; and the
// result records written as partitions finish.
#include "copier.hpp"

#include "copier_engine.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace ck::copy {

Copier::Copier(const CopyOptions& options, const CommonOptions& common, std::ostream& out)
    : o_(options),
      common_(common),
      out_(out),
      reporter_(options.progress, log::level() < log::kInfo),
      throttle_(options.max_rate) {}

Copier::~Copier() {
  reader_.reset();
  topic_handles_.clear();
  if (consumer_) rd_kafka_consumer_close(consumer_->get());
}

// "<what> at 0.123 s": the run's timeline at debug level (-vv).
void Copier::timeline(const char* what) const {
  log::debug(cat(what, " at ", std::chrono::duration<double>(Clock::now() - started_).count(),
                 " s"));
}

int Copier::run(PlanInput input) {
  int code = preflight(input);
  if (code >= 0) return code;
  prepare_partitions();
  if (o_.dry_run) return dry_run();
  open_topic_handles();
  if (!init_producer()) return kExitRuntime;
  timeline("transactions initialized");
  std::map<TopicPartition, int64_t> starts, ends;
  if (!read_job_state(&starts, &ends)) return kExitRuntime;
  join_skipped_partitions();
  timeline("progress read");
  code = resume_partitions(std::move(starts), std::move(ends));
  if (code >= 0) return code;
  timeline("target offsets read");
  if (!load_target_groups()) return kExitRuntime;
  timeline("target groups read");
  if (!prepare_index()) return kExitRuntime;
  timeline("offset index read");
  place_partition_groups();
  return copy_loop();
}

// Where each partition starts: fresh (claimed in a first transaction before any data, so
// a crash after that leaves a progress entry and the rerun recognises its own, aborted,
// offsets), resumed, or refused. Returns an exit code when the run stops here, else -1.
int Copier::resume_partitions(std::map<TopicPartition, int64_t> starts,
                              std::map<TopicPartition, int64_t> ends) {
  std::vector<TopicPartition> joined;  // by join_skipped_partitions, after the first read
  for (const auto& [tp, p] : partitions_)
    if (!ends.count(tp)) joined.push_back(tp);
  if (!joined.empty() && !read_target_offsets(joined, &starts, &ends)) return kExitRuntime;
  bool refused = false;
  for (auto& [tp, p] : partitions_) {
    const Record& r = *p->record;
    p->target_base = ends[tp];
    TargetPartition target{std::nullopt, starts[tp], ends[tp]};
    if (auto prog = progress_.find(tp); prog != progress_.end()) target.progress = prog->second;
    auto log_start = source_.log_start.find(tp);
    ResumeDecision d = decide_resume(
        r, target, log_start == source_.log_start.end() ? 0 : log_start->second, o_.job,
        o_.append);
    if (d.kind == ResumeDecision::kRefused) {
      p->cur.stage = Stage::kFailed;
      p->error = d.error;
      log::error(cat(r.location(), ": ", p->error));
      refused = true;
      continue;
    }
    p->cur = std::move(d.snapshot);
    p->claimed = d.kind == ResumeDecision::kResumed;
    p->touched = !p->claimed;
    if (p->claimed)
      log::debug(cat(r.where(), ": resuming at ", p->cur.next, " with ", p->cur.copied,
                     " copied"));
  }
  if (refused && !o_.skip_invalid) {
    log::error("nothing copied");
    return kExitFailed;
  }
  return -1;
}

// Which groups this run places, which were placed before, which are left alone; then
// how each partition opens.
void Copier::place_partition_groups() {
  if (o_.follow) return skip_groups_in_follow_mode();
  GroupPolicy policy{o_.group_offsets, o_.force_group_offsets, group_marker(o_)};
  for (auto& [tp, p] : partitions_) {
    if (p->failed()) continue;
    const Record& r = *p->record;
    std::map<std::string, GroupFacts> facts;
    auto learn = [&](const std::string& group) {
      GroupFacts& f = facts[group];
      auto seen = target_activity_.find(group);
      f.activity = seen != target_activity_.end()
                       ? seen->second
                       : GroupActivity{Activity::unknown, "not observed"};
      for (const auto& c : target_group_offsets_[group])
        if (c.tp == tp) f.existing = c;
    };
    for (const auto& g : r.groups) learn(g.group);
    for (const auto& g : r.groups_without_commit) learn(g);
    GroupPlacement placement =
        place_groups(r, p->cur, policy, facts, p->index_complete ? &p->index : nullptr);
    for (auto& g : placement.placed) p->cur.placed.push_back(std::move(g));
    p->from_index = std::move(placement.from_index);
    if (!p->from_index.empty()) p->touched = true;
    for (auto& [group, why] : placement.left) {
      log::warn(cat(r.where(), ": group ", group, " left alone: ", why));
      p->groups_left.emplace_back(group, why);
    }
    bool pending = !placement.pending.empty() || !p->from_index.empty();
    p->cur.resolver.reset(std::move(placement.pending));
    p->produced_next = p->cur.next;
    p->committed = p->cur;
    if (opening(r, p->cur, pending) != Opening::kCompleteNow) continue;
    // Completes (and places its groups) in the first transaction.
    p->cur.stage = p->committed.stage = Stage::kReading;
    mark_done(*p);
  }
}

// Follow mode places no groups: their positions move on while the source is live, and
// the final run without --follow places each at its last position. Every partition reads
// on, whatever the plan's end.
void Copier::skip_groups_in_follow_mode() {
  bool any_groups = false;
  for (auto& [tp, p] : partitions_) {
    if (p->failed()) continue;
    const Record& r = *p->record;
    std::vector<std::string> groups = r.groups_without_commit;
    for (const auto& g : r.groups) groups.push_back(g.group);
    for (auto& g : groups)
      p->groups_left.emplace_back(std::move(g), "follow mode: the final run places it");
    any_groups = any_groups || !groups.empty();
    p->cur.stage = Stage::kReading;
    p->produced_next = p->cur.next;
    p->committed = p->cur;
  }
  if (any_groups && o_.group_offsets)
    log::info("follow mode: consumer groups are not placed; the final run without --follow "
              "places each at its last position");
}

// ------------------------------------------------------------------ results

void Copier::emit_record(Record r) {
  reporter_.clear();
  out_ << to_json(r) << '\n';
  out_.flush();
}

void Copier::emit(Partition& p, const std::string& status) {
  if (p.reported()) return;
  p.cur.stage = p.committed.stage = Stage::kReported;
  Record r = *p.record;
  r.type = "copy";
  r.copy.status = status;
  const Snapshot& s = p.committed;
  r.copy.copied = s.copied;
  r.copy.target_start = s.copied > 0 ? s.target_start : p.target_base;
  r.copy.target_end = s.copied > 0 ? s.target_end : p.target_base;
  report_range(p, &r);
  r.copy.target_groups = s.placed;
  r.copy.error = p.error;
  for (const auto& [group, why] : p.groups_left) r.copy.groups_left.push_back({group, why});
  if (status == "copied") ++totals_.copied_partitions;
  if (status == "failed") ++totals_.failed, any_failed_ = true;
  if (status == "stopped") ++totals_.stopped;
  if (status == "interrupted") ++totals_.interrupted;
  emit_record(std::move(r));
}

// Follow mode's result: the range as far as the copy got (committed), "copied" once that
// reaches the plan's end, else "stopped" with the plan's end. Groups are not claimed.
void Copier::emit_followed(Partition& p) {
  if (p.failed()) return emit(p, "failed");
  int64_t position = p.position();
  Record& r = *p.record;
  r.groups.clear();
  r.groups_without_commit.clear();
  if (position < r.end) return emit(p, "stopped");
  r.end = position;
  emit(p, "copied");
}

// The result of record i, refused by validation: failed, with its error.
void Copier::fail_invalid(size_t i, Record* r) {
  r->copy.status = "failed";
  for (const auto& inv : invalid_)
    if (inv.index == i) r->copy.error = inv.error;
  ++totals_.failed;
}

// Results of the records that are not read: invalid, skipped, refused or finished earlier.
void Copier::emit_unread_records() {
  for (size_t i = 0; i < records_.size(); ++i) {
    Record r = records_[i];
    bool invalid = invalid_index_.count(i) > 0;
    if (!invalid && r.to_copy()) continue;
    r.type = "copy";
    if (invalid) {
      fail_invalid(i, &r);
      any_failed_ = true;
    } else {
      r.copy.status = "skipped";
      r.copy.copied = 0;
      ++totals_.skipped;
    }
    emit_record(std::move(r));
  }
  for (auto& [tp, p] : partitions_) {
    if (p->failed()) emit(*p, "failed");
    else if (p->committed.complete()) emit(*p, "copied");
    else if (p->reading()) totals_.estimate += std::max<int64_t>(0, p->record->end - p->cur.next);
  }
}

const std::optional<StopError>& Copier::stop_error() const {
  if (stop_ || !txn_) return stop_;
  return txn_->stop_error();
}

void Copier::stop(StopError::Kind kind, std::string message) {
  if (!stop_error()) stop_ = StopError{kind, std::move(message)};
}

int Copier::finish(int code) {
  if (stop_error()) {
    reporter_.clear();
    const std::string& message = stop_error()->message;
    log::error(message);
    // The run gave up, not the partitions: what was committed stays, and the same command
    // continues from there, so the unfinished ones are "interrupted", not "failed".
    std::string resume = "run the same command again";
    for (auto& [tp, p] : partitions_) {
      if (p->reported()) continue;
      p->error = message.find(resume) == std::string::npos
                     ? cat(message, "; ", resume, " to resume")
                     : message;
      emit(*p, "interrupted");
    }
    reporter_.summary(totals_, false);
    return kExitRuntime;
  }
  if (signals::stop_requested()) {
    // Finish the open transaction cleanly: what was delivered is kept.
    if (producer_ && txn_ && dirty() && commit() == TxnResult::kAbort) txn_->abort();
    for (auto& [tp, p] : partitions_) o_.follow ? emit_followed(*p) : emit(*p, "stopped");
    reporter_.summary(totals_, false);
    return kExitSignalBase + signals::stop_signal();
  }
  if (o_.follow)
    for (auto& [tp, p] : partitions_) emit_followed(*p);
  reporter_.summary(totals_, false);
  if (code != kExitOk) return code;
  return any_failed_ ? kExitFailed : kExitOk;
}

int run_copy(const CopyOptions& options, const CommonOptions& common, PlanInput input,
             std::ostream& out) {
  // The target's settings against a transactional producer (e.g. max.in.flight above 5),
  // before any wait for the clusters: a configuration error, exit 2.
  std::string err;
  if (!check_config(common.target, &err, RD_KAFKA_PRODUCER, producer_forced(options)))
    return log::error(err), kExitUsage;
  Copier copier(options, common, out);
  return copier.run(std::move(input));
}

}  // namespace ck::copy
