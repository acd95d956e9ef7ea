// Splitting topic creation into requests a KRaft controller accepts: pure, no librdkafka.
#pragma once

#include <cstddef>
#include <vector>

#include "topic_partition.hpp"

namespace ck {

/// A KRaft controller writes one metadata record per topic, per partition and per config,
/// and refuses a CreateTopics request whose records exceed its per-operation limit (10,000
/// in Kafka 3.x) outright, whatever the topics. Half that leaves room for what a broker
/// version adds per topic.
inline constexpr size_t kMaxRecordsPerCreate = 5000;

/// The metadata records creating this topic takes: the topic, its partitions, its configs.
size_t create_records(const NewTopic& topic);

/// Topics in request order, cut into consecutive batches of at most max_records records
/// each (a topic larger than that alone goes in a batch of its own, for the broker to
/// judge). Each batch holds indexes into topics; no batch is empty.
std::vector<std::vector<size_t>> batch_new_topics(const std::vector<NewTopic>& topics,
                                                  size_t max_records = kMaxRecordsPerCreate);

}  // namespace ck
