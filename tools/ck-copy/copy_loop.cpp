// The copy loop: one read_committed reader feeding one transactional producer, delivery
// reports as the proof of each copied message, each partition's progress committed in
// the target inside the same transaction as its messages, and a rewind to the last
// commit when a transaction aborts.
#include <algorithm>
#include <chrono>
#include <limits>

#include "copier_engine.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace ck::copy {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int Copier::copy_loop() {
  emit_unread_records();
  // The source's first fetches run while the first transaction claims the partitions
  // (round trips to the target: 0.2 s at 50 ms); an abort of the claim assigns again.
  assign_pending();
  std::vector<TopicPartition> reading;
  for (const auto& [tp, p] : partitions_)
    if (p->reading()) reading.push_back(tp);
  reader_->wake(reading);
  if (!begin()) return finish(kExitRuntime);
  bool rewound = false;
  if (dirty() && commit_and_continue(&rewound) == TxnResult::kFatal) return finish(kExitRuntime);
  timeline("reading");
  constexpr size_t kBatch = 1000;
  rd_kafka_message_t* batch[kBatch];
  while (!stopping() && !signals::stop_requested() && !all_reported()) {
    if (!throttled() && !read_batch(batch, kBatch)) break;
    rd_kafka_poll(producer_->get(), 0);
    observe_target();
    if (need_abort_) {
      if (abort_and_rewind(txn_->abort_reason()) == TxnResult::kFatal) break;
      continue;
    }
    // Nothing left to read: no more wake-ups, so that the waker's last question is
    // answered while the last transaction commits rather than after it. A rewind (an
    // aborted transaction, the last one included) has partitions read again: wake again.
    // In follow mode, at the source's end: commit at once, so the lag stays small.
    bool settled = o_.follow ? all_at_end() : all_settled();
    if (settled && reader_->waking()) reader_->stop_waking();
    else if (!settled && !reader_->waking()) reader_->wake(reading);
    if (dirty() && (txn_due() || settled) &&
        commit_and_continue(&rewound) == TxnResult::kFatal)
      break;
    check_stalls();
    if (o_.follow && follow_done()) break;
    reporter_.update(totals_);
  }
  reader_.reset();
  timeline("copy loop ended");
  return finish(kExitOk);
}

// Reads one batch and hands it on; a full transaction commits in the middle of it. False
// when the run stops.
bool Copier::read_batch(rd_kafka_message_t** batch, size_t max) {
  auto asked = Clock::now();
  ssize_t n = reader_->read(batch, max, 100);
  batch_read_at_ = Clock::now();  // one clock read per batch, not per message
  // A short batch: the prefetched messages are all handled, the rest is the source's time.
  if (n < ssize_t(max)) source_clock_ += batch_read_at_ - asked;
  int64_t produced_before = produced_bytes_;
  if (n > 0 && !first_data_seen_) first_data_seen_ = true, timeline("first messages read");
  BatchStep step = for_each_until_rewind(
      size_t(std::max<ssize_t>(n, 0)), [&](size_t i) { handle(batch[i]); },
      [&](size_t) {
        if (need_abort_ || (txn_messages_ < txn_limits_.messages && txn_bytes_ < txn_limits_.bytes &&
                            txn_partitions_ < kTxnPartitions))
          return BatchStep::kGoOn;
        bool rewound = false;
        if (commit_and_continue(&rewound) == TxnResult::kFatal) return BatchStep::kStop;
        return rewound ? BatchStep::kRewound : BatchStep::kGoOn;
      },
      [&](size_t i) { rd_kafka_message_destroy(batch[i]); });
  if (throttle_.limited())
    throttle_.take(produced_bytes_ - produced_before,
                   std::chrono::duration<double>(batch_read_at_ - started_).count());
  return step != BatchStep::kStop;
}

// --max-rate: while the bytes produced are ahead of the rate, nothing is read; the
// producer is served meanwhile and the loop goes on committing on its cadence.
bool Copier::throttled() {
  if (!throttle_.limited()) return false;
  double wait = throttle_.take(0, std::chrono::duration<double>(Clock::now() - started_).count());
  if (wait <= 0) return false;
  rd_kafka_poll(producer_->get(), int(std::min(wait * 1000, 100.0)) + 1);
  return true;
}

