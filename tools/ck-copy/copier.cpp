#include "copier.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "config.hpp"
#include "exit_codes.hpp"
#include "fetch_waker.hpp"
#include "kafka.hpp"
#include "log.hpp"
#include "resume_state.hpp"
#include "progress_line.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace ck::copy {
namespace {

using Clock = std::chrono::steady_clock;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What a partition has achieved; copied whole to roll back an aborted transaction.
struct Snapshot {
  int64_t next = -1;          // next source offset to copy
  int64_t copied = 0;
  int64_t bytes = 0;
  int64_t target_start = -1;  // -1 until the first message landed
  int64_t target_end = -1;
  bool done = false;
  GroupResolver resolver;
  std::vector<GroupOffset> placed;  // groups with their target offset
};

struct Partition {
  Record* record = nullptr;
  TopicPartition tp;
  rd_kafka_topic_t* rkt = nullptr;  // producer topic handle
  Snapshot cur, committed;
  std::vector<GroupOffset> to_commit;  // placed in the open transaction
  std::deque<int64_t> in_flight;       // source offsets awaiting delivery, in order
  int64_t in_flight_bytes = 0;         // their key and value bytes
  int64_t produced_next = -1;          // source offset after the last one produced
  int64_t target_base = -1;            // target end offset before anything of ours
  bool touched = false;                // changed in the open transaction
  bool claimed = false;                // has a progress entry in the target
  bool reported = false;               // result record written
  bool failed = false;
  std::string error;
  bool beyond_warned = false;
  bool retention_checked = false;
  int64_t eof_offset = -1;
  Clock::time_point last_event = Clock::now();
  std::vector<std::pair<std::string, std::string>> groups_left;
};

// Outcome of one transactional step.
enum class Step { kOk, kAbort, kFatal };

class Copier {
 public:
  Copier(const CopyOptions& options, const CommonOptions& common, std::ostream& out)
      : o_(options), common_(common), out_(out), reporter_(options.progress,
                                                            log::level() < log::kInfo) {}
  ~Copier();

  int run(PlanInput input);

 private:
  // Setup and preflight.
  bool connect();
  int preflight(PlanInput& input);
  bool gather_source_facts(SourceFacts* facts);
  int check_and_prepare_target();
  bool init_producer();
  bool load_progress(bool stable);
  bool load_target_groups();
  void prepare_partitions();
  int dry_run();

  // The loop.
  int copy_loop();
  void assign_pending();
  void handle(rd_kafka_message_t* m);
  void produce(Partition& p, rd_kafka_message_t* m);
  void mark_done(Partition& p);
  void fail_partition(Partition& p, const std::string& error);
  void check_stalls();
  bool txn_due() const;
  bool dirty() const;
  bool backlogged() const;
  Step commit();
  Step send_offsets(const std::string& group,
                    const std::vector<std::pair<Partition*, CommittedOffset>>& offsets);
  Step abort_and_rewind(const std::string& why);
  Step commit_and_continue();
  bool all_reported() const;
  void fail_invalid(size_t i, Record* r);
  Step classify(rd_kafka_error_t* error, const std::string& what);
  Step finish_txn_call(const std::string& what,
                       const std::function<rd_kafka_error_t*(int)>& call);
  bool begin();
  void emit(Partition& p, const std::string& status);
  void emit_record(Record r);
  Partition* lookup(rd_kafka_topic_t* rkt, int32_t partition);
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  void delivered(const rd_kafka_message_t* m);
  int finish(int code);

  const CopyOptions& o_;
  const CommonOptions& common_;
  std::ostream& out_;
  ProgressReporter reporter_;
  Totals totals_;

  std::vector<Record> records_;
  std::vector<Invalid> invalid_;
  std::map<TopicPartition, std::unique_ptr<Partition>> partitions_;
  std::map<std::string, rd_kafka_topic_t*> topic_handles_;
  rd_kafka_topic_t* last_rkt_ = nullptr;
  int32_t last_partition_ = -1;
  Partition* last_lookup_ = nullptr;

  std::unique_ptr<KafkaClient> consumer_, target_admin_, producer_;
  SourceFacts source_;
  std::map<std::string, std::map<std::string, std::string>> source_configs_, target_configs_;
  std::map<TopicPartition, CommittedOffset> progress_;
  std::map<std::string, std::vector<CommittedOffset>> target_group_offsets_;
  std::map<std::string, int> active_members_;
  std::set<std::string> retention_warned_;

