// ck-copy's setup: the connections, the checks made before anything is written (records
// against the source, target topics against the source's), topic creation, the
// transactional producer, and what the target holds of this job (progress, groups).
#include <algorithm>
#include <chrono>
#include <thread>

#include "config.hpp"
#include "copier_engine.hpp"
#include "exit_codes.hpp"
#include "group_observe.hpp"
#include "log.hpp"
#include "parallel.hpp"
#include "retry.hpp"
#include "signals.hpp"
#include "topic_batches.hpp"
#include "strings.hpp"

namespace ck::copy {

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
  reader_ = std::make_unique<PartitionReader>(*consumer_);
  // Target queries (metadata, offsets, groups) go through a handle of their own, so a
  // dry run never creates the transactional producer. It may read committed offsets
  // (the progress, the groups) on its own connection.
  Settings admin_forced = offset_reader_settings();
  admin_forced.push_back({"isolation.level", "read_uncommitted"});
  target_admin_ =
      KafkaClient::create(common_.target, RD_KAFKA_CONSUMER, {}, admin_forced, &err);
  if (!target_admin_) return log::error(err), false;
  // The producer connects while the checks run: its bootstrap (ApiVersion, Metadata) is
  // two round trips to the target that init_transactions no longer waits for. Nothing is
  // fenced or written before init_producer().
  if (!o_.dry_run && !create_producer()) return false;
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
  if (o_.follow) follow_empty_ranges(&records_);
  if (!connect()) return kExitRuntime;
  timeline("connected");
  if (!gather_source_facts(&source_)) return kExitRuntime;
  timeline("source offsets and configs read");
  invalid_ = check_records(records_, source_);
  for (const auto& inv : invalid_) invalid_index_.insert(inv.index);
  int code = check_and_prepare_target();
  timeline("target checked");
  return code;
}

int Copier::check_and_prepare_target() {
  std::string err;
  std::map<std::string, int32_t> target_counts, wanted;
  if (!fetch_partition_counts(*target_admin_, common_.timeout_ms, &target_counts, &err))
    return log::error(err), kExitRuntime;
  const std::set<size_t>& bad = invalid_index_;
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
  for (const auto& inv : invalid_) invalid_index_.insert(inv.index);
  for (const auto& inv : invalid_) log::error(inv.error);
  if (!invalid_.empty() && !o_.skip_invalid) {
    log::error(cat(invalid_.size(), " invalid record(s); nothing copied"));
    return kExitFailed;
  }
  return create_missing_topics(verdict.to_create) ? -1 : kExitRuntime;
}

bool Copier::create_missing_topics(const std::vector<NewTopic>& topics) {
  if (topics.empty()) return true;
  std::string err;
  if (o_.dry_run) {
    for (const auto& t : topics)
      log::info(cat("would create topic ", t.topic, " ", new_topic_text(t)));
    return true;
  }
  int64_t total = 0, ready = 0;
  for (const auto& t : topics) total += std::max(t.partitions, int32_t{1});
  // A batch at a time, each served before the next is asked for (kRecordsPerServedCreate).
  for (const auto& batch : batch_new_topics(topics, kRecordsPerServedCreate)) {
    std::vector<NewTopic> created;
    for (size_t i : batch) created.push_back(topics[i]);
    if (!create_topics(*target_admin_, created, common_.timeout_ms, true, &err))
      return log::error(err), false;
    for (const auto& t : created) {
      log::info(cat("created topic ", t.topic, " ", new_topic_text(t)));
      target_configs_[t.topic] = t.configs;
    }
    if (!wait_for_created(created, ready, total)) return false;
    for (const auto& t : created) ready += std::max(t.partitions, int32_t{1});
  }
  timeline("created topics ready");
  return true;
}