Partition* Copier::lookup(rd_kafka_topic_t* rkt, int32_t partition) {
  return index_.find(rkt, partition);
}

void Copier::assign_pending() {
  std::vector<std::pair<TopicPartition, int64_t>> from;
  for (auto& [tp, p] : partitions_) {
    if (!p->reading()) continue;
    from.push_back({tp, p->cur.next});
    p->stall.progressed(source_clock_);
    p->eof_offset = -1;
  }
  std::string err;
  if (!reader_->assign(from, &err)) log::error(err);
}

void Copier::mark_done(Partition& p) {
  if (!p.reading()) return;
  p.cur.stage = Stage::kComplete;
  p.touched = true;
  reader_->pause(p.tp);
}

void Copier::fail_partition(Partition& p, const std::string& error) {
  if (p.failed() || p.reported()) return;
  p.cur.stage = Stage::kFailed;
  p.touched = true;
  p.error = error;
  log::error(cat(p.record->location(), ": ", error));
  reader_->pause(p.tp);
}

void Copier::handle(rd_kafka_message_t* m) {
  if (!m->rkt) {  // a client-level error: librdkafka keeps retrying on its own
    if (m->err) log::debug(cat("source: ", rd_kafka_message_errstr(m)));
    return;
  }
  Partition* p = lookup(m->rkt, m->partition);
  if (!p || !p->reading() || need_abort_) return;
  p->stall.progressed(source_clock_);
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    p->eof_offset = m->offset;
    if (!o_.follow && m->offset >= p->record->end) mark_done(*p);
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
  // Follow mode copies beyond the plan's end: the range has none.
  int64_t end = o_.follow ? std::numeric_limits<int64_t>::max() : p->record->end;
  switch (range_place(m->offset, p->produced_next, end)) {
    case RangePlace::kBefore:  // already produced in this transaction
      return;
    case RangePlace::kBeyond:
      if (!p->beyond_warned)
        log::warn(cat(p->record->where(), ": the source holds messages beyond the planned end ",
                      p->record->end, "; they are not copied"));
      p->beyond_warned = true;
      mark_done(*p);
      return;
    case RangePlace::kInside:
      produce(*p, m);
      return;
    case RangePlace::kLast:
      produce(*p, m);
      mark_done(*p);
      return;
  }
}

void Copier::produce(Partition& p, rd_kafka_message_t* m) {
  if (!p.rkt) {
    auto& rkt = topic_handles_[p.tp.topic];
    if (!rkt) rkt.reset(rd_kafka_topic_new(producer_->get(), p.tp.topic.c_str(), nullptr));
    p.rkt = rkt.get();
  }
  warn_retention(p, m);
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
    if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL && Clock::now() < txn_->silence().bound(*deadline)) {
      // Short batches leave now, as the Java producer sends everything once its buffer is
      // exhausted; librdkafka would hold them for linger.ms. Deliveries make room.
      rd_kafka_flush(producer_->get(), 10);
      observe_target();
      continue;
    }
    if (headers) rd_kafka_headers_destroy(headers);
    need_abort_ = true;
    target_silent_ = e == RD_KAFKA_RESP_ERR__QUEUE_FULL;
    std::string why = cat(p.record->where(), ": producing failed: ", rd_kafka_err2str(e));
    if (target_silent_) why = producer_->failure(cat(why, " for ", common_.timeout_ms, " ms"));
    txn_->set_abort_reason(why);
    return;
  }
  if (p.txn_seq != txn_seq_) p.txn_seq = txn_seq_, ++txn_partitions_;
  p.in_flight.push_back(m->offset);
  p.in_flight_bytes += int64_t(m->len + m->key_len);
  p.produced_next = m->offset + 1;
  p.touched = true;
  ++txn_messages_;
  txn_bytes_ += int64_t(m->len + m->key_len);
  produced_bytes_ += int64_t(m->len + m->key_len);
}