  GroupMetadataPtr progress_group_;
  int64_t txn_messages_ = 0, txn_bytes_ = 0;
  Clock::time_point txn_started_ = Clock::now();
  Clock::time_point batch_read_at_ = Clock::now();  // when the batch being handled arrived
  const Clock::time_point started_ = Clock::now();
  bool first_data_seen_ = false;
  // "<what> at 0.123 s": the run's timeline at debug level (-vv).
  void timeline(const char* what) const {
    log::debug(cat(what, " at ", std::chrono::duration<double>(Clock::now() - started_).count(),
                   " s"));
  }
  bool need_abort_ = false;
  std::string abort_reason_;
  // The target took nothing for --timeout (a full queue or unconfirmed deliveries): aborting
  // would wait another --timeout for the same silent broker, so the run gives up at once and
  // the next run's init_transactions aborts the open transaction.
  bool target_silent_ = false;
  // One deadline for the whole commit (deliveries, offsets, EndTxn); none outside a commit.
  std::optional<Clock::time_point> commit_deadline_;
  bool discarding_ = false;
  int64_t batch_bytes_ = 0;     // the producer's batch.size (init_producer)
  int64_t batch_messages_ = 0;  // and batch.num.messages
  int consecutive_aborts_ = 0;
  std::string fatal_;
  bool any_failed_ = false;
};

Copier::~Copier() {
  for (auto& [name, rkt] : topic_handles_) rd_kafka_topic_destroy(rkt);
  if (consumer_) rd_kafka_consumer_close(consumer_->get());
}

// ------------------------------------------------------------------ setup

bool Copier::connect() {
  std::string err;
  int64_t buffer_kb = int64_t(o_.max_buffer_mb) * 1024;
  int64_t fetch_bytes = std::clamp<int64_t>(buffer_kb * 1024 / 8, 1 << 20, 50 << 20);
  // librdkafka refuses a receive.message.max.bytes below fetch.max.bytes + 512: the default
  // of the one follows the user's choice of the other (a bad number is librdkafka's to name).
  int64_t receive_bytes =
      std::max(fetch_bytes, setting_int(common_.source.settings, "fetch.max.bytes", 0)) +
      (1 << 20);
  // The reader's prefetch queue gets a quarter of the memory budget, plus one fetch (an
  // eighth). librdkafka counts that queue in payload bytes, but a compressed batch sits in
  // a buffer sized for a 4x ratio (librdkafka 2.0.2's lz4 estimate when the frame has no
  // content size, as Java producers write it) and never shrunk: with incompressible lz4
  // data five eighths (80 MiB) gave a peak RSS of 341-379 MiB on 1 GiB of 1 KiB messages,
  // a quarter 190-204 MiB, at a cost of 4-9% in speed. The fetch waker keeps a small queue
  // from idling the source (without it a quarter took 2.5x as long as five eighths).
  // fetch.wait.max.ms: how long a fetch at the end of the data waits at the broker, and
  // with it anything else asked on that connection; librdkafka's 500 ms made the end of
  // every copy 0.4-0.5 s late (the fetch waker's last question queued behind it).
  Settings consumer_defaults = {
      {"fetch.wait.max.ms", "100"},
      {"queued.max.messages.kbytes", std::to_string(std::max<int64_t>(1024, buffer_kb / 4))},
      {"fetch.max.bytes", std::to_string(fetch_bytes)},
      {"receive.message.max.bytes", std::to_string(receive_bytes)}};
  // Semantics the copy relies on: committed data only, no group commits of the
  // reader (progress lives in the target), EOF events to detect the end of a range,
  // and no silent jump when a start offset expired meanwhile.
  Settings consumer_forced = {{"group.id", "ck-migrate.reader"},
                              {"isolation.level", "read_committed"},
                              {"enable.auto.commit", "false"},
                              {"enable.auto.offset.store", "false"},
                              {"enable.partition.eof", "true"},
                              {"auto.offset.reset", "error"}};
  consumer_ = KafkaClient::create(common_.source, RD_KAFKA_CONSUMER, consumer_defaults,
                                  consumer_forced, &err);
  if (!consumer_) return log::error(err), false;
  // Target queries (metadata, offsets, groups) go through a handle of their own, so a
  // dry run never creates the transactional producer.
  target_admin_ = KafkaClient::create(common_.target, RD_KAFKA_CONSUMER, {},
                                      {{"isolation.level", "read_uncommitted"}}, &err);
  if (!target_admin_) return log::error(err), false;
  if (!consumer_->wait_ready(common_.timeout_ms, &err) ||
      !target_admin_->wait_ready(common_.timeout_ms, &err))
    return log::error(err), false;
  return true;
}

bool Copier::gather_source_facts(SourceFacts* facts) {
  std::string err;
  if (!fetch_partition_counts(*consumer_, common_.timeout_ms, &facts->partition_counts, &err))
    return log::error(err), false;
  std::vector<TopicPartition> tps;
  for (const auto& r : records_) {
    auto count = facts->partition_counts.find(r.topic);
    if (r.to_copy() && count != facts->partition_counts.end() && r.partition < count->second)
      tps.push_back({r.topic, r.partition});
  }
  if (!query_offsets(*consumer_, tps, RD_KAFKA_OFFSET_BEGINNING, common_.timeout_ms,
                     &facts->log_start, &err) ||
      !query_offsets(*consumer_, tps, RD_KAFKA_OFFSET_END, common_.timeout_ms,
                     &facts->stable_end, &err))
    return log::error(err), false;
  std::vector<std::string> topics;
  for (const auto& t : plan_topics(records_))
    if (facts->partition_counts.count(t)) topics.push_back(t);
  if (!describe_topic_configs(*consumer_, topics, common_.timeout_ms, &source_configs_, &err))
    return log::error(err), false;
  return true;
}

// Splits off invalid records; returns an exit code when the run must stop, else -1.
int Copier::preflight(PlanInput& input) {
  // One line per bad line, as ck-verify reports its first.
  for (const auto& line : input.bad_lines) log::error(line);
  if (input.error != InputError::kNone) {
    log::error(input.error_text);
    return kExitRuntime;
  }
  if (!input.bad_lines.empty() && !o_.skip_invalid) return kExitRuntime;
  any_failed_ = !input.bad_lines.empty();
  records_ = select_shard(std::move(input.records), o_.shard_index, o_.shard_count);
  if (!connect()) return kExitRuntime;
  timeline("connected");
  if (!gather_source_facts(&source_)) return kExitRuntime;
  timeline("source offsets and configs read");
  invalid_ = check_records(records_, source_);
  int code = check_and_prepare_target();
  timeline("target checked");
  return code;
}

int Copier::check_and_prepare_target() {
  std::string err;
  std::map<std::string, int32_t> target_counts, wanted;
  if (!fetch_partition_counts(*target_admin_, common_.timeout_ms, &target_counts, &err))
    return log::error(err), kExitRuntime;
  std::set<size_t> bad;
  for (const auto& i : invalid_) bad.insert(i.index);
  for (size_t i = 0; i < records_.size(); ++i)
    if (records_[i].to_copy() && !bad.count(i))
      wanted[records_[i].topic] = source_.partition_counts[records_[i].topic];
  std::vector<std::string> existing;
  for (const auto& [topic, n] : wanted)
    if (target_counts.count(topic)) existing.push_back(topic);
  if (!describe_topic_configs(*target_admin_, existing, common_.timeout_ms, &target_configs_,
                              &err))
    return log::error(err), kExitRuntime;
  TargetVerdict verdict = check_target(wanted, source_configs_, target_counts, target_configs_,
                                       o_.create_topics, o_.replication_factor);
  for (const auto& w : verdict.warnings) log::warn(w);
  for (size_t i = 0; i < records_.size(); ++i) {
    auto refused = verdict.refused.find(records_[i].topic);
    if (records_[i].to_copy() && !bad.count(i) && refused != verdict.refused.end())
      invalid_.push_back({i, cat(records_[i].location(), ": ", refused->second)});
  }
  for (const auto& inv : invalid_) log::error(inv.error);
  if (!invalid_.empty() && !o_.skip_invalid) {
    log::error(cat(invalid_.size(), " invalid record(s); nothing copied"));
    return kExitFailed;
  }
  if (!verdict.to_create.empty()) {
    if (o_.dry_run) {
      for (const auto& t : verdict.to_create)
        log::info(cat("would create topic ", t.topic, " ", new_topic_text(t)));
    } else {
      if (!create_topics(*target_admin_, verdict.to_create, common_.timeout_ms, true, &err))
        return log::error(err), kExitRuntime;
      for (const auto& t : verdict.to_create) {
        log::info(cat("created topic ", t.topic, " ", new_topic_text(t)));
        target_configs_[t.topic] = t.configs;
      }
    }
  }
  return -1;
}

bool Copier::init_producer() {
  std::string err;
  int64_t buffer_kb = int64_t(o_.max_buffer_mb) * 1024;
  // librdkafka 2.0.2's idempotent (so also transactional) producer has one produce request
  // in flight per partition: it holds a partition's in-flight messages against a limit of
  // five requests (rktp_msgs_inflight against RD_KAFKA_IDEMP_MAX_INFLIGHT). While a
  // partition waits for that request, its broker thread polls without sleeping if the next
  // batch is overdue: its first message older than linger.ms, or any batch at all while
  // flushing (rd_kafka_msgq_allow_wakeup_at). With linger.ms 20 and a flush at every
  // commit that was up to 220,000 empty polls on 256 MiB of 1 KiB lz4, a third of
  // ck-copy's CPU, taken from the brokers on a shared machine. Hence commit() letting full
  // batches go before it flushes, and linger.ms 1000: a batch waits in the queue behind
  // its partition's request for longer than 100 ms (a quarter of the budget over four
  // partitions of 10 KiB lz4: 130 ms), and is then overdue. A short batch, the end of a
  // range, leaves with the next commit, which flushes, or after a second. A full queue is
  // flushed at once (handle()): with many partitions it holds only short batches.
  // The queue keeps a quarter of the budget: a thinner one (two batches a partition)
  // spun less but copied 5-10% slower, its partitions starving each other.
  // librdkafka's defaults unless the user set them.
  batch_bytes_ = std::max<int64_t>(1, setting_int(common_.target.settings, "batch.size", 1000000));
  batch_messages_ =
      std::max<int64_t>(1, setting_int(common_.target.settings, "batch.num.messages", 10000));
  Settings defaults = {{"queue.buffering.max.kbytes", std::to_string(std::max<int64_t>(1024, buffer_kb / 4))},
                       {"queue.buffering.max.messages", "1000000"},
                       {"linger.ms", "1000"}};
  producer_ = KafkaClient::create(common_.target, RD_KAFKA_PRODUCER, defaults,
                                  producer_forced(o_), &err,
                                  [](rd_kafka_conf_t* conf) {
                                    rd_kafka_conf_set_dr_msg_cb(conf, &Copier::on_delivery);
                                  });
  if (!producer_) return log::error(err), false;
  producer_->user = this;
  // Fences any older ck-copy of this job and aborts what a crashed run left open.
  rd_kafka_error_t* e = rd_kafka_init_transactions(producer_->get(), common_.timeout_ms);
  if (e) {
    log::error(producer_->failure(cat("initializing transactions (transactional.id ",
                                      transactional_id(o_), "): ", rd_kafka_error_string(e))));
    rd_kafka_error_destroy(e);
    return false;
  }
  progress_group_.reset(rd_kafka_consumer_group_metadata_new(progress_group(o_).c_str()));
  return true;
}

bool Copier::load_progress(bool stable) {
  std::map<std::string, std::vector<CommittedOffset>> offsets;
  std::string err;
  std::string group = progress_group(o_);
  // Named partitions: a progress commit whose marker is still on its way is waited for,
  // not silently left out (see list_group_partition_offsets).
  std::map<std::string, std::vector<TopicPartition>> asked{{group, {}}};
  for (const auto& [tp, p] : partitions_) asked[group].push_back(tp);
  if (!list_group_partition_offsets(*target_admin_, asked, common_.timeout_ms, 1, stable,
                                    &offsets, &err))
    return log::error(cat("reading progress group ", group, ": ", err)), false;
  for (auto& c : offsets[group]) progress_[c.tp] = c;
  return true;
}

bool Copier::load_target_groups() {
  if (!o_.group_offsets) return true;
  std::map<std::string, std::vector<TopicPartition>> asked;
  for (const auto& [tp, p] : partitions_) {
    for (const auto& g : p->record->groups) asked[g.group].push_back(tp);
    for (const auto& g : p->record->groups_without_commit) asked[g].push_back(tp);
  }
  if (asked.empty()) return true;
  std::vector<std::string> groups;
  for (auto& [group, tps] : asked) {
    groups.push_back(group);
    std::sort(tps.begin(), tps.end());
    tps.erase(std::unique(tps.begin(), tps.end()), tps.end());
  }
  std::vector<GroupDescription> described;
  std::string err;
  if (!describe_groups(*target_admin_, groups, common_.timeout_ms, &described, &err) ||
      !list_group_partition_offsets(*target_admin_, asked, common_.timeout_ms, 8, true,
                                    &target_group_offsets_, &err))
    return log::error(err), false;
  for (const auto& d : described) active_members_[d.group] = d.members;
  return true;
}

// Builds the per-partition state from the records, the progress and the target.
void Copier::prepare_partitions() {
  std::set<size_t> bad;
  for (const auto& i : invalid_) bad.insert(i.index);
  for (size_t i = 0; i < records_.size(); ++i) {
    Record& r = records_[i];
    if (!r.to_copy() || bad.count(i)) continue;
    auto p = std::make_unique<Partition>();
    p->record = &r;
    p->tp = {r.topic, r.partition};
    p->cur.next = r.start;
    partitions_[p->tp] = std::move(p);
  }
}

// ------------------------------------------------------------------ results

void Copier::emit_record(Record r) {
  reporter_.clear();
  out_ << to_json(r) << '\n';
  out_.flush();
}

void Copier::emit(Partition& p, const std::string& status) {
  if (p.reported) return;
  p.reported = true;
  Record r = *p.record;
  r.type = "copy";
  r.status = status;
  const Snapshot& s = p.committed;
  r.copied = s.copied;
  r.target_start = s.copied > 0 ? s.target_start : p.target_base;
  r.target_end = s.copied > 0 ? s.target_end : p.target_base;
  r.target_groups = s.placed;
  r.error = p.error;
  for (const auto& [group, why] : p.groups_left) r.groups_left.push_back({group, why});
  if (status == "copied") ++totals_.copied_partitions;
  if (status == "failed") ++totals_.failed, any_failed_ = true;
  if (status == "stopped") ++totals_.stopped;
  if (status == "interrupted") ++totals_.interrupted;
  emit_record(std::move(r));
}

// ------------------------------------------------------------------ run

int Copier::run(PlanInput input) {
  int code = preflight(input);
  if (code >= 0) return code;
  prepare_partitions();
  if (o_.dry_run) return dry_run();
  if (!init_producer()) return kExitRuntime;
  timeline("transactions initialized");
  if (!load_progress(true)) return kExitRuntime;
  timeline("progress read");

  // Target offsets where each fresh partition begins, and the refusal of partitions
  // that already hold messages ck-copy did not write.
  std::vector<TopicPartition> tps;
  for (const auto& [tp, p] : partitions_) tps.push_back(tp);
  std::map<TopicPartition, int64_t> starts, ends;
  std::string err;
  auto deadline = Clock::now() + std::chrono::milliseconds(common_.timeout_ms);
  for (;;) {  // a topic created a moment ago may not be known to its leader yet
    err.clear();
    if (query_offsets(*target_admin_, tps, RD_KAFKA_OFFSET_BEGINNING, common_.timeout_ms,
                      &starts, &err) &&
        query_offsets(*target_admin_, tps, RD_KAFKA_OFFSET_END, common_.timeout_ms, &ends,
                      &err))
      break;
    if (Clock::now() > deadline) return log::error(err), kExitRuntime;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  bool refused = false;
  for (auto& [tp, p] : partitions_) {
    Record& r = *p->record;
    p->target_base = ends[tp];
    auto prog = progress_.find(tp);
    std::string where = r.location() + ": ";
    if (prog == progress_.end()) {
      if (ends[tp] > starts[tp] && !o_.append) {
        p->failed = true;
        p->error = cat("the target partition already holds ", ends[tp] - starts[tp],
                       " offsets that ck-copy job ", o_.job,
                       " did not write (use --append to add to them)");
        log::error(where + p->error);
        refused = true;
      }
      // Claimed in a first transaction before any data: a crash after that leaves a
      // progress entry, so the rerun recognises its own (aborted) offsets.
      p->touched = !p->failed;
      continue;
    }
    ProgressMeta meta;
    if (!decode_progress(prog->second.metadata, &meta, &err) || meta.start != r.start) {
      p->failed = true;
      p->error = err.empty() ? cat("the target holds progress of job ", o_.job,
                                   " for a range starting at ", meta.start,
                                   ", not ", r.start, " (use another --job for a new copy)")
                             : err;
      log::error(where + p->error);
      refused = true;
      continue;
    }
    p->claimed = true;
    Snapshot& s = p->cur;
    s.next = std::max(prog->second.offset, r.start);
    s.copied = meta.copied;
    s.target_start = meta.target_start;
    s.target_end = meta.target_end;
    s.done = s.next >= r.end;
    log::debug(cat(r.where(), ": resuming at ", s.next, " with ", s.copied, " copied"));
  }
  if (refused && !o_.skip_invalid) {
    log::error("nothing copied");
    return kExitFailed;
  }
  timeline("target offsets read");
  if (!load_target_groups()) return kExitRuntime;
  timeline("target groups read");

  // Which groups this run places, which were placed before, which are left alone.
  std::string marker = group_marker(o_);
  for (auto& [tp, p] : partitions_) {
    if (p->failed) continue;
    std::vector<GroupOffset> pending;
    std::vector<GroupOffset> groups = p->record->groups;
    for (const auto& g : p->record->groups_without_commit) groups.push_back({g, -1});
    for (const auto& g : o_.group_offsets ? groups : std::vector<GroupOffset>{}) {
      const CommittedOffset* existing = nullptr;
      for (const auto& c : target_group_offsets_[g.group])
        if (c.tp == tp) existing = &c;
      if (existing && existing->metadata == marker) {
        p->cur.placed.push_back({g.group, existing->offset});
        continue;
      }
      std::string why;
      if (active_members_[g.group] > 0 && !o_.force_group_offsets)
        why = "active members in target";
      else if (existing && !o_.force_group_offsets)
        why = cat("committed offset ", existing->offset, " in target not written by ck-copy");
      else if (p->cur.copied > 0 && g.offset < p->cur.next)
        why = "its position was copied by an earlier run that did not move it";
      else if (p->cur.done && p->cur.copied > 0)
        why = "the range was completed by an earlier run that did not move it";
      if (!why.empty()) {
        log::warn(cat(p->record->where(), ": group ", g.group, " left alone: ", why));
        p->groups_left.emplace_back(g.group, why);
        continue;
      }
      pending.push_back(g);
    }
    p->cur.resolver.reset(std::move(pending));
    p->produced_next = p->cur.next;
    p->committed = p->cur;
    if (p->cur.done && !p->cur.resolver.has_pending()) continue;  // finished earlier
    if (p->cur.done || p->record->start >= p->record->end) {
      p->cur.done = false;  // completes (and places its groups) in the first transaction
      p->committed.done = false;
      mark_done(*p);
    }
  }
  return copy_loop();
}

int Copier::dry_run() {
  if (!load_progress(false)) return kExitRuntime;
  // Only partitions the target has: a topic --create-topics would create is not there
  // yet, and asking for it would wait out the deadline.
  std::map<std::string, int32_t> target_counts;
  std::string err;
  if (!fetch_partition_counts(*target_admin_, common_.timeout_ms, &target_counts, &err))
    return log::error(err), kExitRuntime;
  std::vector<TopicPartition> tps;
  for (const auto& [tp, p] : partitions_) {
    auto count = target_counts.find(tp.topic);
    if (count != target_counts.end() && tp.partition < count->second) tps.push_back(tp);
  }
  std::map<TopicPartition, int64_t> ends;
  if (!query_offsets(*target_admin_, tps, RD_KAFKA_OFFSET_END, common_.timeout_ms, &ends, &err))
    log::warn(err);  // a topic --create-topics would create is not there yet
  std::set<size_t> bad;
  for (const auto& i : invalid_) bad.insert(i.index);
  bool later_groups = false;
  for (size_t i = 0; i < records_.size(); ++i) {
    Record r = records_[i];
    r.type = "copy";
    if (bad.count(i)) {
      fail_invalid(i, &r);
      emit_record(std::move(r));
      continue;
    }
    if (!r.to_copy()) {
      r.status = "skipped";
      ++totals_.skipped;
      emit_record(std::move(r));
      continue;
    }
    TopicPartition tp{r.topic, r.partition};
    r.status = "dry-run";
    auto prog = progress_.find(tp);
    if (prog != progress_.end()) {
      ProgressMeta meta;
      if (decode_progress(prog->second.metadata, &meta, &err))
        log::info(cat(r.where(), ": would resume at ", prog->second.offset, " (", meta.copied,
                      " already copied", meta.done ? ", complete" : "", ")"));
    } else if (ends.count(tp)) {
      r.target_start = ends[tp];
      for (const auto& g : r.groups) {
        if (!o_.group_offsets) break;
        if (g.offset <= r.start) r.target_groups.push_back({g.group, ends[tp]});
        else later_groups = true;
      }
      for (const auto& g : o_.group_offsets ? r.groups_without_commit
                                            : std::vector<std::string>{})
        r.target_groups.push_back({g, ends[tp]});
    }
    totals_.estimate += r.end - r.start;
    ++totals_.copied_partitions;
    emit_record(std::move(r));
  }
  if (later_groups)
    log::info("offsets of groups that had read into their range are computed during copy");
  reporter_.summary(totals_, true);
  return totals_.failed || any_failed_ ? kExitFailed : kExitOk;
}

// ------------------------------------------------------------------ the loop

Partition* Copier::lookup(rd_kafka_topic_t* rkt, int32_t partition) {
  if (rkt == last_rkt_ && partition == last_partition_) return last_lookup_;
  auto it = partitions_.find({rd_kafka_topic_name(rkt), partition});
  last_rkt_ = rkt;
  last_partition_ = partition;
  last_lookup_ = it == partitions_.end() ? nullptr : it->second.get();
  return last_lookup_;
}

void Copier::assign_pending() {
  PartitionList list(rd_kafka_topic_partition_list_new(int(partitions_.size())));
  for (auto& [tp, p] : partitions_) {
    if (p->failed || p->cur.done) continue;
    rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset =
        p->cur.next;
    p->last_event = Clock::now();
    p->eof_offset = -1;
  }
  // A new assignment replaces the old one and discards what was fetched for it, so
  // nothing read before a rewind can arrive afterwards.
  rd_kafka_assign(consumer_->get(), nullptr);
  if (list->cnt > 0) {
    if (rd_kafka_resp_err_t e = rd_kafka_assign(consumer_->get(), list.get()))
      log::error(cat("assigning source partitions: ", rd_kafka_err2str(e)));
    rd_kafka_resume_partitions(consumer_->get(), list.get());
  }
}

void Copier::mark_done(Partition& p) {
  if (p.cur.done) return;
  p.cur.done = true;
  p.touched = true;
  PartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), p.tp.topic.c_str(), p.tp.partition);
  rd_kafka_pause_partitions(consumer_->get(), list.get());
}

