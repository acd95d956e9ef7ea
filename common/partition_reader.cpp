#include "partition_reader.hpp"

#include "strings.hpp"

namespace ck {

RangePlace range_place(int64_t offset, int64_t next, int64_t end) {
  if (offset >= end) return RangePlace::kBeyond;
  if (offset < next) return RangePlace::kBefore;
  return offset + 1 >= end ? RangePlace::kLast : RangePlace::kInside;
}

PartitionReader::PartitionReader(KafkaClient& consumer)
    : consumer_(consumer), queue_(rd_kafka_queue_get_consumer(consumer.get())) {}

PartitionReader::~PartitionReader() {
  waker_.reset();
  queue_.reset();
  rd_kafka_assign(consumer_.get(), nullptr);
}

bool PartitionReader::assign(const std::vector<std::pair<TopicPartition, int64_t>>& from,
                             std::string* err) {
  PartitionList list = new_partition_list(from.size() + 1);
  for (const auto& [tp, offset] : from) add_partition(list.get(), tp, offset);
  rd_kafka_assign(consumer_.get(), nullptr);
  if (list->cnt == 0) return true;
  if (rd_kafka_resp_err_t code = rd_kafka_assign(consumer_.get(), list.get())) {
    *err = consumer_.failure(cat("assigning partitions: ", rd_kafka_err2str(code)));
    return false;
  }
  // A pause from an earlier assignment outlives it in librdkafka: lift it.
  rd_kafka_resume_partitions(consumer_.get(), list.get());
  return true;
}

void PartitionReader::pause(const TopicPartition& tp) {
  PartitionList list = new_partition_list(1);
  add_partition(list.get(), tp);
  rd_kafka_pause_partitions(consumer_.get(), list.get());
}

ssize_t PartitionReader::read(rd_kafka_message_t** out, size_t max, int timeout_ms) {
  return consume_ready(queue_.get(), timeout_ms, out, max);
}

void PartitionReader::wake(const std::vector<TopicPartition>& partitions) {
  waker_.reset();
  waker_ = std::make_unique<FetchWaker>(consumer_, partitions);
  waking_ = true;
}

void PartitionReader::stop_waking() {
  if (waker_) waker_->stop();
  waking_ = false;
}

}  // namespace ck