// Warns once per topic when the target's retention would delete what is copied at once.
void Copier::warn_retention(Partition& p, rd_kafka_message_t* m) {
  if (p.retention_checked) return;
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

void Copier::on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void*) {
  static_cast<Copier*>(client_of(rk)->user)->delivered(m);
}

// Delivery reports are the only proof a message landed; they give its target offset.
void Copier::delivered(const rd_kafka_message_t* m) {
  if (m->err >= 0) txn_->silence().answered();  // success or a broker's error: it spoke
  if (discarding_) return;  // reports of an aborted transaction's messages
  auto* p = static_cast<Partition*>(m->_private);
  if (!p || p->in_flight.empty()) return;
  int64_t source_offset = p->in_flight.front();
  p->in_flight.pop_front();
  p->in_flight_bytes -= int64_t(m->len + m->key_len);
  if (m->err) {
    if (!need_abort_)
      txn_->set_abort_reason(cat(p->record->where(), ": delivery failed: ",
                                 rd_kafka_err2str(m->err)));
    need_abort_ = true;
    return;
  }
  Snapshot& s = p->cur;
  if (s.copied == 0) s.target_start = m->offset;
  ++s.copied;
  s.bytes += int64_t(m->len + m->key_len);
  s.target_end = m->offset + 1;
  s.next = source_offset + 1;
  p->txn_runs.add(source_offset, m->offset);
  size_t before = s.placed.size();
  s.resolver.on_message(source_offset, m->offset, &s.placed);
  for (auto g = s.placed.begin() + long(before); g != s.placed.end(); ++g) {
    p->to_commit.push_back(*g);
    txn_groups_.insert(g->group);
  }
}

void Copier::check_stalls() {
  for (auto& [tp, p] : partitions_) {
    if (!p->reading() ||
        !p->stall.stalled(source_clock_, std::chrono::milliseconds(common_.timeout_ms)))
      continue;
    if (o_.follow && p->at_end()) continue;  // waiting for producers is follow mode's job
    if (p->eof_offset >= 0 && !o_.follow) {
      fail_partition(*p, cat("the source ends at offset ", p->eof_offset,
                             ", before the planned end ", p->record->end));
    } else {
      stop(StopError::kSource, consumer_->failure(cat(p->record->where(), ": nothing read within ",
                                                      common_.timeout_ms, " ms")));
    }
  }
}

