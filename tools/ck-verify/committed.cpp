#include "committed.hpp"

#include <chrono>
#include <thread>

#include "log.hpp"
#include "strings.hpp"

namespace ck::verify {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kInFlight = 8;

void request(KafkaClient& client, const std::string& group,
             const std::vector<TopicPartition>& tps, int timeout_ms, rd_kafka_queue_t* queue) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(int(tps.size()));
  for (const auto& tp : tps) rd_kafka_topic_partition_list_add(list, tp.topic.c_str(), tp.partition);
  rd_kafka_AdminOptions_t* options =
      rd_kafka_AdminOptions_new(client.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
  char errstr[256];
  rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, errstr, sizeof errstr);
  if (rd_kafka_error_t* e = rd_kafka_AdminOptions_set_require_stable_offsets(options, 1))
    rd_kafka_error_destroy(e);
  rd_kafka_ListConsumerGroupOffsets_t* req = rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), list);
  rd_kafka_ListConsumerGroupOffsets(client.get(), &req, 1, options, queue);
  rd_kafka_ListConsumerGroupOffsets_destroy(req);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_topic_partition_list_destroy(list);
}

}  // namespace

bool fetch_committed(KafkaClient& client,
                     const std::map<std::string, std::vector<TopicPartition>>& wanted,
                     int timeout_ms, std::map<GroupPartition, int64_t>* committed,
                     std::string* err) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::vector<std::pair<std::string, std::vector<TopicPartition>>> todo(wanted.begin(),
                                                                        wanted.end());
  rd_kafka_queue_t* queue = rd_kafka_queue_new(client.get());
  bool ok = true;
  while (!todo.empty() && ok) {
    size_t n = std::min(kInFlight, todo.size());
    for (size_t i = 0; i < n; ++i) request(client, todo[i].first, todo[i].second, timeout_ms, queue);
    std::vector<std::pair<std::string, std::vector<TopicPartition>>> retry;
    for (size_t answered = 0; answered < n && ok;) {
      if (Clock::now() > deadline) {
        *err = client.failure(cat("listing committed offsets: no answer within ", timeout_ms, " ms"));
        ok = false;
        break;
      }
      rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, 200);
      if (!ev) continue;
      if (rd_kafka_event_type(ev) != RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT) {
        rd_kafka_event_destroy(ev);
        continue;
      }
      ++answered;
      if (rd_kafka_event_error(ev)) {
        *err = client.failure(cat("listing committed offsets: ", rd_kafka_event_error_string(ev)));
        ok = false;
      }
      size_t count = 0;
      const auto** groups = ok ? rd_kafka_ListConsumerGroupOffsets_result_groups(
                                     rd_kafka_event_ListConsumerGroupOffsets_result(ev), &count)
                               : nullptr;
      for (size_t g = 0; g < count && ok; ++g) {
        std::string group = rd_kafka_group_result_name(groups[g]);
        if (const rd_kafka_error_t* e = rd_kafka_group_result_error(groups[g])) {
          *err = client.failure(cat("group ", group, ": ", rd_kafka_error_string(e)));
          ok = false;
          break;
        }
        const auto* parts = rd_kafka_group_result_partitions(groups[g]);
        std::vector<TopicPartition> unstable;
        for (int k = 0; parts && k < parts->cnt; ++k) {
          const auto& p = parts->elems[k];
          if (p.err == RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT) {
            unstable.push_back({p.topic, p.partition});
          } else if (p.err) {
            *err = client.failure(cat("group ", group, " topic ", p.topic, " partition ",
                                      p.partition, ": ", rd_kafka_err2str(p.err)));
            ok = false;
          } else if (p.offset >= 0) {
            (*committed)[{group, {p.topic, p.partition}}] = p.offset;
          }
        }
        if (!unstable.empty()) retry.emplace_back(group, std::move(unstable));
      }
      rd_kafka_event_destroy(ev);
    }
    todo.erase(todo.begin(), todo.begin() + long(n));
    if (!retry.empty()) {
      log::debug(cat(retry.size(), " groups have transactional offsets pending; asking again"));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      todo.insert(todo.end(), retry.begin(), retry.end());
    }
  }
  rd_kafka_queue_destroy(queue);
  return ok;
}

}  // namespace ck::verify
