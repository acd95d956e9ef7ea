// Regression: ck-copy died with SIGSEGV (exit 139) reading its progress group on a freshly
// started target. librdkafka 2.0.2 handles a group-level NOT_COORDINATOR in an OffsetFetch
// answer by poking the handle's consumer group, which a producer or a consumer without
// group.id lacks (NULL dereference in its broker thread). A real single-node broker gives
// that answer only in a short window while __consumer_offsets loads, so the test uses
// librdkafka's built-in mock cluster, which can be told to answer with that error:
// the only deterministic way to reach the path.
#include <catch2/catch.hpp>

#include "kafka.hpp"
#include "mock_cluster.hpp"

using namespace ck;
using ck::test::MockCluster;

namespace {

constexpr int16_t kOffsetFetch = 9;  // Kafka ApiKey

void check_survives_coordinator_errors(rd_kafka_type_t type, const Settings& forced) {
  MockCluster mock;
  REQUIRE(mock.cluster);
  ClusterConfig target = mock.config("target");
  std::string err;
  auto client = KafkaClient::create(target, type, {}, forced, &err);
  REQUIRE(client);
  // Both coordinator errors that make librdkafka look for the coordinator again, then a
  // normal answer: the call retries through them and finds no committed offsets.
  rd_kafka_mock_push_request_errors(mock.cluster, kOffsetFetch, 2,
                                    RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
                                    RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE);
  std::map<std::string, std::vector<CommittedOffset>> out;
  CHECK(list_group_offsets(*client, {"ck-migrate.copy.job"}, 10000, 1, true, &out, &err));
  CHECK(err.empty());
  CHECK(out["ck-migrate.copy.job"].empty());
}

}  // namespace

TEST_CASE("list_group_offsets survives coordinator errors on a consumer without group.id",
          "[kafka][regress]") {
  check_survives_coordinator_errors(RD_KAFKA_CONSUMER, {{"isolation.level", "read_uncommitted"}});
}

TEST_CASE("list_group_offsets survives coordinator errors on a producer handle",
          "[kafka][regress]") {
  check_survives_coordinator_errors(RD_KAFKA_PRODUCER, {});
}

TEST_CASE("list_group_offsets retries coordinator errors on a consumer with a group",
          "[kafka][regress]") {
  check_survives_coordinator_errors(RD_KAFKA_CONSUMER, {{"group.id", "ck-migrate.reader"}});
}

TEST_CASE("group offsets spread over several connections: every group's own offsets",
          "[kafka]") {
  MockCluster mock;
  REQUIRE(mock.cluster);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "spread", 3, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  ClusterConfig source = mock.config("source");
  std::string err;
  auto client = KafkaClient::create(source, RD_KAFKA_CONSUMER, {}, {}, &err);
  REQUIRE(client);
  // 150 groups: above the 64 a connection takes, so 32 in flight use 3 connections.
  std::vector<std::string> groups;
  for (int g = 0; g < 150; ++g) {
    groups.push_back("spread-" + std::to_string(g));
    REQUIRE(alter_group_offsets(*client, groups.back(), {{{"spread", g % 3}, 1000 + g, ""}},
                                10000, &err));
  }
  // Named partitions: librdkafka's mock broker does not answer "all partitions".
  std::map<std::string, std::vector<TopicPartition>> asked;
  for (const auto& g : groups) asked[g] = {{"spread", 0}, {"spread", 1}, {"spread", 2}};
  for (int in_flight : {32, 1}) {
    std::map<std::string, std::vector<CommittedOffset>> out;
    err.clear();
    CHECK(list_group_partition_offsets(*client, asked, 10000, in_flight, false, &out, &err));
    CHECK(err.empty());
    REQUIRE(out.size() == groups.size());
    for (int g = 0; g < 150; ++g) {
      const auto& offsets = out[groups[size_t(g)]];
      REQUIRE(offsets.size() == 1);
      CHECK(offsets[0].tp.partition == g % 3);
      CHECK(offsets[0].offset == 1000 + g);
    }
  }
}