bool Copier::txn_due() const {
  return txn_messages_ >= txn_limits_.messages || txn_bytes_ >= txn_limits_.bytes ||
         txn_partitions_ >= kTxnPartitions || txn_groups_.size() >= kTxnGroups ||
         Clock::now() - txn_started_ >= std::chrono::milliseconds(txn_limits_.ms);
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

bool Copier::all_reported() const {
  for (const auto& [tp, p] : partitions_)
    if (!p->reported()) return false;
  return true;
}

bool Copier::all_settled() const {
  for (const auto& [tp, p] : partitions_)
    if (p->reading()) return false;
  return true;
}

bool Copier::all_at_end() const {
  for (const auto& [tp, p] : partitions_)
    if (p->reading() && !p->at_end()) return false;
  return true;
}

// Follow mode's lag, from the reader's cached watermarks (under read_committed, the last
// stable offset: what a copy can reach), at most every 200 ms.
void Copier::observe_lag() {
  auto now = Clock::now();
  if (now - lag_observed_ < std::chrono::milliseconds(200)) return;
  lag_observed_ = now;
  double seconds = std::chrono::duration<double>(now - started_).count();
  std::vector<Lag> lags;
  std::vector<const Partition*> of;
  for (auto& [tp, p] : partitions_) {
    if (p->failed() || p->reported()) continue;
    int64_t low = -1, high = -1;
    rd_kafka_get_watermark_offsets(consumer_->get(), tp.topic.c_str(), tp.partition, &low, &high);
    if (high >= 0) p->lag.observe(high, p->position(), seconds);
    lags.push_back(p->lag.lag(seconds));
    of.push_back(p.get());
  }
  JobLag job = job_lag(lags);
  totals_.follow = true;
  totals_.lag = job.total;
  totals_.worst = job.worst < 0 ? std::string() : of[size_t(job.worst)]->record->where();
  totals_.worst_lag = job.worst < 0 ? Lag{} : lags[size_t(job.worst)];
  within_lag_ = within_lag(o_.until_lag, lags);
}

// --until-lag: stop once everything is committed and every partition is within the limit.
bool Copier::follow_done() {
  observe_lag();
  if (dirty() || !within_lag_) return false;
  reporter_.clear();
  log::info(cat("every partition is within --until-lag (", lag_text(totals_.lag),
                " in all); stopping"));
  return true;
}

// After a poll: the target owes nothing, or answered something (TargetSilence).
void Copier::observe_target() {
  txn_->silence().observe(rd_kafka_outq_len(producer_->get()) > 0, Clock::now());
}

bool Copier::begin() {
  txn_messages_ = txn_bytes_ = txn_partitions_ = 0;
  ++txn_seq_;
  txn_groups_.clear();
  txn_started_ = Clock::now();
  return txn_->begin();
}

// Every delivery report first: they are the proof, and they give the target offsets.
// Full batches first, without flushing: a flush makes every queued batch overdue, and
// librdkafka's broker thread polls without sleeping until the last is sent (see
// init_producer). Flush once no partition holds more than two batches.
TxnResult Copier::wait_for_deliveries() {
  auto deadline = Clock::now() + std::chrono::milliseconds(common_.timeout_ms);
  auto waiting = [&] { return Clock::now() < txn_->silence().bound(deadline); };
  while (!need_abort_ && backlogged() && waiting()) {
    rd_kafka_poll(producer_->get(), 10);
    observe_target();
  }
  while (rd_kafka_outq_len(producer_->get()) > 0 && waiting()) {
    rd_kafka_flush(producer_->get(), 100);
    observe_target();
  }
  if (rd_kafka_outq_len(producer_->get()) > 0 && !need_abort_) {
    need_abort_ = true;
    target_silent_ = true;
    txn_->set_abort_reason(
        producer_->failure(cat("deliveries unconfirmed after ", common_.timeout_ms, " ms")));
  }
  return need_abort_ ? TxnResult::kAbort : TxnResult::kOk;
}

TxnResult Copier::commit() {
  txn_->set_deadline(Clock::now() + std::chrono::milliseconds(common_.timeout_ms));
  TxnResult result = commit_within_deadline();
  txn_->set_deadline(std::nullopt);
  return result;
}

TxnResult Copier::commit_within_deadline() {
  if (wait_for_deliveries() != TxnResult::kOk || !write_index()) return TxnResult::kAbort;
  auto delivered = Clock::now();
  std::vector<CommittedOffset> progress;
  std::map<std::string, std::vector<CommittedOffset>> groups;
  std::string marker = group_marker(o_);
  for (auto& [tp, p] : partitions_) {
    if (!p->touched) continue;
    Snapshot& s = p->cur;
    if (s.complete() && !p->committed.complete()) {
      int64_t end = s.copied > 0 ? s.target_end : p->target_base;
      size_t before = s.placed.size();
      s.resolver.on_complete(end, &s.placed);
      p->to_commit.insert(p->to_commit.end(), s.placed.begin() + long(before), s.placed.end());
    }
    for (const auto& g : p->from_index) s.placed.push_back(g), p->to_commit.push_back(g);
    // Follow mode: the end is how far the copy got.
    int64_t end = o_.follow ? std::max(p->record->end, s.next) : p->record->end;
    ProgressMeta meta{s.job_start, end,     s.target_start, s.target_end,
                      s.copied,    s.complete() || (o_.follow && s.next >= end)};
    meta.follow = o_.follow;
    int64_t offset = s.complete() ? std::max(s.next, p->record->end) : s.next;
    progress.push_back({tp, offset, encode_progress(meta)});
    for (const auto& g : p->to_commit) groups[g.group].push_back({tp, g.offset, marker});
  }
  if (progress.empty()) return TxnResult::kOk;
  TxnResult result = txn_->send_offsets(progress_group(o_), progress);
  // A call per group: a commit of a thousand groups outlasts one --timeout while the
  // coordinator answers every call, so each call (and EndTxn) gets a --timeout of its own.
  auto renew = [&] {
    txn_->set_deadline(Clock::now() + std::chrono::milliseconds(common_.timeout_ms));
  };
  for (auto it = groups.begin(); result == TxnResult::kOk && it != groups.end(); ++it) {
    renew();
    result = txn_->send_offsets(it->first, it->second);
  }
  renew();
  if (result == TxnResult::kOk) result = txn_->commit();
  if (result != TxnResult::kOk) return result;
  auto commit_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - delivered);
  if (!o_.txn_fixed)
    txn_limits_ = scale_txn_limits(
        {o_.txn_messages, o_.txn_bytes, o_.txn_ms}, commit_ms.count(),
        setting_int(common_.target.settings, "transaction.timeout.ms", 60000) / 4);
  after_commit();
  return result;
}