void Copier::fail_partition(Partition& p, const std::string& error) {
  if (p.failed) return;
  p.failed = true;
  p.touched = true;
  p.error = error;
  log::error(cat(p.record->location(), ": ", error));
  PartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), p.tp.topic.c_str(), p.tp.partition);
  rd_kafka_pause_partitions(consumer_->get(), list.get());
}

void Copier::handle(rd_kafka_message_t* m) {
  if (!m->rkt) {  // a client-level error: librdkafka keeps retrying on its own
    if (m->err) log::debug(cat("source: ", rd_kafka_message_errstr(m)));
    return;
  }
  Partition* p = lookup(m->rkt, m->partition);
  if (!p || p->failed || p->cur.done || need_abort_) return;
  p->last_event = batch_read_at_;
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    p->eof_offset = m->offset;
    if (m->offset >= p->record->end) mark_done(*p);
    return;
  }
  if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
      m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
    fail_partition(*p, cat("source offset ", p->produced_next,
                           " is gone (expired during the copy?): ", rd_kafka_message_errstr(m)));
    return;
  }
  if (m->err) {
    log::warn(cat(p->record->where(), ": source: ", rd_kafka_message_errstr(m)));
    return;
  }
  if (m->offset < p->produced_next) return;  // already produced in this transaction
  if (m->offset >= p->record->end) {
    if (!p->beyond_warned)
      log::warn(cat(p->record->where(), ": the source holds messages beyond the planned end ",
                    p->record->end, "; they are not copied"));
    p->beyond_warned = true;
    mark_done(*p);
    return;
  }
  produce(*p, m);
  if (m->offset >= p->record->end - 1) mark_done(*p);
}