// Until the target serves every created partition (CreatedPartitions), ListOffsets and
// init_transactions would wait behind the broker's work. The wait lasts as long as
// partitions keep becoming ready, and ends with an error after --timeout without one.
// `ready_before` of `total` partitions of earlier batches are ready (for the progress line).
bool Copier::wait_for_created(const std::vector<NewTopic>& created, int64_t ready_before,
                              int64_t total) {
  auto patience = std::chrono::milliseconds(common_.timeout_ms);
  StallWatch silence;
  CreatedPartitions partitions(created);
  auto reported = Clock::now();
  std::string err;
  while (!partitions.all_ready()) {
    std::map<TopicPartition, int64_t> offsets;
    std::map<std::string, int32_t> counts;
    err.clear();
    // A metadata request of our own refreshes librdkafka's cache, which otherwise keeps
    // answering "Unknown partition" for a topic it first saw without partitions. Then a
    // short wait per slice: the others are asked meanwhile.
    if (fetch_partition_counts(*target_admin_, common_.timeout_ms, &counts, &err))
      query_offsets(*target_admin_, partitions.next_slice(kOffsetsPerRequest),
                    RD_KAFKA_OFFSET_END, 1000, &offsets, &err);
    partitions.answered(offsets);
    silence.observe(partitions.ready(), Clock::now());
    if (partitions.all_ready()) break;
    if (silence.stalled(Clock::now(), patience) || signals::stop_requested())
      return log::error(cat("waiting for the created topics: none more ready within ",
                            patience.count(), " ms (", ready_before + partitions.ready(),
                            " of ", plural(total, "partition"), "); ",
                            partitions.first_waiting(), ": ", err)),
             false;
    if (Clock::now() - reported >= std::chrono::seconds(2)) {
      log::info(cat("waiting for the created topics: ", ready_before + partitions.ready(),
                    " of ", plural(total, "partition"), " ready"));
      reported = Clock::now();
    }
    if (offsets.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return true;
}

bool Copier::create_producer() {
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
  return true;
}

// The producer's topic handles, made as soon as the partitions are known: librdkafka
// asks for a new handle's metadata at once, rather than at the first message, a round
// trip later.
void Copier::open_topic_handles() {
  if (!producer_) return;
  for (auto& [tp, p] : partitions_) {
    auto& rkt = topic_handles_[tp.topic];
    if (!rkt) rkt.reset(rd_kafka_topic_new(producer_->get(), tp.topic.c_str(), nullptr));
    p->rkt = rkt.get();
  }
}

bool Copier::init_producer() {
  std::string err;
  txn_ = std::make_unique<Transaction>(*producer_, transactional_id(o_), o_.job,
                                       common_.timeout_ms);
  if (!txn_->init(&err)) return log::error(err), false;
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
  for (const auto& r : records_)
    if (skipped_but_ours(r)) asked[group].push_back({r.topic, r.partition});
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
  std::string err;
  if (!observe_group_activity(*target_admin_, groups, common_.timeout_ms, &target_activity_,
                              &err) ||
      !list_group_partition_offsets(*target_admin_, asked, common_.timeout_ms,
                                    kGroupOffsetRequestsInFlight, true,
                                    &target_group_offsets_, &err))
    return log::error(err), false;
  return true;
}

// The job's progress and where the target's partitions begin and end, asked at once.
// Only after init_transactions, which fences an older run of the job and aborts what it
// left open: read before, both could miss that run's last commit.
bool Copier::read_job_state(std::map<TopicPartition, int64_t>* starts,
                            std::map<TopicPartition, int64_t>* ends) {
  std::vector<TopicPartition> tps;
  for (const auto& [tp, p] : partitions_) tps.push_back(tp);
  return run_parallel(2, 2, [&](size_t i) {
    return i == 0 ? load_progress(true) : read_target_offsets(tps, starts, ends);
  });
}

// Target offsets where each of tps begins and ends now, both asked at once (a round trip
// each). A topic created a moment ago may not be known to its leader yet: asked again
// until --timeout.
bool Copier::read_target_offsets(const std::vector<TopicPartition>& tps,
                                 std::map<TopicPartition, int64_t>* starts,
                                 std::map<TopicPartition, int64_t>* ends) {
  std::string errs[2];
  auto deadline = Clock::now() + std::chrono::milliseconds(common_.timeout_ms);
  bool ok = run_parallel(2, 2, [&](size_t i) {
    return retry_until_deadline(deadline, std::chrono::milliseconds(200), [&](int) {
      errs[i].clear();
      int64_t which = i == 0 ? RD_KAFKA_OFFSET_BEGINNING : RD_KAFKA_OFFSET_END;
      return query_offsets(*target_admin_, tps, which, common_.timeout_ms,
                           i == 0 ? starts : ends, &errs[i]);
    });
  });
  if (!ok) log::error(errs[0].empty() ? errs[1] : errs[0]);
  return ok;
}

// Builds the per-partition state from the records, the progress and the target.
void Copier::prepare_partitions() {
  const std::set<size_t>& bad = invalid_index_;
  for (size_t i = 0; i < records_.size(); ++i)
    if (records_[i].to_copy() && !bad.count(i)) add_partition(records_[i]);
}

void Copier::add_partition(Record& r) {
  auto p = std::make_unique<Partition>();
  p->record = &r;
  p->tp = {r.topic, r.partition};
  p->cur.next = r.start;
  index_.add(p->tp, p.get());
  partitions_[p->tp] = std::move(p);
}

// A record the newer plan skips because its groups read everything ("all consumed") of a
// partition the job copied before: the job still grows to its end, and its groups are
// placed there, or they would stay where an earlier run placed them.
bool Copier::skipped_but_ours(const Record& r) const {
  return !r.to_copy() && r.reason == "all consumed" && r.start >= 0 && r.end >= r.start;
}

void Copier::join_skipped_partitions() {
  for (size_t i = 0; i < records_.size(); ++i) {
    Record& r = records_[i];
    if (!skipped_but_ours(r) || invalid_index_.count(i) ||
        !progress_.count({r.topic, r.partition}))
      continue;
    r.action = "copy";
    r.reason.clear();
    add_partition(r);
  }
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
  bool later_groups = false;
  for (size_t i = 0; i < records_.size(); ++i) {
    Record r = records_[i];
    r.type = "copy";
    if (invalid_index_.count(i)) {
      fail_invalid(i, &r);
    } else if (!r.to_copy()) {
      r.copy.status = "skipped";
      ++totals_.skipped;
    } else {
      dry_run_record(r, ends, &later_groups);
    }
    emit_record(std::move(r));
  }
  if (later_groups)
    log::info("offsets of groups that had read into their range are computed during copy");
  reporter_.summary(totals_, true);
  return totals_.failed || any_failed_ ? kExitFailed : kExitOk;
}

// What a dry run says of one record to copy: where it would resume or start, and where
// its groups would land when that is known without copying.
void Copier::dry_run_record(Record& r, const std::map<TopicPartition, int64_t>& ends,
                            bool* later_groups) {
  TopicPartition tp{r.topic, r.partition};
  r.copy.status = "dry-run";
  auto prog = progress_.find(tp);
  auto end = ends.find(tp);
  if (prog != progress_.end()) {
    ProgressMeta meta;
    std::string err;
    if (decode_progress(prog->second.metadata, &meta, &err))
      log::info(cat(r.where(), ": would resume at ", prog->second.offset, " (", meta.copied,
                    " already copied", meta.done ? ", complete" : "", ")"));
  } else if (end != ends.end()) {
    r.copy.target_start = end->second;
    for (const auto& g : r.groups) {
      if (!o_.group_offsets) break;
      if (g.offset <= r.start) r.copy.target_groups.push_back({g.group, end->second});
      else *later_groups = true;
    }
    for (const auto& g : o_.group_offsets ? r.groups_without_commit
                                          : std::vector<std::string>{})
      r.copy.target_groups.push_back({g, end->second});
  }
  totals_.estimate += r.end - r.start;
  ++totals_.copied_partitions;
}

}  // namespace ck::copy
