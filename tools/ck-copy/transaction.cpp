#include "transaction.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "retry.hpp"
#include "strings.hpp"
#include "topic_batches.hpp"

namespace ck::copy {

using Clock = std::chrono::steady_clock;

Transaction::Transaction(KafkaClient& producer, std::string transactional_id, std::string job,
                         int timeout_ms)
    : producer_(producer),
      transactional_id_(std::move(transactional_id)),
      job_(std::move(job)),
      timeout_ms_(timeout_ms),
      silence_(std::chrono::milliseconds(timeout_ms), Clock::now()) {}

bool Transaction::init(std::string* err) {
  ErrorPtr e(rd_kafka_init_transactions(producer_.get(), timeout_ms_));
  if (!e) return true;
  *err = producer_.failure(cat("initializing transactions (transactional.id ",
                               transactional_id_, "): ", rd_kafka_error_string(e.get())));
  return false;
}

void Transaction::stop(StopError::Kind kind, std::string message) {
  if (!stop_) stop_ = StopError{kind, std::move(message)};
}

bool Transaction::begin() {
  ErrorPtr e(rd_kafka_begin_transaction(producer_.get()));
  if (!e) return true;
  stop(StopError::kProducer,
       producer_.failure(cat("beginning a transaction: ", rd_kafka_error_string(e.get()))));
  return false;
}

TxnResult Transaction::classify(rd_kafka_error_t* error, const std::string& what) {
  ErrorPtr e(error);
  if (!e) return TxnResult::kOk;
  std::string text = cat(what, ": ", rd_kafka_error_string(e.get()));
  if (!rd_kafka_error_is_fatal(e.get())) {
    abort_reason_ = text;
    return TxnResult::kAbort;
  }
  char reason[512] = "";
  rd_kafka_resp_err_t code = rd_kafka_fatal_error(producer_.get(), reason, sizeof reason);
  bool fenced = code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED || code == RD_KAFKA_RESP_ERR__FENCED ||
                code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
  if (fenced)
    stop(StopError::kFenced, cat("fenced: another ck-copy with transactional id ",
                                 transactional_id_, " (job ", job_,
                                 ") took over; this one stops (", text, ")"));
  else
    stop(StopError::kProducer, producer_.failure(text));
  return TxnResult::kFatal;
}

namespace {

// What a call running on its own thread hands back; shared, as an abandoned call may
// still return after its caller has gone.
struct PendingCall {
  std::mutex mutex;
  std::condition_variable returned;
  bool done = false;
  rd_kafka_error_t* error = nullptr;
  ~PendingCall() {
    if (error) rd_kafka_error_destroy(error);
  }
};

// How long after its own timeout a call may still return before it is abandoned.
constexpr std::chrono::seconds kCallGrace{2};

}  // namespace

// librdkafka 2.0.2's rd_kafka_send_offsets_to_transaction can block for ever, whatever its
// timeout, while the group coordinator is down: the coordinator request's timeout is never
// checked (librdkafka issue #5456, still open in 2.14). Seen here as a run that never gave
// up after the target was killed. So every transactional call runs on a thread of its
// own, and one that has not returned kCallGrace after its timeout is abandoned.
bool Transaction::call_bounded(Call call, int left_ms, ErrorPtr* result) {
  auto pending = std::make_shared<PendingCall>();
  std::thread([pending, call = std::move(call), left_ms] {
    rd_kafka_error_t* e = call(left_ms);
    std::lock_guard lock(pending->mutex);
    pending->error = e;
    pending->done = true;
    pending->returned.notify_one();
  }).detach();
  std::unique_lock lock(pending->mutex);
  if (!pending->returned.wait_for(lock, std::chrono::milliseconds(left_ms) + kCallGrace,
                                  [&] { return pending->done; }))
    return false;
  result->reset(std::exchange(pending->error, nullptr));
  return true;
}

// A call that never returned: the producer is left as it is (destroying it would wait for
// that call) and the run stops; the next run's init_transactions aborts what is open.
TxnResult Transaction::wedge(const std::string& what) {
  wedged_ = true;
  producer_.abandon();
  stop(StopError::kUnanswered,
       producer_.failure(cat(what, ": no answer within ", timeout_ms_,
                             " ms (librdkafka did not return); run the same command again "
                             "to resume")));
  return TxnResult::kFatal;
}

// Calls a transactional API until it succeeds, resuming it while it times out (librdkafka
// carries on in the background) until --timeout has passed. A call still pending then
// cannot be aborted (librdkafka refuses any other transactional call meanwhile): the run
// stops, and the next run learns from the target whether that transaction landed.
TxnResult Transaction::finish_call(const std::string& what, const Call& call) {
  if (wedged_) return TxnResult::kFatal;
  TxnResult result = TxnResult::kOk;
  ErrorPtr last;
  bool returned = true;
  auto deadline =
      silence_.bound(deadline_.value_or(Clock::now() + std::chrono::milliseconds(timeout_ms_)));
  // A retriable error that came back at once (coordinator moving or loading) is asked
  // again after a pause, not in a busy loop.
  bool answered = retry_until_deadline(deadline, std::chrono::milliseconds(100), [&](int left_ms) {
    if (!(returned = call_bounded(call, left_ms, &last))) return true;
    rd_kafka_error_t* e = last.get();
    if (!e || rd_kafka_error_code(e) > 0) silence_.heard(Clock::now());  // the broker spoke
    if (e && !rd_kafka_error_is_fatal(e) && !rd_kafka_error_txn_requires_abort(e) &&
        rd_kafka_error_is_retriable(e))
      return false;
    result = classify(last.release(), what);
    return true;
  });
  if (!returned) return wedge(what);
  if (answered) return result;
  stop(StopError::kUnanswered,
       producer_.failure(cat(what, ": no answer within ", timeout_ms_, " ms (",
                             rd_kafka_error_string(last.get()),
                             "); run the same command again to resume")));
  return TxnResult::kFatal;
}

// Kafka writes each TxnOffsetCommit as one batch to __consumer_offsets, and refuses a batch
// over that topic's message limit (1 MB by default) as "Commit offset data size is not
// valid": the progress of 10,000 partitions in one transaction is about 2 MB. So the
// offsets go in slices of kOffsetsPerCommit, calls for the same group in one transaction.
TxnResult Transaction::send_offsets(const std::string& group,
                                    const std::vector<CommittedOffset>& offsets) {
  TxnResult result = TxnResult::kOk;
  for (auto [begin, end] : slices(offsets.size(), kOffsetsPerCommit)) {
    if (result != TxnResult::kOk) break;
    std::vector<CommittedOffset> slice(offsets.begin() + long(begin), offsets.begin() + long(end));
    result = send_offsets_once(group, slice);
  }
  return result;
}

TxnResult Transaction::send_offsets_once(const std::string& group,
                                         const std::vector<CommittedOffset>& offsets) {
  // Owned by the call (shared): an abandoned call may outlive this frame.
  std::shared_ptr<rd_kafka_topic_partition_list_t> list(
      committed_list(offsets).release(), rd_kafka_topic_partition_list_destroy);
  std::shared_ptr<rd_kafka_consumer_group_metadata_t> metadata(
      rd_kafka_consumer_group_metadata_new(group.c_str()), rd_kafka_consumer_group_metadata_destroy);
  rd_kafka_t* rk = producer_.get();
  return finish_call(cat("committing offsets of group ", group), [rk, list, metadata](int left_ms) {
    return rd_kafka_send_offsets_to_transaction(rk, list.get(), metadata.get(), left_ms);
  });
}

TxnResult Transaction::commit() {
  rd_kafka_t* rk = producer_.get();
  return finish_call("committing the transaction", [rk](int left_ms) {
    return rd_kafka_commit_transaction(rk, left_ms);
  });
}

TxnResult Transaction::abort() {
  if (wedged_) return TxnResult::kFatal;
  // All abort attempts share one deadline: a broker that stays away is reported after
  // --timeout, not after several timeouts in a row; and a broker silent since before the
  // abort (its deliveries failed locally, e.g. on a dead connection) gets no fresh
  // --timeout for it.
  auto deadline = silence_.bound(Clock::now() + std::chrono::milliseconds(timeout_ms_));
  int attempt = 0;
  ErrorPtr last;
  bool returned = true;
  rd_kafka_t* rk = producer_.get();
  bool done = retry_until_deadline(deadline, std::chrono::milliseconds(0), [&](int left_ms) {
    returned = call_bounded([rk](int ms) { return rd_kafka_abort_transaction(rk, ms); }, left_ms,
                            &last);
    if (!returned) return true;
    if (!last) silence_.heard(Clock::now());
    return !last || !rd_kafka_error_is_retriable(last.get()) ||
           rd_kafka_error_is_fatal(last.get()) || attempt++ >= 3;
  });
  if (!returned) return wedge("aborting the transaction");
  if (done && !last) return TxnResult::kOk;
  if (last) classify(last.release(), "aborting the transaction");
  stop(StopError::kProducer, producer_.failure(abort_reason_));
  return TxnResult::kFatal;
}

}  // namespace ck::copy
