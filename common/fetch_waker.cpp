#include "fetch_waker.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace ck {

struct FetchWaker::Shared {
  Shared(rd_kafka_t* rk, std::vector<TopicPartition> partitions, std::chrono::milliseconds period)
      : rk(rk), partitions(std::move(partitions)), period(period) {}
  rd_kafka_t* const rk;  // never destroyed while the thread runs: joined, or abandoned with it
  const std::vector<TopicPartition> partitions;
  const std::chrono::milliseconds period;
  std::mutex mutex;
  std::condition_variable changed;  // stop asked, or the thread finished
  bool stop = false;
  bool finished = false;
  long wakeups = 0;
};

FetchWaker::FetchWaker(KafkaClient& consumer, std::vector<TopicPartition> partitions,
                       std::chrono::milliseconds period)
    : consumer_(consumer),
      shared_(std::make_shared<Shared>(consumer.get(), std::move(partitions), period)) {
  if (shared_->partitions.empty()) {
    shared_->finished = true;
    return;
  }
  std::thread([s = shared_] {
    run(s);
    std::lock_guard<std::mutex> lock(s->mutex);
    s->finished = true;
    s->changed.notify_all();
  }).detach();
}

void FetchWaker::stop() {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  shared_->stop = true;
  shared_->changed.notify_all();
}

FetchWaker::~FetchWaker() {
  stop();
  std::unique_lock<std::mutex> lock(shared_->mutex);
  if (!shared_->changed.wait_for(lock, kStopGrace, [this] { return shared_->finished; })) {
    consumer_.abandon();
  }
}

long FetchWaker::wakeups() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->wakeups;
}

std::vector<TopicPartition> FetchWaker::one_per_leader(
    KafkaClient& consumer, const std::vector<TopicPartition>& partitions, int timeout_ms) {
  return one_per_leader(consumer.get(), partitions, timeout_ms);
}

std::vector<TopicPartition> FetchWaker::one_per_leader(
    rd_kafka_t* rk, const std::vector<TopicPartition>& partitions, int timeout_ms) {
  std::set<std::string> topics;
  for (const auto& tp : partitions) topics.insert(tp.topic);
  std::map<TopicPartition, int32_t> leader_of;
  auto learn = [&](rd_kafka_topic_t* only) {
    const struct rd_kafka_metadata* md = nullptr;
    if (rd_kafka_metadata(rk, only ? 0 : 1, only, &md, timeout_ms) !=
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
      rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
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

void FetchWaker::run(const std::shared_ptr<Shared>& s) {
  using Clock = std::chrono::steady_clock;
  const auto kRefresh = std::chrono::seconds(30);
  const int kAskMs = 500;  // bounds the leader lookup and retries, not an answer under way
  std::vector<TopicPartition> targets;
  Clock::time_point looked_up;
  auto stopping = [&] {
    std::lock_guard<std::mutex> lock(s->mutex);
    return s->stop;
  };
  while (!stopping()) {
    if (targets.empty() || Clock::now() - looked_up > kRefresh) {
      auto found = one_per_leader(s->rk, s->partitions, kAskMs);
      if (!found.empty()) targets = std::move(found);
      if (targets.empty()) targets = {s->partitions.front()};  // still wakes its leader
      looked_up = Clock::now();
    }
    long sent = 0;
    for (const auto& tp : targets) {
      if (stopping()) break;
      int64_t low = 0, high = 0;  // the answer itself is not needed
      rd_kafka_query_watermark_offsets(s->rk, tp.topic.c_str(), tp.partition, &low, &high,
                                       kAskMs);
      ++sent;
    }
    std::unique_lock<std::mutex> lock(s->mutex);
    s->wakeups += sent;
    s->changed.wait_for(lock, s->period, [&] { return s->stop; });
  }
}

}  // namespace ck
