// librdkafka's built-in mock cluster for unit tests of the librdkafka-facing code.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <string>

#include "config.hpp"

namespace ck::test {

struct MockCluster {
  rd_kafka_t* host = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  explicit MockCluster(int brokers = 1) {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "test.mock.num.brokers", std::to_string(brokers).c_str(), errstr,
                      sizeof errstr);
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);  // no "mock enabled" notice
    host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (host) cluster = rd_kafka_handle_mock_cluster(host);
  }
  ~MockCluster() {
    if (host) rd_kafka_destroy(host);
  }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  ClusterConfig config(const char* role) const {
    return ClusterConfig{role, rd_kafka_mock_cluster_bootstraps(cluster), {}, {}, {}};
  }
};

}  // namespace ck::test
