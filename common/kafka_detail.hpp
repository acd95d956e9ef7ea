// What kafka.cpp and group_offsets.cpp share and no tool needs: the admin call with a
// deadline and the error bookkeeping of the cluster queries.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <string>

#include "kafka.hpp"
#include "rdkafka_ptr.hpp"

namespace ck::detail {

using Clock = std::chrono::steady_clock;

/// Owns an admin options object and a private queue, and waits with a deadline.
class AdminCall {
 public:
  AdminCall(KafkaClient& client, rd_kafka_admin_op_t op, int timeout_ms);
  rd_kafka_AdminOptions_t* options() { return options_.get(); }
  rd_kafka_queue_t* queue() { return queue_.get(); }

  /// Waits for the result event of the expected type; nullptr with *err on failure.
  EventPtr wait(rd_kafka_event_type_t type, const std::string& what, std::string* err);

 private:
  KafkaClient& client_;
  int timeout_ms_;
  AdminOptionsPtr options_;
  QueuePtr queue_;
};

/// Coordinator errors that clear by themselves: a fresh cluster is still creating or
/// loading __consumer_offsets, or the coordinator moved. Worth retrying until the deadline.
bool coordinator_settling(rd_kafka_resp_err_t code);

/// Adds text to *err, "; " between entries.
void append_error(std::string* err, const std::string& text);

}  // namespace ck::detail
