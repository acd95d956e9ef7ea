// Splitting large requests into ones a broker answers in time: topic creation into requests
// a KRaft controller accepts, offset queries into slices. Pure, no librdkafka.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "topic_partition.hpp"

namespace ck {

/// A KRaft controller writes one metadata record per topic, per partition and per config,
/// and refuses a CreateTopics request whose records exceed its per-operation limit (10,000
/// in Kafka 3.x) outright, whatever the topics. Half that leaves room for what a broker
/// version adds per topic.
inline constexpr size_t kMaxRecordsPerCreate = 5000;

/// Records per CreateTopics when each batch is waited for before the next (ck-copy
/// --create-topics): a KRaft broker opens all the logs of one metadata change before it
/// serves any of them, so 7,000 partitions created at once showed no partition ready for
/// well over 30 s on a busy machine; 1,000 records (about 60 topics of 10 partitions) are
/// served within seconds, and the wait sees progress batch by batch.
inline constexpr size_t kRecordsPerServedCreate = 1000;

/// The metadata records creating this topic takes: the topic, its partitions, its configs.
size_t create_records(const NewTopic& topic);

/// Topics in request order, cut into consecutive batches of at most max_records records
/// each (a topic larger than that alone goes in a batch of its own, for the broker to
/// judge). Each batch holds indexes into topics; no batch is empty.
std::vector<std::vector<size_t>> batch_new_topics(const std::vector<NewTopic>& topics,
                                                  size_t max_records = kMaxRecordsPerCreate);

/// Partitions per ListOffsets round: a broker answers 1,000 within milliseconds, and a
/// partition still settling (a topic created a moment ago) has only its slice asked again,
/// not all 10,000; each slice gets the whole --timeout.
inline constexpr size_t kOffsetsPerRequest = 1000;

/// [begin, end) index ranges cutting n items into consecutive slices of at most `size`
/// (the last one shorter); none for n == 0. size 0 counts as 1.
std::vector<std::pair<size_t, size_t>> slices(size_t n, size_t size);

}  // namespace ck
