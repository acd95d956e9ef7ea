#include "fetch_waker.hpp"

#include <map>
#include <set>

namespace ck {

FetchWaker::FetchWaker(KafkaClient& consumer, std::vector<TopicPartition> partitions,
                       std::chrono::milliseconds period)
    : consumer_(consumer), partitions_(std::move(partitions)), period_(period) {
  if (!partitions_.empty()) thread_ = std::thread([this] { run(); });
}

void FetchWaker::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
}

FetchWaker::~FetchWaker() {
  stop();
  if (thread_.joinable()) thread_.join();
}

long FetchWaker::wakeups() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return wakeups_;
}

std::vector<TopicPartition> FetchWaker::one_per_leader(
    KafkaClient& consumer, const std::vector<TopicPartition>& partitions, int timeout_ms) {
  std::set<std::string> topics;
  for (const auto& tp : partitions) topics.insert(tp.topic);
  std::map<TopicPartition, int32_t> leader_of;
  auto learn = [&](rd_kafka_topic_t* only) {
    const struct rd_kafka_metadata* md = nullptr;
    if (rd_kafka_metadata(consumer.get(), only ? 0 : 1, only, &md, timeout_ms) !=
        RD_KAFKA_RESP_ERR_NO_ERROR)
      return;
    for (int t = 0; t < md->topic_cnt; ++t) {
      if (!topics.count(md->topics[t].topic)) continue;
      for (int p = 0; p < md->topics[t].partition_cnt; ++p) {
        const auto& part = md->topics[t].partitions[p];
        if (part.leader >= 0) leader_of[{md->topics[t].topic, part.id}] = part.leader;
      }
    }
    rd_kafka_metadata_destroy(md);
  };
  const size_t kTopicByTopic = 16;  // above this, one request for all topics
  if (topics.size() > kTopicByTopic) {
    learn(nullptr);
  } else {
    for (const auto& topic : topics) {
      rd_kafka_topic_t* rkt = rd_kafka_topic_new(consumer.get(), topic.c_str(), nullptr);
      if (!rkt) continue;
      learn(rkt);
      rd_kafka_topic_destroy(rkt);
    }
  }
  std::map<int32_t, TopicPartition> chosen;
  for (const auto& tp : partitions) {
    auto leader = leader_of.find(tp);
    if (leader != leader_of.end()) chosen.emplace(leader->second, tp);
  }
  std::vector<TopicPartition> out;
  for (auto& [leader, tp] : chosen) out.push_back(std::move(tp));
  return out;
}

void FetchWaker::run() {
  using Clock = std::chrono::steady_clock;
  const auto kRefresh = std::chrono::seconds(30);
  const int kAskMs = 500;  // bounds the leader lookup and retries, not an answer under way
  std::vector<TopicPartition> targets;
  Clock::time_point looked_up;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    lock.unlock();
    if (targets.empty() || Clock::now() - looked_up > kRefresh) {
      auto found = one_per_leader(consumer_, partitions_, kAskMs);
      if (!found.empty()) targets = std::move(found);
      if (targets.empty()) targets = {partitions_.front()};  // still wakes its leader
      looked_up = Clock::now();
    }
    for (const auto& tp : targets) {
      int64_t low = 0, high = 0;  // the answer itself is not needed
      rd_kafka_query_watermark_offsets(consumer_.get(), tp.topic.c_str(), tp.partition, &low,
                                       &high, kAskMs);
    }
    lock.lock();
    wakeups_ += long(targets.size());
    stop_cv_.wait_for(lock, period_, [this] { return stop_; });
  }
}

}  // namespace ck