void Copier::produce(Partition& p, rd_kafka_message_t* m) {
  if (!p.rkt) {
    auto& rkt = topic_handles_[p.tp.topic];
    if (!rkt) rkt = rd_kafka_topic_new(producer_->get(), p.tp.topic.c_str(), nullptr);
    p.rkt = rkt;
  }
  if (!p.retention_checked) {
    p.retention_checked = true;
    rd_kafka_timestamp_type_t type;
    int64_t ts = rd_kafka_message_timestamp(m, &type);
    auto& configs = target_configs_[p.tp.topic];
    auto retention = configs.find("retention.ms");
    if (retention != configs.end() && retention_hazard(retention->second, ts, now_ms()) &&
        retention_warned_.insert(p.tp.topic).second)
      log::warn(cat("topic ", p.tp.topic, ": target retention.ms ", retention->second,
                    " is shorter than the age of the messages copied; the target may delete "
                    "them at once"));
  }
  rd_kafka_timestamp_type_t ts_type;
  int64_t timestamp = rd_kafka_message_timestamp(m, &ts_type);
  rd_kafka_headers_t* headers = nullptr;
  rd_kafka_headers_t* source_headers = nullptr;
  if (rd_kafka_message_headers(m, &source_headers) == RD_KAFKA_RESP_ERR_NO_ERROR)
    headers = rd_kafka_headers_copy(source_headers);
  // Set at the first full queue only: reading the clock per message showed in profiles.
  std::optional<Clock::time_point> deadline;
  for (;;) {
    // F_COPY: the one copy of the payload, straight from the fetched buffer.
    rd_kafka_resp_err_t e = rd_kafka_producev(
        producer_->get(), RD_KAFKA_V_RKT(p.rkt), RD_KAFKA_V_PARTITION(p.tp.partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_VALUE(m->payload, m->len),
        RD_KAFKA_V_KEY(m->key, m->key_len),
        RD_KAFKA_V_TIMESTAMP(timestamp >= 0 ? timestamp : 0), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(&p), RD_KAFKA_V_END);
    if (!e) break;
    if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL && !deadline)
      deadline = Clock::now() + std::chrono::milliseconds(common_.timeout_ms);
    if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL && Clock::now() < *deadline) {
      // Short batches leave now, as the Java producer sends everything once its buffer is
      // exhausted; librdkafka would hold them for linger.ms. Deliveries make room.
      rd_kafka_flush(producer_->get(), 10);
      continue;
    }
    if (headers) rd_kafka_headers_destroy(headers);
    need_abort_ = true;
    target_silent_ = e == RD_KAFKA_RESP_ERR__QUEUE_FULL;
    abort_reason_ = cat(p.record->where(), ": producing failed: ", rd_kafka_err2str(e));
    if (target_silent_)
      abort_reason_ = producer_->failure(cat(abort_reason_, " for ", common_.timeout_ms, " ms"));
    return;
  }
  p.in_flight.push_back(m->offset);
  p.in_flight_bytes += int64_t(m->len + m->key_len);
  p.produced_next = m->offset + 1;
  p.touched = true;
  ++txn_messages_;
  txn_bytes_ += int64_t(m->len + m->key_len);
}

