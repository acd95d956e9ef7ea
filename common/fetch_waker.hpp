// Keeps a consumer's fetcher from idling on librdkafka 2.0.2's one-second tick.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "kafka.hpp"

namespace ck {

/// librdkafka 2.0.2 stops fetching while the consumer queue holds queued.min.messages
/// messages or queued.max.messages.kbytes, and decides again only when the leader's
/// broker thread wakes up: at the latest on its one-second tick (2.1 added
/// fetch.queue.backoff.ms for this). A reader that drains the queue in a fraction of a
/// second then waits out the rest of it: 1.5 million messages of 100 bytes took 6.3 to
/// 8.2 s instead of 1.4 to 2.0 s. A FetchWaker wakes the broker thread of every leader
/// of the given partitions each `period` with a small request (one partition's
/// watermarks), so the fetcher decides again within that period. Leaders are looked up
/// at the start and every 30 s. The destructor stops the thread and waits for it.
///
/// librdkafka 2.0.2's watermark query waits for its answer whatever its timeout, and a
/// broker answers a connection's requests in order: behind a long-polling fetch (a reader
/// at the end of its partitions) the answer takes up to fetch.wait.max.ms; stop() early,
/// once nothing is left to read, and keep fetch.wait.max.ms short. A leader that hangs
/// (frozen, or gone without closing the connection) holds the query for socket.timeout.ms
/// and its retries: minutes. So the destructor waits at most kStopGrace for the thread;
/// one still inside librdkafka then is left to the process's exit, with the consumer
/// (KafkaClient::abandon: destroying it would wait for that call).
class FetchWaker {
 public:
  FetchWaker(KafkaClient& consumer, std::vector<TopicPartition> partitions,
             std::chrono::milliseconds period = std::chrono::milliseconds(50));
  ~FetchWaker();
  /// Sends no more wake-ups; returns at once (the destructor waits for the thread).
  void stop();
  FetchWaker(const FetchWaker&) = delete;
  FetchWaker& operator=(const FetchWaker&) = delete;

  /// One partition per distinct leader among `partitions`, as metadata tells now
  /// (partitions without a known leader are left out); exposed for the tests.
  static std::vector<TopicPartition> one_per_leader(KafkaClient& consumer,
                                                    const std::vector<TopicPartition>& partitions,
                                                    int timeout_ms);
  /// Wake-ups sent so far (answered or not).
  long wakeups() const;
  /// How long the destructor waits for a wake-up under way to return.
  static constexpr std::chrono::seconds kStopGrace{3};

 private:
  struct Shared;  // what the thread uses: it may outlive this object
  static void run(const std::shared_ptr<Shared>& s);
  static std::vector<TopicPartition> one_per_leader(rd_kafka_t* rk,
                                                    const std::vector<TopicPartition>& partitions,
                                                    int timeout_ms);

  KafkaClient& consumer_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace ck
