// Keeps a consumer's fetcher from idling on librdkafka 2.0.2's one-second tick.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
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
/// at the start and every 30 s. The destructor stops and joins the thread.
///
/// librdkafka's watermark query waits for its answer whatever its timeout, and a broker
/// answers a connection's requests in order: behind a long-polling fetch (a reader at the
/// end of its partitions) the answer takes up to fetch.wait.max.ms, and so may the join.
/// stop() early, once nothing is left to read, and keep fetch.wait.max.ms short.
class FetchWaker {
 public:
  FetchWaker(KafkaClient& consumer, std::vector<TopicPartition> partitions,
             std::chrono::milliseconds period = std::chrono::milliseconds(50));
  ~FetchWaker();
  /// Sends no more wake-ups; returns at once (the destructor joins).
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

 private:
  void run();

  KafkaClient& consumer_;
  const std::vector<TopicPartition> partitions_;
  const std::chrono::milliseconds period_;
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  long wakeups_ = 0;
  std::thread thread_;
};

}  // namespace ck