void Copier::on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void*) {
  static_cast<Copier*>(client_of(rk)->user)->delivered(m);
}

// Delivery reports are the only proof a message landed; they give its target offset.
void Copier::delivered(const rd_kafka_message_t* m) {
  if (discarding_) return;  // reports of an aborted transaction's messages
  auto* p = static_cast<Partition*>(m->_private);
  if (!p || p->in_flight.empty()) return;
  int64_t source_offset = p->in_flight.front();
  p->in_flight.pop_front();
  p->in_flight_bytes -= int64_t(m->len + m->key_len);
  if (m->err) {
    if (!need_abort_)
      abort_reason_ = cat(p->record->where(), ": delivery failed: ", rd_kafka_err2str(m->err));
    need_abort_ = true;
    return;
  }
  Snapshot& s = p->cur;
  if (s.copied == 0) s.target_start = m->offset;
  ++s.copied;
  s.bytes += int64_t(m->len + m->key_len);
  s.target_end = m->offset + 1;
  s.next = source_offset + 1;
  size_t before = s.placed.size();
  s.resolver.on_message(source_offset, m->offset, &s.placed);
  p->to_commit.insert(p->to_commit.end(), s.placed.begin() + long(before), s.placed.end());
}

void Copier::check_stalls() {
  auto now = Clock::now();
  for (auto& [tp, p] : partitions_) {
    if (p->failed || p->cur.done || now - p->last_event < std::chrono::milliseconds(common_.timeout_ms))
      continue;
    if (p->eof_offset >= 0) {
      fail_partition(*p, cat("the source ends at offset ", p->eof_offset,
                             ", before the planned end ", p->record->end));
    } else {
      fatal_ = consumer_->failure(cat(p->record->where(), ": nothing read within ",
                                      common_.timeout_ms, " ms"));
    }
  }
}

