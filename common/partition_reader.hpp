// Reading ranges of many partitions through one consumer: the one partition reader of
// ck-copy's copy loop and ck-verify's scans. It assigns the partitions at their start
// offsets, pauses one once its range is read, keeps the fetcher awake (FetchWaker),
// and hands out messages in batches; StallWatch tells a silent partition, and
// range_place() where a message stands against its range.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fetch_waker.hpp"
#include "kafka.hpp"
#include "rdkafka_ptr.hpp"
#include "retry.hpp"  // StallWatch

namespace ck {

/// Where a message's offset stands against a range being read [next, end).
enum class RangePlace {
  kBefore,  ///< below next: read already (or before a start reset to the log start)
  kInside,  ///< in the range, more to come
  kLast,    ///< the range's last offset: the range is read with it
  kBeyond,  ///< at or past end: the range is read, the message is not part of it
};
RangePlace range_place(int64_t offset, int64_t next, int64_t end);

/// Finds a partition's entry by the message's topic handle and partition: per-topic
/// vectors indexed by partition, the last topic cached because fetches return runs of
/// one partition.
template <typename T>
class PartitionIndex {
 public:
  void add(const TopicPartition& tp, T value) {
    auto& v = by_topic_[tp.topic];
    if (v.size() <= size_t(tp.partition)) v.resize(size_t(tp.partition) + 1, T{});
    v[size_t(tp.partition)] = value;
    last_rkt_ = nullptr;
  }
  /// The entry, or T{} when the partition is not one of ours.
  T find(rd_kafka_topic_t* rkt, int32_t partition) {
    if (rkt != last_rkt_) {
      auto it = by_topic_.find(rd_kafka_topic_name(rkt));
      last_ = it == by_topic_.end() ? nullptr : &it->second;
      last_rkt_ = rkt;
    }
    if (!last_ || partition < 0 || size_t(partition) >= last_->size()) return T{};
    return (*last_)[size_t(partition)];
  }

 private:
  std::map<std::string, std::vector<T>, std::less<>> by_topic_;
  rd_kafka_topic_t* last_rkt_ = nullptr;
  std::vector<T>* last_ = nullptr;
};

class PartitionReader {
 public:
  explicit PartitionReader(KafkaClient& consumer);
  ~PartitionReader();
  PartitionReader(const PartitionReader&) = delete;
  PartitionReader& operator=(const PartitionReader&) = delete;

  /// Replaces the assignment with these partitions from these offsets. A new assignment
  /// discards what was fetched for the old one, so nothing read before a rewind arrives
  /// afterwards; a pause from an earlier assignment is lifted. err names the cluster.
  bool assign(const std::vector<std::pair<TopicPartition, int64_t>>& from, std::string* err);
  /// No more messages of tp are wanted (its range is read, or it failed).
  void pause(const TopicPartition& tp);
  /// Up to `max` messages (the caller destroys them): waits up to timeout_ms for the
  /// first, then takes what is already queued. -1 on error.
  ssize_t read(rd_kafka_message_t** out, size_t max, int timeout_ms);
  /// Keeps the fetcher of these partitions' leaders awake (see FetchWaker) until
  /// stop_waking(); a second call replaces the first.
  void wake(const std::vector<TopicPartition>& partitions);
  /// Once nothing is left to read: no more wake-ups, so the waker's last question is
  /// answered while the caller finishes rather than after.
  void stop_waking();
  bool waking() const { return waking_; }
  KafkaClient& consumer() { return consumer_; }

 private:
  KafkaClient& consumer_;
  QueuePtr queue_;
  std::unique_ptr<FetchWaker> waker_;
  bool waking_ = false;
};

}  // namespace ck
