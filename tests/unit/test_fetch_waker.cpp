#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "fetch_waker.hpp"
#include "mock_cluster.hpp"

using namespace ck;
using ck::test::MockCluster;

namespace {

// A consumer of the mock cluster; the test stops here if it cannot be made.
std::unique_ptr<KafkaClient> consumer_of(const MockCluster& mock) {
  std::string err;
  auto consumer = KafkaClient::create(mock.config("source"), RD_KAFKA_CONSUMER, {},
                                      {{"group.id", "ck-migrate.reader"}}, &err);
  INFO(err);
  REQUIRE(consumer);
  return consumer;
}

}  // namespace

TEST_CASE("FetchWaker picks one partition per leader", "[kafka]") {
  MockCluster mock(3);
  REQUIRE(mock.cluster);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "a", 6, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "b", 2, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  // Leaders: a/0..5 on brokers 1,2,3,1,2,3; b/0 and b/1 on broker 3.
  for (int p = 0; p < 6; ++p)
    REQUIRE(rd_kafka_mock_partition_set_leader(mock.cluster, "a", p, p % 3 + 1) == 0);
  for (int p = 0; p < 2; ++p)
    REQUIRE(rd_kafka_mock_partition_set_leader(mock.cluster, "b", p, 3) == 0);
  auto consumer = consumer_of(mock);

  auto chosen = FetchWaker::one_per_leader(*consumer, {{"a", 3}, {"a", 4}, {"b", 1}, {"a", 1}},
                                           5000);
  // a/3 (broker 1), a/4 and a/1 (broker 2: the first named wins), b/1 (broker 3).
  std::set<TopicPartition> got(chosen.begin(), chosen.end());
  CHECK(got == std::set<TopicPartition>{{"a", 3}, {"a", 4}, {"b", 1}});
  // A partition the cluster does not have is left out, not guessed.
  CHECK(FetchWaker::one_per_leader(*consumer, {{"a", 17}}, 5000).empty());
}

TEST_CASE("FetchWaker wakes every leader each period", "[kafka]") {
  MockCluster mock(2);
  REQUIRE(mock.cluster);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "a", 4, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  for (int p = 0; p < 4; ++p)
    REQUIRE(rd_kafka_mock_partition_set_leader(mock.cluster, "a", p, p % 2 + 1) == 0);
  auto consumer = consumer_of(mock);
  {
    FetchWaker waker(*consumer, {{"a", 0}, {"a", 1}, {"a", 2}, {"a", 3}},
                     std::chrono::milliseconds(10));
    // Two leaders: two wake-ups a round, one round each 10 ms (plus the round trips).
    for (int i = 0; i < 300 && waker.wakeups() < 10; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(waker.wakeups() >= 10);
    CHECK(waker.wakeups() % 2 == 0);  // both leaders, every round
  }  // the destructor stops and joins the thread before the consumer goes
}

TEST_CASE("FetchWaker sends nothing more once stopped", "[kafka]") {
  MockCluster mock(1);
  REQUIRE(mock.cluster);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "a", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  auto consumer = consumer_of(mock);
  FetchWaker waker(*consumer, {{"a", 0}}, std::chrono::milliseconds(5));
  for (int i = 0; i < 300 && waker.wakeups() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(waker.wakeups() >= 3);
  waker.stop();
  // A wake-up under way when stop() came may still be counted, then no more.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  long after_stop = waker.wakeups();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(waker.wakeups() == after_stop);
}

TEST_CASE("FetchWaker leaves a hung leader to the process's exit", "[kafka]") {
  MockCluster mock(1);
  REQUIRE(mock.cluster);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "a", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  auto consumer = consumer_of(mock);
  using Clock = std::chrono::steady_clock;
  Clock::time_point destroyed;
  {
    FetchWaker waker(*consumer, {{"a", 0}}, std::chrono::milliseconds(5));
    for (int i = 0; i < 300 && waker.wakeups() < 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(waker.wakeups() >= 1);
    // The leader now answers after 30 s: a wake-up is stuck inside librdkafka, which waits
    // for the answer whatever the query's timeout (a frozen broker, seen as ck-copy hanging
    // for 9 minutes when both clusters went away).
    REQUIRE(rd_kafka_mock_broker_set_rtt(mock.cluster, 1, 30000) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    destroyed = Clock::now();
  }  // the destructor waits kStopGrace at most, then abandons the thread and the consumer
  auto took = Clock::now() - destroyed;
  CHECK(took < FetchWaker::kStopGrace + std::chrono::seconds(1));
  CHECK(took >= FetchWaker::kStopGrace - std::chrono::milliseconds(300));
}
