// The offset index topic in the target (index_records.hpp): created compacted when
// missing, and read back with read_committed, so only what committed transactions wrote
// counts, exactly as for the data and the progress.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"
#include "kafka.hpp"
#include "offset_index.hpp"
#include "topic_partition.hpp"

namespace ck::copy {

/// Partitions of an index topic ck-copy creates: records of a job's partitions are spread
/// over them (index_partition), so a reader reads a fraction of the topic.
inline constexpr int32_t kIndexPartitions = 8;

/// The index topic's partition count, creating the topic (cleanup.policy=compact, so
/// nothing expires with time) when it is missing. err names the topic.
bool ensure_index_topic(KafkaClient& admin, const std::string& topic, int replication_factor,
                        int timeout_ms, int32_t* partitions, std::string* err);

/// The job's offset index of each of `wanted` (absent: nothing indexed), read from the
/// index topic's beginning to its last stable offset; a missing topic holds nothing.
bool read_index(const ClusterConfig& target, const std::string& topic, const std::string& job,
                const std::vector<TopicPartition>& wanted, int timeout_ms,
                std::map<TopicPartition, OffsetIndex>* out, std::string* err);

}  // namespace ck::copy