bool Copier::txn_due() const {
  return txn_messages_ >= o_.txn_messages || txn_bytes_ >= o_.txn_bytes ||
         Clock::now() - txn_started_ >= std::chrono::milliseconds(o_.txn_ms);
}

bool Copier::backlogged() const {
  for (const auto& [tp, p] : partitions_)
    if (p->in_flight_bytes > 2 * batch_bytes_ || int64_t(p->in_flight.size()) > 2 * batch_messages_)
      return true;
  return false;
}

bool Copier::dirty() const {
  for (const auto& [tp, p] : partitions_)
    if (p->touched) return true;
  return false;
}

bool Copier::begin() {
  rd_kafka_error_t* e = rd_kafka_begin_transaction(producer_->get());
  txn_messages_ = txn_bytes_ = 0;
  txn_started_ = Clock::now();
  if (!e) return true;
  fatal_ = producer_->failure(cat("beginning a transaction: ", rd_kafka_error_string(e)));
  rd_kafka_error_destroy(e);
  return false;
}

Step Copier::classify(rd_kafka_error_t* e, const std::string& what) {
  if (!e) return Step::kOk;
  std::string text = cat(what, ": ", rd_kafka_error_string(e));
  bool fatal = rd_kafka_error_is_fatal(e);
  rd_kafka_error_destroy(e);
  if (!fatal) {
    abort_reason_ = text;
    return Step::kAbort;
  }
  char reason[512] = "";
  rd_kafka_resp_err_t code = rd_kafka_fatal_error(producer_->get(), reason, sizeof reason);
  bool fenced = code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED || code == RD_KAFKA_RESP_ERR__FENCED ||
                code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
  fatal_ = fenced ? cat("fenced: another ck-copy with transactional id ", transactional_id(o_),
                        " (job ", o_.job, ") took over; this one stops (", text, ")")
                  : producer_->failure(text);
  return Step::kFatal;
}

Step Copier::send_offsets(const std::string& group,
                          const std::vector<std::pair<Partition*, CommittedOffset>>& offsets) {
  PartitionList list(rd_kafka_topic_partition_list_new(int(offsets.size())));
  for (const auto& [p, c] : offsets) {
    auto* e = rd_kafka_topic_partition_list_add(list.get(), c.tp.topic.c_str(), c.tp.partition);
    e->offset = c.offset;
    e->metadata = malloc(c.metadata.size());
    std::copy(c.metadata.begin(), c.metadata.end(), static_cast<char*>(e->metadata));
    e->metadata_size = c.metadata.size();
  }
  GroupMetadataPtr own;
  rd_kafka_consumer_group_metadata_t* metadata = progress_group_.get();
  if (group != progress_group(o_)) {
    own.reset(rd_kafka_consumer_group_metadata_new(group.c_str()));
    metadata = own.get();
  }
  return finish_txn_call(cat("committing offsets of group ", group), [&](int left_ms) {
    return rd_kafka_send_offsets_to_transaction(producer_->get(), list.get(), metadata, left_ms);
  });
}