// The transaction landed: what it held becomes the partitions' committed state.
void Copier::after_commit() {
  ++totals_.commits;
  consecutive_aborts_ = 0;
  for (auto& [tp, p] : partitions_) {
    if (!p->touched) continue;
    totals_.messages += p->cur.copied - p->committed.copied;
    totals_.bytes += p->cur.bytes - p->committed.bytes;
    index_committed(*p);
    p->committed = p->cur;
    p->to_commit.clear();
    p->touched = false;
    p->claimed = true;
    if (p->failed()) emit(*p, "failed");
    else if (p->committed.complete()) emit(*p, "copied");
  }
}

TxnResult Copier::abort_and_rewind(std::string why) {
  ++totals_.aborts;
  ++consecutive_aborts_;
  if (target_silent_) {
    stop(StopError::kUnanswered, cat(why, "; run the same command again to resume"));
    return TxnResult::kFatal;
  }
  log::warn(cat("transaction aborted, retrying from the last commit: ", why));
  if (txn_->abort() == TxnResult::kFatal) return TxnResult::kFatal;
  // Reports of purged messages carry no news: drop them before rolling back.
  discarding_ = true;
  auto deadline = txn_->silence().bound(Clock::now() + std::chrono::milliseconds(common_.timeout_ms));
  while (rd_kafka_outq_len(producer_->get()) > 0 && Clock::now() < deadline)
    rd_kafka_poll(producer_->get(), 50);
  rd_kafka_poll(producer_->get(), 0);
  discarding_ = false;
  for (auto& [tp, p] : partitions_) {
    if (p->reported()) continue;
    // A source failure seen meanwhile stays, and a claim not yet committed is retried:
    // both go with the next transaction.
    bool failed = p->failed();
    p->cur = p->committed;
    if (failed) p->cur.stage = Stage::kFailed;
    p->in_flight.clear();
    p->in_flight_bytes = 0;
    p->to_commit.clear();
    p->txn_runs = OffsetIndex();
    p->produced_next = p->cur.next;
    p->touched = failed || !p->claimed || !p->from_index.empty();
  }
  need_abort_ = false;
  txn_->set_abort_reason("");
  if (consecutive_aborts_ > o_.max_retries) {
    stop(StopError::kGaveUp, cat("giving up after ", consecutive_aborts_,
                                 " aborted transactions in a row: ", why));
    return TxnResult::kFatal;
  }
  assign_pending();
  return begin() ? TxnResult::kOk : TxnResult::kFatal;
}

// Commits the open transaction (aborting and rewinding when it cannot: *rewound) and
// opens the next.
TxnResult Copier::commit_and_continue(bool* rewound) {
  *rewound = false;
  TxnResult result = commit();
  if (result == TxnResult::kOk) return begin() ? TxnResult::kOk : TxnResult::kFatal;
  if (result != TxnResult::kAbort) return result;
  *rewound = true;
  return abort_and_rewind(txn_->abort_reason());
}

}  // namespace ck::copy
