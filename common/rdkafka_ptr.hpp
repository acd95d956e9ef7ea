// Owning pointers for the librdkafka objects the tools create: each is destroyed by the
// one function librdkafka names for it, however the scope is left.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
#include <vector>

#include "topic_partition.hpp"

namespace ck {

namespace rdkafka_detail {
template <typename T, void (*Destroy)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p) Destroy(p);
  }
};
}  // namespace rdkafka_detail

template <typename T, void (*Destroy)(T*)>
using RdKafkaPtr = std::unique_ptr<T, rdkafka_detail::Deleter<T, Destroy>>;

using PartitionList =
    RdKafkaPtr<rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy>;
using QueuePtr = RdKafkaPtr<rd_kafka_queue_t, rd_kafka_queue_destroy>;
using ConfPtr = RdKafkaPtr<rd_kafka_conf_t, rd_kafka_conf_destroy>;
using EventPtr = RdKafkaPtr<rd_kafka_event_t, rd_kafka_event_destroy>;
using ErrorPtr = RdKafkaPtr<rd_kafka_error_t, rd_kafka_error_destroy>;
using MessagePtr = RdKafkaPtr<rd_kafka_message_t, rd_kafka_message_destroy>;
using TopicPtr = RdKafkaPtr<rd_kafka_topic_t, rd_kafka_topic_destroy>;
using AdminOptionsPtr = RdKafkaPtr<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>;
using GroupMetadataPtr =
    RdKafkaPtr<rd_kafka_consumer_group_metadata_t, rd_kafka_consumer_group_metadata_destroy>;
using MetadataPtr = RdKafkaPtr<const struct rd_kafka_metadata, rd_kafka_metadata_destroy>;
using DeleteRecordsPtr = RdKafkaPtr<rd_kafka_DeleteRecords_t, rd_kafka_DeleteRecords_destroy>;

/// Owns the objects an admin request takes as an array (config resources, new topics):
/// each is destroyed with the array, however the scope is left.
template <typename T, void (*Destroy)(T*)>
class RdKafkaArray {
 public:
  RdKafkaArray() = default;
  ~RdKafkaArray() {
    for (T* p : items_) Destroy(p);
  }
  RdKafkaArray(const RdKafkaArray&) = delete;
  RdKafkaArray& operator=(const RdKafkaArray&) = delete;
  /// Takes ownership of p (not null).
  void push_back(T* p) { items_.push_back(p); }
  T** data() { return items_.data(); }
  size_t size() const { return items_.size(); }

 private:
  std::vector<T*> items_;
};
using ConfigResources = RdKafkaArray<rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy>;
using NewTopics = RdKafkaArray<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>;

/// A new partition list of `size_hint` entries.
inline PartitionList new_partition_list(size_t size_hint) {
  return PartitionList(rd_kafka_topic_partition_list_new(int(size_hint)));
}

/// Appends tp (offset `offset`, RD_KAFKA_OFFSET_INVALID when not given) to `list`.
inline rd_kafka_topic_partition_t* add_partition(rd_kafka_topic_partition_list_t* list,
                                                 const TopicPartition& tp,
                                                 int64_t offset = RD_KAFKA_OFFSET_INVALID) {
  auto* e = rd_kafka_topic_partition_list_add(list, tp.topic.c_str(), tp.partition);
  e->offset = offset;
  return e;
}

}  // namespace ck
