#include "transaction.hpp"

#include <chrono>

#include "retry.hpp"
#include "strings.hpp"

namespace ck::copy {

using Clock = std::chrono::steady_clock;

Transaction::Transaction(KafkaClient& producer, std::string transactional_id, std::string job,
                         std::string progress_group, int timeout_ms)
    : producer_(producer),
      transactional_id_(std::move(transactional_id)),
      job_(std::move(job)),
      progress_group_name_(std::move(progress_group)),
      timeout_ms_(timeout_ms),
      progress_group_(rd_kafka_consumer_group_metadata_new(progress_group_name_.c_str())),
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

// Calls a transactional API until it succeeds, resuming it while it times out (librdkafka
// carries on in the background) until --timeout has passed. A call still pending then
// cannot be aborted (librdkafka refuses any other transactional call meanwhile): the run
// stops, and the next run learns from the target whether that transaction landed.
template <typename Call>
TxnResult Transaction::finish_call(const std::string& what, Call&& call) {
  TxnResult result = TxnResult::kOk;
  ErrorPtr last;
  auto deadline =
      silence_.bound(deadline_.value_or(Clock::now() + std::chrono::milliseconds(timeout_ms_)));
  // A retriable error that came back at once (coordinator moving or loading) is asked
  // again after a pause, not in a busy loop.
  bool answered = retry_until_deadline(deadline, std::chrono::milliseconds(100), [&](int left_ms) {
    last.reset(call(left_ms));
    rd_kafka_error_t* e = last.get();
    if (!e || rd_kafka_error_code(e) > 0) silence_.heard(Clock::now());  // the broker spoke
    if (e && !rd_kafka_error_is_fatal(e) && !rd_kafka_error_txn_requires_abort(e) &&
        rd_kafka_error_is_retriable(e))
      return false;
    result = classify(last.release(), what);
    return true;
  });
  if (answered) return result;
  stop(StopError::kUnanswered,
       producer_.failure(cat(what, ": no answer within ", timeout_ms_, " ms (",
                             rd_kafka_error_string(last.get()),
                             "); run the same command again to resume")));
  return TxnResult::kFatal;
}

TxnResult Transaction::send_offsets(const std::string& group,
                                    const std::vector<CommittedOffset>& offsets) {
  PartitionList list = committed_list(offsets);
  GroupMetadataPtr own;
  rd_kafka_consumer_group_metadata_t* metadata = progress_group_.get();
  if (group != progress_group_name_) {
    own.reset(rd_kafka_consumer_group_metadata_new(group.c_str()));
    metadata = own.get();
  }
  return finish_call(cat("committing offsets of group ", group), [&](int left_ms) {
    return rd_kafka_send_offsets_to_transaction(producer_.get(), list.get(), metadata, left_ms);
  });
}

TxnResult Transaction::commit() {
  return finish_call("committing the transaction", [&](int left_ms) {
    return rd_kafka_commit_transaction(producer_.get(), left_ms);
  });
}

TxnResult Transaction::abort() {
  // All abort attempts share one deadline: a broker that stays away is reported after
  // --timeout, not after several timeouts in a row; and a broker silent since before the
  // abort (its deliveries failed locally, e.g. on a dead connection) gets no fresh
  // --timeout for it.
  auto deadline = silence_.bound(Clock::now() + std::chrono::milliseconds(timeout_ms_));
  int attempt = 0;
  ErrorPtr last;
  bool done = retry_until_deadline(deadline, std::chrono::milliseconds(0), [&](int left_ms) {
    last.reset(rd_kafka_abort_transaction(producer_.get(), left_ms));
    if (!last) silence_.heard(Clock::now());
    return !last || !rd_kafka_error_is_retriable(last.get()) ||
           rd_kafka_error_is_fatal(last.get()) || attempt++ >= 3;
  });
  if (done && !last) return TxnResult::kOk;
  if (last) classify(last.release(), "aborting the transaction");
  stop(StopError::kProducer, producer_.failure(abort_reason_));
  return TxnResult::kFatal;
}

}  // namespace ck::copy