// Calls a transactional API until it succeeds, resuming it while it times out (librdkafka
// carries on in the background) until --timeout has passed. A call still pending then
// cannot be aborted (librdkafka refuses any other transactional call meanwhile): the run
// stops, and the next run learns from the target whether that transaction landed.
Step Copier::finish_txn_call(const std::string& what,
                             const std::function<rd_kafka_error_t*(int)>& call) {
  auto deadline =
      commit_deadline_.value_or(Clock::now() + std::chrono::milliseconds(common_.timeout_ms));
  for (;;) {
    int left_ms = int(std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - Clock::now()).count());
    rd_kafka_error_t* e = call(std::max(left_ms, 100));
    if (!e || rd_kafka_error_is_fatal(e) || rd_kafka_error_txn_requires_abort(e) ||
        !rd_kafka_error_is_retriable(e))
      return classify(e, what);
    if (Clock::now() < deadline) {
      rd_kafka_error_destroy(e);
      // A retriable error that came back at once (coordinator moving or loading) is
      // asked again after a pause, not in a busy loop.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    fatal_ = producer_->failure(cat(what, ": no answer within ", common_.timeout_ms, " ms (",
                                    rd_kafka_error_string(e),
                                    "); run the same command again to resume"));
    rd_kafka_error_destroy(e);
    return Step::kFatal;
  }
}

Step Copier::commit() {
  // Every delivery report first: they are the proof, and they give the target offsets.
  auto deadline = Clock::now() + std::chrono::milliseconds(common_.timeout_ms);
  commit_deadline_ = deadline;
  struct Clear {
    std::optional<Clock::time_point>* d;
    ~Clear() { d->reset(); }
  } clear{&commit_deadline_};
  // Full batches first, without flushing: a flush makes every queued batch overdue, and
  // librdkafka's broker thread polls without sleeping until the last is sent (see
  // init_producer). Flush once no partition holds more than two batches.
  while (!need_abort_ && backlogged() && Clock::now() < deadline)
    rd_kafka_poll(producer_->get(), 10);
  while (rd_kafka_outq_len(producer_->get()) > 0 && Clock::now() < deadline)
    rd_kafka_flush(producer_->get(), 100);
  if (rd_kafka_outq_len(producer_->get()) > 0 && !need_abort_) {
    need_abort_ = true;
    target_silent_ = true;
    abort_reason_ = producer_->failure(cat("deliveries unconfirmed after ", common_.timeout_ms,
                                           " ms"));
  }
  if (need_abort_) return Step::kAbort;

  std::vector<std::pair<Partition*, CommittedOffset>> progress;
  std::map<std::string, std::vector<std::pair<Partition*, CommittedOffset>>> groups;
  std::string marker = group_marker(o_);
  for (auto& [tp, p] : partitions_) {
    if (!p->touched) continue;
    Snapshot& s = p->cur;
    if (s.done && !p->committed.done) {
      int64_t end = s.copied > 0 ? s.target_end : p->target_base;
      size_t before = s.placed.size();
      s.resolver.on_complete(end, &s.placed);
      p->to_commit.insert(p->to_commit.end(), s.placed.begin() + long(before), s.placed.end());
    }
    ProgressMeta meta{p->record->start, p->record->end, s.target_start, s.target_end, s.copied,
                      s.done};
    int64_t offset = s.done ? std::max(s.next, p->record->end) : s.next;
    progress.push_back({p.get(), {tp, offset, encode_progress(meta)}});
    for (const auto& g : p->to_commit) groups[g.group].push_back({p.get(), {tp, g.offset, marker}});
  }
  if (progress.empty()) return Step::kOk;
  Step step = send_offsets(progress_group(o_), progress);
  for (auto it = groups.begin(); step == Step::kOk && it != groups.end(); ++it)
    step = send_offsets(it->first, it->second);
  if (step != Step::kOk) return step;
  step = finish_txn_call("committing the transaction", [&](int left_ms) {
    return rd_kafka_commit_transaction(producer_->get(), left_ms);
  });
  if (step != Step::kOk) return step;

  ++totals_.commits;
  consecutive_aborts_ = 0;
  for (auto& [tp, p] : partitions_) {
    if (!p->touched) continue;
    totals_.messages += p->cur.copied - p->committed.copied;
    totals_.bytes += p->cur.bytes - p->committed.bytes;
    p->committed = p->cur;
    p->to_commit.clear();
    p->touched = false;
    p->claimed = true;
    if (p->failed) emit(*p, "failed");
    else if (p->committed.done) emit(*p, "copied");
  }
  return Step::kOk;
}

Step Copier::abort_and_rewind(const std::string& why) {
  ++totals_.aborts;
  ++consecutive_aborts_;
  if (target_silent_) {
    fatal_ = cat(why, "; run the same command again to resume");
    return Step::kFatal;
  }
  log::warn(cat("transaction aborted, retrying from the last commit: ", why));
  // All abort attempts share one deadline: a broker that stays away is reported after
  // --timeout, not after several timeouts in a row.
  auto abort_deadline = Clock::now() + std::chrono::milliseconds(common_.timeout_ms);
  for (int attempt = 0;; ++attempt) {
    int left_ms = int(std::chrono::duration_cast<std::chrono::milliseconds>(
                          abort_deadline - Clock::now()).count());
    rd_kafka_error_t* e = rd_kafka_abort_transaction(producer_->get(), std::max(left_ms, 100));
    if (!e) break;
    if (rd_kafka_error_is_retriable(e) && !rd_kafka_error_is_fatal(e) && attempt < 3 &&
        Clock::now() < abort_deadline) {
      rd_kafka_error_destroy(e);
      continue;
    }
    classify(e, "aborting the transaction");
    if (fatal_.empty()) fatal_ = producer_->failure(abort_reason_);
    return Step::kFatal;
  }
  // Reports of purged messages carry no news: drop them before rolling back.
  discarding_ = true;
  auto deadline = Clock::now() + std::chrono::milliseconds(common_.timeout_ms);
  while (rd_kafka_outq_len(producer_->get()) > 0 && Clock::now() < deadline)
    rd_kafka_poll(producer_->get(), 50);
  rd_kafka_poll(producer_->get(), 0);
  discarding_ = false;
  for (auto& [tp, p] : partitions_) {
    if (p->reported) continue;
    p->cur = p->committed;
    p->in_flight.clear();
    p->in_flight_bytes = 0;
    p->to_commit.clear();
    p->produced_next = p->cur.next;
    // A source failure seen meanwhile stays, and a claim not yet committed is retried:
    // both go with the next transaction.
    p->touched = p->failed || !p->claimed;
  }
  need_abort_ = false;
  abort_reason_.clear();
  if (consecutive_aborts_ > o_.max_retries) {
    fatal_ = cat("giving up after ", consecutive_aborts_, " aborted transactions in a row: ", why);
    return Step::kFatal;
  }
  assign_pending();
  return begin() ? Step::kOk : Step::kFatal;
}

