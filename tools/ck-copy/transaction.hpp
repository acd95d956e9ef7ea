// The transactional producer's calls (begin, send offsets, commit, abort) with their
// errors classified: retried until --timeout, aborted and rewound, or fatal for the run.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kafka.hpp"
#include "rdkafka_ptr.hpp"
#include "target_silence.hpp"

namespace ck::copy {

/// Offsets per TxnOffsetCommit: a thousand progress entries of about 200 bytes each stay
/// well inside __consumer_offsets' 1 MB message limit (see send_offsets).
inline constexpr size_t kOffsetsPerCommit = 1000;

/// Why a run stops before its end; its message is the run's one error line.
struct StopError {
  enum Kind {
    kFenced,      ///< another ck-copy with the same transactional id took over
    kUnanswered,  ///< a transactional call got no answer within --timeout
    kProducer,    ///< librdkafka called the producer's error fatal
    kGaveUp,      ///< --max-retries aborted transactions in a row
    kSource,      ///< the source gave nothing within --timeout
  } kind;
  std::string message;
};

/// Outcome of one transactional step.
enum class TxnResult {
  kOk,
  kAbort,  ///< the transaction must be aborted and the copy rewound (abort_reason())
  kFatal,  ///< the run stops (stop_error())
};

class Transaction {
 public:
  /// `producer` is transactional (transactional.id set); `job` names it in errors.
  Transaction(KafkaClient& producer, std::string transactional_id, std::string job,
              int timeout_ms);

  /// Fences any older ck-copy of this job and aborts what a crashed run left open.
  bool init(std::string* err);
  bool begin();
  /// Adds the offsets of `group` to the open transaction (in slices of kOffsetsPerCommit).
  TxnResult send_offsets(const std::string& group, const std::vector<CommittedOffset>& offsets);
  TxnResult commit();
  /// Aborts the open transaction, retrying a retriable failure a few times within --timeout
  /// and never past the target's silence deadline.
  TxnResult abort();

  const std::string& abort_reason() const { return abort_reason_; }
  void set_abort_reason(std::string why) { abort_reason_ = std::move(why); }
  const std::optional<StopError>& stop_error() const { return stop_; }
  void stop(StopError::Kind kind, std::string message);
  /// One deadline for the whole commit (deliveries, offsets, EndTxn); none outside a commit.
  void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
    deadline_ = deadline;
  }
  /// How long the target has been silent: every wait of a transaction ends by its deadline.
  TargetSilence& silence() { return silence_; }

 private:
  /// A transactional call of librdkafka's, given the milliseconds it may take.
  using Call = std::function<rd_kafka_error_t*(int left_ms)>;
  /// Runs `call` on a thread of its own; false when it has not returned shortly after
  /// left_ms (it is then abandoned with the producer: wedged()).
  bool call_bounded(Call call, int left_ms, ErrorPtr* result);
  TxnResult wedge(const std::string& what);
  TxnResult classify(rd_kafka_error_t* e, const std::string& what);
  TxnResult finish_call(const std::string& what, const Call& call);
  TxnResult send_offsets_once(const std::string& group,
                              const std::vector<CommittedOffset>& offsets);

  KafkaClient& producer_;
  const std::string transactional_id_, job_;
  const int timeout_ms_;
  std::string abort_reason_;
  std::optional<StopError> stop_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  TargetSilence silence_;
  bool wedged_ = false;  ///< a call never returned: the producer is not touched again
};

}  // namespace ck::copy
