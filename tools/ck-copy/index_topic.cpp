#include "index_topic.hpp"

#include <chrono>
#include <set>

#include "index_records.hpp"
#include "partition_reader.hpp"
#include "strings.hpp"

namespace ck::copy {

bool ensure_index_topic(KafkaClient& admin, const std::string& topic, int replication_factor,
                        int timeout_ms, int32_t* partitions, std::string* err) {
  std::map<std::string, int32_t> counts;
  if (!fetch_partition_counts(admin, timeout_ms, &counts, err)) {
    *err = cat("offset index topic ", topic, ": ", *err);
    return false;
  }
  if (auto found = counts.find(topic); found != counts.end()) {
    *partitions = found->second;
    return true;
  }
  NewTopic t{topic, kIndexPartitions, replication_factor, {{"cleanup.policy", "compact"}}};
  if (!create_topics(admin, {t}, timeout_ms, true, err)) {
    *err = cat("creating the offset index topic ", topic, ": ", *err);
    return false;
  }
  *partitions = kIndexPartitions;
  return true;
}

namespace {

// Reads the assigned index partitions until each reached its end offset.
bool read_to_end(PartitionReader& reader, std::map<TopicPartition, int64_t> ends,
                 IndexCollector& collector, int timeout_ms, std::string* err) {
  StallWatch stall;
  constexpr size_t kBatch = 1000;
  rd_kafka_message_t* batch[kBatch];
  while (!ends.empty()) {
    ssize_t n = reader.read(batch, kBatch, 100);
    auto now = StallWatch::Clock::now();
    if (n > 0) stall.progressed(now);
    bool ok = true;
    for (ssize_t i = 0; i < n; ++i) {
      rd_kafka_message_t* m = batch[i];
      if (m->rkt && ok) {
        TopicPartition tp{rd_kafka_topic_name(m->rkt), m->partition};
        bool eof = m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
        if (m->err && !eof) {
          *err = cat(describe(tp), ": ", rd_kafka_message_errstr(m));
          ok = false;
        } else if (!eof) {
          ok = collector.add({static_cast<const char*>(m->key), m->key_len},
                             {static_cast<const char*>(m->payload), m->len}, err);
        }
        if (auto e = ends.find(tp); e != ends.end() && m->offset + (eof ? 0 : 1) >= e->second)
          ends.erase(e);
      }
      rd_kafka_message_destroy(m);
    }
    if (!ok) return false;
    if (!ends.empty() && stall.stalled(now, std::chrono::milliseconds(timeout_ms))) {
      *err = reader.consumer().failure(cat("reading the offset index: nothing within ",
                                           timeout_ms, " ms"));
      return false;
    }
  }
  return true;
}

}  // namespace

bool read_index(const ClusterConfig& target, const std::string& topic, const std::string& job,
                const std::vector<TopicPartition>& wanted, int timeout_ms,
                std::map<TopicPartition, OffsetIndex>* out, std::string* err) {
  auto client = KafkaClient::create(target, RD_KAFKA_CONSUMER, {},
                                    {{"group.id", "ck-migrate.index-reader"},
                                     {"isolation.level", "read_committed"},
                                     {"enable.auto.commit", "false"},
                                     {"enable.partition.eof", "true"},
                                     {"auto.offset.reset", "earliest"}},
                                    err);
  if (!client) return false;
  std::map<std::string, int32_t> counts;
  if (!fetch_partition_counts(*client, timeout_ms, &counts, err)) return false;
  auto count = counts.find(topic);
  if (count == counts.end() || wanted.empty()) return true;
  std::set<TopicPartition> index_tps;
  for (const auto& tp : wanted) index_tps.insert({topic, index_partition(job, tp, count->second)});
  std::vector<TopicPartition> tps(index_tps.begin(), index_tps.end());
  std::map<TopicPartition, int64_t> starts, ends;
  if (!query_offsets(*client, tps, RD_KAFKA_OFFSET_BEGINNING, timeout_ms, &starts, err) ||
      !query_offsets(*client, tps, RD_KAFKA_OFFSET_END, timeout_ms, &ends, err))
    return false;
  std::vector<std::pair<TopicPartition, int64_t>> from;
  for (const auto& tp : tps) {
    if (ends[tp] > starts[tp]) from.push_back({tp, starts[tp]});
    else ends.erase(tp);
  }
  IndexCollector collector(job, wanted);
  {
    PartitionReader reader(*client);
    if (!from.empty() && (!reader.assign(from, err) ||
                          !read_to_end(reader, ends, collector, timeout_ms, err)))
      return false;
  }
  rd_kafka_consumer_close(client->get());
  *out = std::move(collector.indexes());
  return true;
}

}  // namespace ck::copy