// Commits the open transaction (aborting and rewinding when it cannot) and opens the next.
Step Copier::commit_and_continue() {
  Step step = commit();
  if (step == Step::kOk) return begin() ? Step::kOk : Step::kFatal;
  if (step == Step::kAbort) return abort_and_rewind(abort_reason_);
  return step;
}

bool Copier::all_reported() const {
  for (const auto& [tp, p] : partitions_)
    if (!p->reported) return false;
  return true;
}

// The result of record i, refused by validation: failed, with its error.
void Copier::fail_invalid(size_t i, Record* r) {
  r->status = "failed";
  for (const auto& inv : invalid_)
    if (inv.index == i) r->error = inv.error;
  ++totals_.failed;
}

int Copier::copy_loop() {
  std::set<size_t> bad;
  for (const auto& inv : invalid_) bad.insert(inv.index);
  for (size_t i = 0; i < records_.size(); ++i) {
    Record r = records_[i];
    if (!bad.count(i) && r.to_copy()) continue;
    r.type = "copy";
    if (bad.count(i)) {
      fail_invalid(i, &r);
      any_failed_ = true;
    } else {
      r.status = "skipped";
      r.copied = 0;
      ++totals_.skipped;
    }
    emit_record(std::move(r));
  }
  for (auto& [tp, p] : partitions_) {
    if (p->failed) emit(*p, "failed");
    else if (p->committed.done) emit(*p, "copied");
    else if (!p->cur.done) totals_.estimate += std::max<int64_t>(0, p->record->end - p->cur.next);
  }
  if (!begin()) return finish(kExitRuntime);
  if (dirty() && commit_and_continue() == Step::kFatal) return finish(kExitRuntime);
  assign_pending();
  timeline("reading");
  std::vector<TopicPartition> reading;
  for (const auto& [tp, p] : partitions_)
    if (!p->failed) reading.push_back(tp);
  auto waker = std::make_unique<FetchWaker>(*consumer_, reading);
  bool waking = true;
  rd_kafka_queue_t* queue = rd_kafka_queue_get_consumer(consumer_->get());
  constexpr size_t kBatch = 1000;
  rd_kafka_message_t* batch[kBatch];
  while (fatal_.empty() && !signals::stop_requested() && !all_reported()) {
    ssize_t n = consume_ready(queue, 100, batch, kBatch);
    batch_read_at_ = Clock::now();  // one clock read per batch, not per message
    if (n > 0 && !first_data_seen_) first_data_seen_ = true, timeline("first messages read");
    Step step = Step::kOk;
    for (ssize_t i = 0; i < n; ++i) {
      if (step == Step::kOk) handle(batch[i]);
      rd_kafka_message_destroy(batch[i]);
      // A rewind after an abort re-reads from the last commit: the rest of this
      // batch is dropped (handle() would skip it anyway).
      if (step == Step::kOk && !need_abort_ &&
          (txn_messages_ >= o_.txn_messages || txn_bytes_ >= o_.txn_bytes))
        step = commit_and_continue();
    }
    if (step == Step::kFatal) break;
    rd_kafka_poll(producer_->get(), 0);
    if (need_abort_) {
      if (abort_and_rewind(abort_reason_) == Step::kFatal) break;
      continue;
    }
    bool all_settled = true;
    for (const auto& [tp, p] : partitions_)
      if (!p->reported && !p->cur.done && !p->failed) all_settled = false;
    // Nothing left to read: no more wake-ups, so that the waker's last question is
    // answered while the last transaction commits rather than after it. A rewind (an
    // aborted transaction, the last one included) has partitions read again: wake again.
    if (all_settled && waking) waker->stop(), waking = false;
    else if (!all_settled && !waking)
      waker = std::make_unique<FetchWaker>(*consumer_, reading), waking = true;
    if (dirty() && (txn_due() || all_settled) && commit_and_continue() == Step::kFatal) break;
    check_stalls();
    reporter_.update(totals_);
  }
  rd_kafka_queue_destroy(queue);
  waker.reset();
  timeline("copy loop ended");
  return finish(kExitOk);
}

int Copier::finish(int code) {
  if (!fatal_.empty()) {
    reporter_.clear();
    log::error(fatal_);
    // The run gave up, not the partitions: what was committed stays, and the same command
    // continues from there, so the unfinished ones are "interrupted", not "failed".
    std::string resume = "run the same command again";
    for (auto& [tp, p] : partitions_) {
      if (p->reported) continue;
      p->error = fatal_.find(resume) == std::string::npos ? cat(fatal_, "; ", resume, " to resume")
                                                          : fatal_;
      emit(*p, "interrupted");
    }
    reporter_.summary(totals_, false);
    return kExitRuntime;
  }
  if (signals::stop_requested()) {
    // Finish the open transaction cleanly: what was delivered is kept.
    if (producer_ && dirty()) {
      Step step = commit();
      if (step == Step::kAbort) {
        rd_kafka_error_t* e = rd_kafka_abort_transaction(producer_->get(), common_.timeout_ms);
        if (e) rd_kafka_error_destroy(e);
      }
    }
    for (auto& [tp, p] : partitions_) emit(*p, "stopped");
    reporter_.summary(totals_, false);
    return kExitSignalBase + signals::stop_signal();
  }
  reporter_.summary(totals_, false);
  if (code != kExitOk) return code;
  return any_failed_ ? kExitFailed : kExitOk;
}

}  // namespace

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
