// librdkafka client setup and the cluster queries every tool shares. Every call
// takes a deadline; none blocks forever.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config.hpp"
#include "rdkafka_ptr.hpp"
#include "topic_partition.hpp"

namespace ck {

/// One librdkafka handle with its error bookkeeping. Settings are applied in
/// order: `defaults`, the cluster's own settings, then `forced` (semantics the
/// tool relies on, such as isolation.level, that the user must not change).
class KafkaClient {
 public:
  using Customize = std::function<void(rd_kafka_conf_t*)>;
  static std::unique_ptr<KafkaClient> create(const ClusterConfig& cluster,
                                             rd_kafka_type_t type,
                                             const Settings& defaults,
                                             const Settings& forced,
                                             std::string* err,
                                             const Customize& customize = nullptr);
  ~KafkaClient();
  KafkaClient(const KafkaClient&) = delete;
  KafkaClient& operator=(const KafkaClient&) = delete;

  rd_kafka_t* get() const { return rk_; }
  const ClusterConfig& cluster() const { return cluster_; }
  /// "source cluster 127.0.0.1:19092"
  std::string describe() const;
  /// The last error librdkafka reported on its own (transport, auth, SSL).
  std::string last_error() const;
  /// True once an authentication or SSL error was seen: waiting longer won't help.
  bool hopeless() const;
  /// Waits until a metadata request succeeds; err names the cluster and the cause.
  bool wait_ready(int timeout_ms, std::string* err);
  /// Error text for a failed wait: "<describe>: <what> (<last_error>)".
  std::string failure(const std::string& what) const;

  /// The handle is stuck inside a librdkafka call on another thread (see
  /// Transaction::call_bounded): it is never destroyed, as rd_kafka_destroy would wait for
  /// that call; the process's exit ends it.
  void abandon() { abandoned_ = true; }

  /// User pointer for callbacks installed through `customize` (rd_kafka_opaque is ours).
  void* user = nullptr;

  struct State;  // shared with the C callbacks

 private:
  KafkaClient() = default;
  rd_kafka_t* rk_ = nullptr;
  bool abandoned_ = false;
  ClusterConfig cluster_;
  std::unique_ptr<State> state_;
};

/// Builds (and drops) a client from the cluster's settings alone, connecting nowhere, so a
/// configuration error (unknown property, bad value, unsupported SASL mechanism) is found
/// while the command line is read: exit 2 rather than a runtime error after a wait.
/// err: "<role> cluster <brokers>: configuration: <librdkafka's words>".
/// `type` and `forced` as the tool will create it (a consumer by default).
bool check_config(const ClusterConfig& cluster, std::string* err,
                  rd_kafka_type_t type = RD_KAFKA_CONSUMER, const Settings& forced = {});

/// Returns the KafkaClient that owns rk (from a librdkafka callback).
KafkaClient* client_of(rd_kafka_t* rk);

/// Up to `max` messages from `queue`: waits up to timeout_ms for the first one only,
/// then takes what is already queued. rd_kafka_consume_batch_queue alone (librdkafka
/// 2.0.2) returns only with a full batch or at the timeout: the last messages of every
/// copy and scan waited out the whole timeout (100 or 200 ms). -1 on error.
ssize_t consume_ready(rd_kafka_queue_t* queue, int timeout_ms, rd_kafka_message_t** out,
                      size_t max);

/// Partition counts of every topic in the cluster (internal topics included,
/// flagged by name starting with "__").
bool fetch_partition_counts(KafkaClient& client, int timeout_ms,
                            std::map<std::string, int32_t>* counts, std::string* err);

/// Offsets for many partitions in batched ListOffsets requests (one per leader, in slices
/// of kOffsetsPerRequest partitions, each slice within timeout_ms).
/// which: RD_KAFKA_OFFSET_BEGINNING (log start) or RD_KAFKA_OFFSET_END (the end
/// offset under the client's isolation.level: last stable offset when read_committed).
/// Partitions that failed are left out of *offsets and named in *err (return false).
bool query_offsets(KafkaClient& client, const std::vector<TopicPartition>& partitions,
                   int64_t which, int timeout_ms,
                   std::map<TopicPartition, int64_t>* offsets, std::string* err);

struct GroupListing {
  std::string group;
  std::string state;  ///< "Stable", "Empty", "Dead", ...
  bool simple = false;
};

bool list_groups(KafkaClient& client, int timeout_ms, std::vector<GroupListing>* groups,
                 std::string* err);

struct GroupDescription {
  std::string group;
  std::string state;
  int members = 0;
  std::string error;  ///< per-group error, empty if described
};

/// Describes groups (state and member count), many per request.
bool describe_groups(KafkaClient& client, const std::vector<std::string>& groups,
                     int timeout_ms, std::vector<GroupDescription>* out, std::string* err);

/// A partition list of the offsets with their commit metadata (for a commit).
PartitionList committed_list(const std::vector<CommittedOffset>& offsets);

/// Committed offsets of many groups, keeping up to max_in_flight requests
/// outstanding (librdkafka 2.0.2 takes one group per ListConsumerGroupOffsets).
/// Groups that failed are named in *err and missing from *out.
bool list_group_offsets(KafkaClient& client, const std::vector<std::string>& groups,
                        int timeout_ms, int max_in_flight, bool require_stable,
                        std::map<std::string, std::vector<CommittedOffset>>* out,
                        std::string* err);

/// Forced settings of a consumer handle that may ask for committed offsets: a group id it
/// never joins (librdkafka 2.0.2 needs one there; see has_consumer_group in
/// group_offsets.cpp). A handle without them gets a reader of its own per call, a new
/// connection each time: two round trips more, 0.1 s on a link of 50 ms.
Settings offset_reader_settings();

/// Committed-offset requests kept in flight per cluster by ck-plan (its --concurrency
/// default) and ck-verify: list_group_offsets spreads them over 4 connections of 8, where
/// 8 in flight used 2 of 4 and left each coordinator's queue half used.
inline constexpr int kGroupOffsetRequestsInFlight = 32;

/// The same for the named partitions of each group (an empty list: all of them). With
/// require_stable, a partition whose offset a transaction commits is asked again until
/// the commit marker has arrived; a fetch of all partitions would leave it out silently.
bool list_group_partition_offsets(
    KafkaClient& client, const std::map<std::string, std::vector<TopicPartition>>& groups,
    int timeout_ms, int max_in_flight, bool require_stable,
    std::map<std::string, std::vector<CommittedOffset>>* out, std::string* err);

/// Topic configs as the broker reports them (defaults included).
bool describe_topic_configs(KafkaClient& client, const std::vector<std::string>& topics,
                            int timeout_ms,
                            std::map<std::string, std::map<std::string, std::string>>* out,
                            std::string* err);

/// Creates topics; an existing topic is an error unless ok_if_exists.
bool create_topics(KafkaClient& client, const std::vector<NewTopic>& topics, int timeout_ms,
                   bool ok_if_exists, std::string* err);

/// Deletes records below the given offsets (Kafka's DeleteRecords).
bool delete_records(KafkaClient& client, const std::map<TopicPartition, int64_t>& before,
                    int timeout_ms, std::string* err);

/// Commits offsets for a group outside any transaction (AlterConsumerGroupOffsets).
bool alter_group_offsets(KafkaClient& client, const std::string& group,
                         const std::vector<CommittedOffset>& offsets, int timeout_ms,
                         std::string* err);

}  // namespace ck
