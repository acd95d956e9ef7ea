#include "session.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include "job_progress.hpp"
#include "kafka.hpp"
#include "log.hpp"
#include "parallel.hpp"
#include "reader.hpp"
#include "strings.hpp"

namespace ck::verify {

namespace {

TopicPartition tp_of(const Record& r) { return {r.topic, r.partition}; }

size_t index_of(const std::vector<int64_t>& sorted, int64_t value) {
  return size_t(std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
}

void sort_unique(std::vector<int64_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// Where a partition stands in a cluster's metadata: empty when present.
std::string absence(const std::map<std::string, int32_t>& counts, const Record& r) {
  auto it = counts.find(r.topic);
  if (it == counts.end()) return "topic absent";
  if (r.partition >= it->second)
    return cat("the topic has ", plural(it->second, "partition"));
  return "";
}

struct Cluster {
  std::unique_ptr<KafkaClient> reader;
  std::map<std::string, int32_t> partitions;
};

bool connect(const ClusterConfig& config, int timeout_ms, Cluster* cluster, std::string* err) {
  cluster->reader = make_reader(config, err);
  return cluster->reader && cluster->reader->wait_ready(timeout_ms, err) &&
         fetch_partition_counts(*cluster->reader, timeout_ms, &cluster->partitions, err);
}

// Everything one record needs across the reading passes.
struct Work {
  PartitionResult* result = nullptr;
  std::vector<GroupFacts> groups;
  RangeScan source;
  RangeScan target;
};

int64_t clamp_to(int64_t offset, const Range& r) { return std::clamp(offset, r.start, r.end); }

// What the scan found around `offset` (one of its offset marks, once clamped).
const AroundOffset& around(const RangeScan& scan, int64_t offset) {
  return scan.around[index_of(scan.offset_marks, clamp_to(offset, scan.range))];
}

using GroupPartition = std::pair<std::string, TopicPartition>;

class Session {
 public:
  Session(const VerifyOptions& options, const CommonOptions& common)
      : options_(options), common_(common) {}

  bool run(const std::vector<Record>& records, std::vector<PartitionResult>* results,
           std::string* err);

 private:
  bool load_target_state(const std::vector<Record>& records, const std::vector<size_t>& to_read,
                         std::string* err);
  bool load_group_offsets(const std::vector<Record>& records, const std::vector<size_t>& present,
                          std::string* err);
  bool load_source_ends(std::string* err);
  bool locate_expected(std::vector<Work>& work, std::string* err);
  bool measure_behind(std::vector<Work>& work, std::string* err);
  bool verify_round(std::vector<PartitionResult>* results, const std::vector<size_t>& round,
                    std::string* err);
  void plan_source(Work& w);
  void plan_target(Work& w);
  void conclude(Work& w);
  bool locate_differences(std::vector<Work*>& mismatched, std::string* err);
  bool scan_both(const std::vector<RangeScan*>& source_scans,
                 const std::vector<RangeScan*>& target_scans, bool hash, std::string* err);

  const VerifyOptions& options_;
  const CommonOptions& common_;
  Cluster source_, target_;
  std::map<TopicPartition, int64_t> target_log_start_, target_end_;
  std::map<GroupPartition, int64_t> source_committed_, target_committed_;
  std::map<TopicPartition, Following> following_;  // partitions the job still follows
  std::map<TopicPartition, int64_t> source_end_;   // their source end offsets now
};

bool Session::run(const std::vector<Record>& records, std::vector<PartitionResult>* results,
                  std::string* err) {
  results->assign(records.size(), PartitionResult{});
  for (size_t i = 0; i < records.size(); ++i) {
    (*results)[i].record = &records[i];
    (*results)[i].content = options_.content;
  }
  std::vector<size_t> to_read;
  for (size_t i = 0; i < records.size(); ++i) {
    PartitionResult& r = (*results)[i];
    if (!incomplete_copy_status(records[i]).empty()) {
      r.verdict = DataVerdict::kNotCopied;
      r.content = false;
    } else if (is_skipped(records[i])) {
      r.verdict = DataVerdict::kSkipped;
      r.content = false;
    } else {
      to_read.push_back(i);
    }
  }
  if (to_read.empty()) return true;
  if (!connect(common_.source, common_.timeout_ms, &source_, err) ||
      !connect(common_.target, common_.timeout_ms, &target_, err))
    return false;
  std::vector<size_t> present;
  for (size_t i : to_read) {
    PartitionResult& r = (*results)[i];
    if (std::string why = absence(source_.partitions, records[i]); !why.empty()) {
      r.verdict = DataVerdict::kSourceMissing;
      r.missing_reason = why;
    } else if (std::string why = absence(target_.partitions, records[i]); !why.empty()) {
      r.verdict = DataVerdict::kMissing;
      r.missing_reason = why;
    } else {
      present.push_back(i);
    }
    if (r.verdict != DataVerdict::kOk) r.content = false;
  }
  if (present.empty()) return true;
  if (!load_target_state(records, present, err)) return false;
  // A partition can be read only once per pass: records repeating a partition (a plan
  // split oddly, two runs concatenated) go to later rounds.
  std::vector<std::vector<size_t>> rounds;
  std::map<TopicPartition, size_t> seen;
  for (size_t i : present) {
    size_t round = seen[tp_of(records[i])]++;
    if (rounds.size() <= round) rounds.resize(round + 1);
    rounds[round].push_back(i);
  }
  for (const auto& round : rounds)
    if (!verify_round(results, round, err)) return false;
  return true;
}

bool Session::load_target_state(const std::vector<Record>& records,
                                const std::vector<size_t>& present, std::string* err) {
  std::set<TopicPartition> tps;
  for (size_t i : present) tps.insert(tp_of(records[i]));
  std::vector<TopicPartition> list(tps.begin(), tps.end());
  int t = common_.timeout_ms;
  return query_offsets(*target_.reader, list, RD_KAFKA_OFFSET_BEGINNING, t, &target_log_start_,
                       err) &&
         query_offsets(*target_.reader, list, RD_KAFKA_OFFSET_END, t, &target_end_, err) &&
         load_group_offsets(records, present, err) && load_source_ends(err);
}

// The source's end now where the job follows, listed after its progress was read: the
// tail from the copied end to there is what the target is behind by.
bool Session::load_source_ends(std::string* err) {
  if (following_.empty()) return true;
  std::vector<TopicPartition> list;
  for (const auto& [tp, f] : following_) list.push_back(tp);
  return query_offsets(*source_.reader, list, RD_KAFKA_OFFSET_END, common_.timeout_ms,
                       &source_end_, err);
}

// Every group's committed offsets, in the source (now, against the plan) and the target,
// both clusters asked at once; in the target also the job's progress, which tells the
// partitions it still follows. Named partitions, stable offsets: ck-copy commits group
// offsets and its progress inside its transactions, and a commit whose marker is still on
// its way is waited for.
bool Session::load_group_offsets(const std::vector<Record>& records,
                                 const std::vector<size_t>& present, std::string* err) {
  std::map<std::string, std::vector<TopicPartition>> wanted[2];
  const std::string progress = job_progress_group(options_.job);
  for (size_t i : present) {
    for (const auto& g : record_groups(records[i]))
      for (auto& w : wanted) w[g.group].push_back(tp_of(records[i]));
    wanted[1][progress].push_back(tp_of(records[i]));
  }
  for (auto& w : wanted)
    for (auto& [group, list] : w) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
  std::map<std::string, std::vector<CommittedOffset>> offsets[2];
  std::string errors[2];
  bool ok = run_parallel(2, 2, [&](size_t i) {
    KafkaClient& client = *(i == 0 ? source_ : target_).reader;
    return wanted[i].empty() ||
           list_group_partition_offsets(client, wanted[i], common_.timeout_ms,
                                        kGroupOffsetRequestsInFlight, true, &offsets[i],
                                        &errors[i]);
  });
  if (!ok) {
    *err = !errors[0].empty() ? errors[0] : errors[1];
    return false;
  }
  for (const auto& c : offsets[1][progress])
    if (auto f = following_of(c.offset, c.metadata)) following_[c.tp] = *f;
  offsets[1].erase(progress);
  for (size_t i = 0; i < 2; ++i)
    for (const auto& [group, list] : offsets[i])
      for (const auto& c : list)
        (i == 0 ? source_committed_ : target_committed_)[{group, c.tp}] = c.offset;
  return true;
}

void Session::plan_source(Work& w) {
  const Record& rec = *w.result->record;
  TopicPartition tp = tp_of(rec);
  w.source.tp = tp;
  auto f = following_.find(tp);
  w.source.range = f != following_.end() ? copied_source(rec.start, f->second)
                                         : Range{rec.start, std::max(rec.start, rec.end)};
  w.groups = record_groups(rec);
  auto& marks = w.source.offset_marks;
  for (auto& g : w.groups) {
    if (auto c = source_committed_.find({g.group, tp}); c != source_committed_.end()) {
      g.source_now = c->second;
      marks.push_back(clamp_to(c->second, w.source.range));
    }
    marks.push_back(clamp_to(g.plan_offset < 0 ? rec.start : g.plan_offset, w.source.range));
  }
  sort_unique(&marks);
}

void Session::plan_target(Work& w) {
  const Record& rec = *w.result->record;
  TopicPartition tp = tp_of(rec);
  w.target.tp = tp;
  w.target.range = target_range_for(rec, target_log_start_[tp], target_end_[tp]);
  if (auto f = following_.find(tp); f != following_.end())
    w.target.range = copied_target(w.target.range, f->second);
  auto& marks = w.target.offset_marks;
  for (auto& g : w.groups) {
    if (auto c = target_committed_.find({g.group, tp}); c != target_committed_.end()) {
      g.committed = c->second;
      marks.push_back(clamp_to(c->second, w.target.range));
    }
    if (g.claimed >= 0) marks.push_back(clamp_to(g.claimed, w.target.range));
  }
  sort_unique(&marks);
}

void Session::conclude(Work& w) {
  PartitionResult& r = *w.result;
  TopicPartition tp = tp_of(*r.record);
  r.source = w.source.range;
  r.target = w.target.range;
  r.source_count = w.source.count;
  r.target_count = w.target.count;
  r.source_digest = w.source.digest;
  r.target_digest = w.target.digest;
  r.verdict = judge_counts(r.source_count, r.target_count, r.content, r.source_digest,
                           r.target_digest);
  // The end offset was listed before reading; right after a copy the last commit
  // markers may not have landed yet, so the copied range's end counts as reached too.
  RangesRead ranges{r.source,       r.source_count,  r.target,
                    r.target_count, target_end_[tp], following_.count(tp) > 0};
  for (GroupFacts& g : w.groups) {
    g.at_plan = around(w.source, g.plan_offset < 0 ? r.source.start : g.plan_offset);
    if (g.source_now) g.at_now = around(w.source, *g.source_now);
    if (g.committed) g.at_committed = around(w.target, *g.committed);
    if (g.claimed >= 0) g.at_claimed = around(w.target, g.claimed);
    r.groups.push_back(check_group(g, ranges, options_.ahead));
  }
}

bool Session::verify_round(std::vector<PartitionResult>* results,
                           const std::vector<size_t>& round, std::string* err) {
  std::vector<Work> work(round.size());
  std::vector<RangeScan*> source_scans, target_scans;
  for (size_t k = 0; k < round.size(); ++k) {
    work[k].result = &(*results)[round[k]];
    plan_source(work[k]);
    plan_target(work[k]);
    source_scans.push_back(&work[k].source);
    target_scans.push_back(&work[k].target);
  }
  log::debug(cat("reading ", source_scans.size(), " source and ", target_scans.size(),
                 " target ranges"));
  if (!scan_both(source_scans, target_scans, options_.content, err)) return false;
  std::vector<Work*> mismatched;
  for (auto& w : work) {
    conclude(w);
    if (w.result->content && w.source.digest != w.target.digest) mismatched.push_back(&w);
  }
  return locate_expected(work, err) &&
         (mismatched.empty() || locate_differences(mismatched, err)) &&
         measure_behind(work, err);
}

// Where the job follows: the source's tail not copied yet, counted by reading it (offsets
// have gaps), and the age of its first message.
bool Session::measure_behind(std::vector<Work>& work, std::string* err) {
  std::vector<RangeScan> tails(work.size());
  std::vector<RangeScan*> reading;
  for (size_t i = 0; i < work.size(); ++i) {
    TopicPartition tp = tp_of(*work[i].result->record);
    auto f = following_.find(tp);
    if (f == following_.end()) continue;
    tails[i].tp = tp;
    tails[i].range = uncopied_source(f->second, source_end_[tp]);
    reading.push_back(&tails[i]);
  }
  if (reading.empty()) return true;
  log::debug(cat("counting the source's tail not copied yet in ", reading.size(), " partitions"));
  if (!scan_ranges(*source_.reader, reading, false, common_.timeout_ms, err)) return false;
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  for (size_t i = 0; i < work.size(); ++i)
    if (!tails[i].tp.topic.empty())
      work[i].result->behind = behind_of(tails[i].count, tails[i].first_timestamp, now_ms);
  return true;
}

// Groups not at their position: the target offset of the message at the position is
// found by reading from the start of its block (the blocks' first offsets were noted
// while counting), one scan per partition up to its last such position.
bool Session::locate_expected(std::vector<Work>& work, std::string* err) {
  std::vector<RangeScan> scans(work.size());
  std::vector<RangeScan*> reading;
  std::vector<int64_t> first(work.size(), -1);  // position of each scan's first message
  for (size_t i = 0; i < work.size(); ++i) {
    std::vector<int64_t> positions;
    for (const auto& g : work[i].result->groups)
      if (g.expected < 0 && g.position >= 0) positions.push_back(g.position);
    if (positions.empty()) continue;
    sort_unique(&positions);
    const RangeScan& full = work[i].target;
    size_t block = size_t(positions.front() / kBlockMessages);
    if (block >= full.blocks.size()) continue;  // past what the target holds: its end
    first[i] = int64_t(block) * kBlockMessages;
    RangeScan& s = scans[i];
    s.tp = full.tp;
    s.range = {full.blocks[block].first_offset, full.range.end};
    for (int64_t p : positions) s.position_marks.push_back(p - first[i]);
    s.max_messages = s.position_marks.back() + 1;
    reading.push_back(&s);
  }
  if (reading.empty()) return true;
  log::debug(cat("locating expected group offsets in ", reading.size(), " target ranges"));
  if (!scan_ranges(*target_.reader, reading, false, common_.timeout_ms, err)) return false;
  for (size_t i = 0; i < work.size(); ++i) {
    if (first[i] < 0) continue;
    for (auto& g : work[i].result->groups) {
      if (g.expected >= 0 || g.position < first[i]) continue;
      int64_t at = scans[i].offset_at[index_of(scans[i].position_marks, g.position - first[i])];
      g.expected = expected_target_offset(g.position, work[i].result->target_count, at,
                                          work[i].result->target);
    }
  }
  return true;
}

// Reads the source's and the target's scans at the same time, each by its own reader.
// The first failure stops the other reading and is the one reported.
bool Session::scan_both(const std::vector<RangeScan*>& source_scans,
                        const std::vector<RangeScan*>& target_scans, bool hash,
                        std::string* err) {
  std::atomic<bool> failed{false};
  std::string errors[2];
  bool ok = run_parallel(2, 2, [&](size_t i) {
    Cluster& cluster = i == 0 ? source_ : target_;
    bool done = scan_ranges(*cluster.reader, i == 0 ? source_scans : target_scans, hash,
                            common_.timeout_ms, &errors[i], &failed);
    if (!done) failed = true;
    return done;
  });
  // A reading stopped by the other's failure has no error of its own.
  if (!ok) *err = !errors[0].empty() ? errors[0] : errors[1];
  return ok;
}

// Second pass for content mismatches: find the first block whose digest differs, re-read
// that block on both sides keeping each message's hash, and compare them in order.
bool Session::locate_differences(std::vector<Work*>& mismatched, std::string* err) {
  struct Probe {
    Work* w;
    int64_t block;
    std::vector<MessageHash> source, target;
    RangeScan source_scan, target_scan;
  };
  std::vector<Probe> probes(mismatched.size());
  std::vector<RangeScan*> source_scans, target_scans;
  auto block_scan = [](const RangeScan& full, size_t b, std::vector<MessageHash>* keep,
                       RangeScan* out) {
    out->tp = full.tp;
    out->range = b < full.blocks.size() ? Range{full.blocks[b].first_offset, full.range.end}
                                        : Range{full.range.end, full.range.end};
    out->max_messages = kBlockMessages;
    out->keep = keep;
  };
  for (size_t i = 0; i < mismatched.size(); ++i) {
    Probe& p = probes[i];
    p.w = mismatched[i];
    const auto& sb = p.w->source.blocks;
    const auto& tb = p.w->target.blocks;
    size_t b = 0;
    while (b < sb.size() && b < tb.size() && sb[b].hash == tb[b].hash) ++b;
    p.block = int64_t(b);
    block_scan(p.w->source, b, &p.source, &p.source_scan);
    block_scan(p.w->target, b, &p.target, &p.target_scan);
    source_scans.push_back(&p.source_scan);
    target_scans.push_back(&p.target_scan);
  }
  if (!scan_both(source_scans, target_scans, true, err)) return false;
  for (auto& p : probes)
    p.w->result->difference = first_difference(p.source, p.target, p.block * kBlockMessages);
  return true;
}

}  // namespace

bool verify_records(const std::vector<Record>& records, const VerifyOptions& options,
                    const CommonOptions& common, std::vector<PartitionResult>* results,
                    std::string* err) {
  Session session(options, common);
  return session.run(records, results, err);
}

}  // namespace ck::verify
