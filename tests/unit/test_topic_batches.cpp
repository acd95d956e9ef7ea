#include <catch2/catch.hpp>

#include "topic_batches.hpp"

namespace {
ck::NewTopic topic(const char* name, int32_t partitions, size_t configs = 0) {
  ck::NewTopic t{name, partitions, -1, {}};
  for (size_t i = 0; i < configs; ++i) t.configs["c" + std::to_string(i)] = "v";
  return t;
}
}  // namespace

TEST_CASE("create_records: one for the topic, one per partition and per config") {
  CHECK(ck::create_records(topic("a", 1)) == 2);
  CHECK(ck::create_records(topic("a", 100, 3)) == 104);
  CHECK(ck::create_records(topic("a", -1)) == 2);  // the broker's default partition count
}

TEST_CASE("batch_new_topics: 100 topics of 100 partitions fit 5000 records per request") {
  std::vector<ck::NewTopic> topics;
  for (int i = 0; i < 100; ++i) topics.push_back(topic("t", 100, 1));
  auto batches = ck::batch_new_topics(topics);
  REQUIRE(batches.size() == 3);  // 102 records a topic: 49, 49, 2
  CHECK(batches[0].size() == 49);
  CHECK(batches[1].size() == 49);
  CHECK(batches[2].size() == 2);
  size_t next = 0;
  for (const auto& b : batches)
    for (size_t i : b) CHECK(i == next++);
  CHECK(next == 100);
}

TEST_CASE("batch_new_topics: a topic larger than the limit goes alone, none is empty") {
  std::vector<ck::NewTopic> topics{topic("small", 10), topic("huge", 20000), topic("s2", 10)};
  auto batches = ck::batch_new_topics(topics, 5000);
  REQUIRE(batches.size() == 3);
  CHECK(batches[0] == std::vector<size_t>{0});
  CHECK(batches[1] == std::vector<size_t>{1});
  CHECK(batches[2] == std::vector<size_t>{2});
  CHECK(ck::batch_new_topics({}, 5000).empty());
}

TEST_CASE("batch_new_topics: exactly the limit fills one request") {
  std::vector<ck::NewTopic> topics{topic("a", 49), topic("b", 49)};  // 50 + 50 records
  CHECK(ck::batch_new_topics(topics, 100).size() == 1);
  CHECK(ck::batch_new_topics(topics, 99).size() == 2);
}

TEST_CASE("slices: 10,000 offsets in ten requests of 1,000, the last one shorter") {
  auto s = ck::slices(10000, ck::kOffsetsPerRequest);
  REQUIRE(s.size() == 10);
  CHECK(s.front() == std::pair<size_t, size_t>{0, 1000});
  CHECK(s.back() == std::pair<size_t, size_t>{9000, 10000});
  auto odd = ck::slices(2501, 1000);
  REQUIRE(odd.size() == 3);
  CHECK(odd[2] == std::pair<size_t, size_t>{2000, 2501});
  CHECK(ck::slices(0, 1000).empty());
  CHECK(ck::slices(3, 0).size() == 3);  // size 0 counts as 1
}
