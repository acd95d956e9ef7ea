// The offset index as records of a compacted target topic: one record per transaction and
// partition, keyed by job, topic, partition and the first source offset it copied (unique,
// so compaction keeps them all), its value the runs that transaction copied (encode_runs).
// Reading them back gives each partition's OffsetIndex; from it the target range of a
// record's own range, and the translation of a user's source offset. Pure: no Kafka calls.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "offset_index.hpp"
#include "topic_partition.hpp"

namespace ck::copy {

/// ["job","topic",partition,first source offset] as JSON text: readable with any console
/// consumer, and unambiguous whatever the job's name holds.
std::string index_key(const std::string& job, const TopicPartition& tp, int64_t first_source);
/// What every key of the job's records of `tp` starts with: the key up to its last element.
std::string index_key_prefix(const std::string& job, const TopicPartition& tp);
/// The index topic partition that holds the job's records of `tp` (of `partitions`).
int32_t index_partition(const std::string& job, const TopicPartition& tp, int32_t partitions);

/// Gathers the runs of the job's records of the wanted partitions, records read in offset
/// order; everything else in the topic is passed over, so memory follows the wanted
/// partitions' runs alone.
class IndexCollector {
 public:
  IndexCollector(const std::string& job, const std::vector<TopicPartition>& wanted);
  /// One record of the index topic. False with *err when it is the job's and its value
  /// cannot be decoded. A record overlapping what came before is a later copy of the same
  /// source offsets (the job started over): it replaces them.
  bool add(std::string_view key, std::string_view value, std::string* err);
  std::map<TopicPartition, OffsetIndex>& indexes() { return indexes_; }

 private:
  std::map<std::string, TopicPartition, std::less<>> by_prefix_;
  std::map<TopicPartition, OffsetIndex> indexes_;
};

/// What the target holds of the source range from `start` on: the messages copied, the
/// target offset of the first and the offset after the last; nullopt when none was copied.
struct TargetRange {
  int64_t copied = 0;
  int64_t target_start = -1;
  int64_t target_end = -1;
};
std::optional<TargetRange> target_range_from(const OffsetIndex& index, int64_t start);

/// The target position of a consumer whose next source offset is `offset`: the target
/// offset of the copied message there, or, for an offset the source does not hold (a gap),
/// of the next copied message; the offset after the last copied message for `offset` at
/// the index's end. nullopt with *err for an offset outside the copied ranges.
std::optional<int64_t> translate(const OffsetIndex& index, int64_t offset, std::string* err);

}  // namespace ck::copy
