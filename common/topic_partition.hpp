// Naming a topic partition, and a topic to create: plain data, no librdkafka, so the
// pure rule headers can use them.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>

namespace ck {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

/// "topic t partition 3": the one spelling of a partition in every message.
std::string describe(const std::string& topic, int32_t partition);
inline std::string describe(const TopicPartition& tp) { return describe(tp.topic, tp.partition); }

/// A consumer group's committed offset on a partition, with its commit metadata.
struct CommittedOffset {
  TopicPartition tp;
  int64_t offset = -1;
  std::string metadata;
};

struct NewTopic {
  std::string topic;
  int32_t partitions = 1;
  int replication_factor = -1;  ///< -1: the broker's default
  std::map<std::string, std::string> configs;
};

}  // namespace ck
