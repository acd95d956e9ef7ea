#include "kafka.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "kafka_detail.hpp"
#include "log.hpp"
#include "signals.hpp"
#include "strings.hpp"
#include "topic_batches.hpp"

namespace ck {

using detail::AdminCall;
using detail::append_error;
using detail::Clock;

// What librdkafka's callbacks reach from its own threads. An abandoned client (see
// KafkaClient::abandon) is gone while its threads still call them, so they read only this,
// which is then never freed: not the owner.
struct KafkaClient::State {
  KafkaClient* owner = nullptr;  // for the application's own callbacks (client_of)
  std::string role;
  mutable std::mutex mutex;
  std::string last_error;
  bool hopeless = false;
};

namespace {

void on_log(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  auto* state = static_cast<KafkaClient::State*>(rd_kafka_opaque(rk));
  std::string who = state ? state->role : "kafka";
  std::string line = cat(who, " cluster: librdkafka ", facility, ": ", text);
  // Connection failures (level 3) also reach the error callback, whose text the tool
  // puts into its one error line; repeating them here would only clutter cron mail.
  if (level <= 2)
    log::warn(line);
  else
    log::debug(line);
}

void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* state = static_cast<KafkaClient::State*>(opaque);
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    // "1/1 brokers are down" follows the real cause (auth, TLS): keep the cause.
    if (code != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || state->last_error.empty())
      state->last_error = reason;
    if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION || code == RD_KAFKA_RESP_ERR__SSL ||
        code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED ||
        code == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
        code == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED)
      state->hopeless = true;
  }
  log::debug(cat(state->role, " cluster: ",
                 rd_kafka_err2name(code), ": ", reason));
  (void)rk;
}

bool set_conf(rd_kafka_conf_t* conf, const std::string& key, const std::string& value,
              std::string* err) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) ==
      RD_KAFKA_CONF_OK)
    return true;
  // librdkafka's message may quote the value: never show a secret's.
  *err = is_secret_key(key) ? cat("invalid value for property \"", key, "\"")
                            : std::string(errstr);
  return false;
}

}  // namespace

namespace detail {

AdminCall::AdminCall(KafkaClient& client, rd_kafka_admin_op_t op, int timeout_ms)
    : client_(client),
      timeout_ms_(timeout_ms),
      options_(rd_kafka_AdminOptions_new(client.get(), op)),
      queue_(rd_kafka_queue_new(client.get())) {
  char errstr[256];
  rd_kafka_AdminOptions_set_request_timeout(options_.get(), timeout_ms, errstr, sizeof errstr);
}

EventPtr AdminCall::wait(rd_kafka_event_type_t type, const std::string& what,
                         std::string* err) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_ + 1000);
  while (Clock::now() < deadline) {
    EventPtr ev(rd_kafka_queue_poll(queue_.get(), 200));
    if (!ev || rd_kafka_event_type(ev.get()) != type) continue;
    if (rd_kafka_event_error(ev.get())) {
      *err = client_.failure(cat(what, " failed: ", rd_kafka_event_error_string(ev.get())));
      return nullptr;
    }
    return ev;
  }
  *err = client_.failure(cat(what, ": no answer within ", timeout_ms_, " ms"));
  return nullptr;
}

bool coordinator_settling(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR_NOT_COORDINATOR ||
         code == RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS ||
         code == RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE ||
         code == RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT;
}

void append_error(std::string* err, const std::string& text) {
  if (!err->empty()) *err += "; ";
  *err += text;
}

}  // namespace detail

std::unique_ptr<KafkaClient> KafkaClient::create(const ClusterConfig& cluster,
                                                 rd_kafka_type_t type,
                                                 const Settings& defaults,
                                                 const Settings& forced, std::string* err,
                                                 const Customize& customize) {
  std::unique_ptr<KafkaClient> client(new KafkaClient);
  client->cluster_ = cluster;
  client->state_ = std::make_unique<State>();
  client->state_->owner = client.get();
  client->state_->role = cluster.role;
  ConfPtr conf(rd_kafka_conf_new());
  std::string problem;
  bool ok = set_conf(conf.get(), "bootstrap.servers", cluster.brokers, &problem);
  for (const auto* layer : {&defaults, &cluster.settings, &forced}) {
    for (const auto& [key, value] : *layer) {
      if (!ok) break;
      if (key == "bootstrap.servers" || key == "metadata.broker.list") continue;
      ok = set_conf(conf.get(), key, value, &problem);
    }
  }
  if (ok) {
    set_conf(conf.get(), "bootstrap.servers", cluster.brokers, &problem);
    rd_kafka_conf_set_opaque(conf.get(), client->state_.get());
    rd_kafka_conf_set_log_cb(conf.get(), on_log);
    rd_kafka_conf_set_error_cb(conf.get(), on_error);
    if (customize) customize(conf.get());
    char errstr[512];
    client->rk_ = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
    // rd_kafka_new owns conf once it succeeds, and frees nothing when it fails.
    if (client->rk_) {
      conf.release();
      return client;
    }
    problem = errstr;
  }
  // Named as describe() names the cluster, so callers that prefix it do not double it.
  *err = cat(cluster.role, " cluster ", cluster.brokers, ": configuration: ", problem);
  return nullptr;
}

bool check_config(const ClusterConfig& cluster, std::string* err, rd_kafka_type_t type,
                  const Settings& forced) {
  return KafkaClient::create(cluster, type, {}, forced, err) != nullptr;
}

KafkaClient::~KafkaClient() {
  if (abandoned_) {
    (void)state_.release();  // its callbacks may still run until the process ends
    return;
  }
  if (rk_) rd_kafka_destroy(rk_);
}

KafkaClient* client_of(rd_kafka_t* rk) {
  auto* state = static_cast<KafkaClient::State*>(rd_kafka_opaque(rk));
  return state ? state->owner : nullptr;
}

ssize_t consume_ready(rd_kafka_queue_t* queue, int timeout_ms, rd_kafka_message_t** out,
                      size_t max) {
  if (max == 0) return 0;
  ssize_t n = rd_kafka_consume_batch_queue(queue, 0, out, max);
  if (n != 0) return n;
  rd_kafka_message_t* first = rd_kafka_consume_queue(queue, timeout_ms);
  if (!first) return 0;
  out[0] = first;
  ssize_t more = rd_kafka_consume_batch_queue(queue, 0, out + 1, max - 1);
  return 1 + std::max<ssize_t>(more, 0);
}

std::string KafkaClient::describe() const {
  return cat(cluster_.role, " cluster ", cluster_.brokers);
}

std::string KafkaClient::last_error() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->last_error;
}

bool KafkaClient::hopeless() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->hopeless;
}

std::string KafkaClient::failure(const std::string& what) const {
  std::string cause = last_error();
  return cause.empty() ? cat(describe(), ": ", what)
                       : cat(describe(), ": ", what, " (", cause, ")");
}

bool KafkaClient::wait_ready(int timeout_ms, std::string* err) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  rd_kafka_resp_err_t last = RD_KAFKA_RESP_ERR_NO_ERROR;
  while (Clock::now() < deadline) {
    const struct rd_kafka_metadata* md = nullptr;
    last = rd_kafka_metadata(rk_, 0, nullptr, &md, 500);
    MetadataPtr owned(md);
    if (last == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    rd_kafka_poll(rk_, 0);  // serves the error callback, which tells hopeless from slow
    if (hopeless()) break;  // bad credentials or certificate: no point in waiting
    if (signals::stop_requested()) {
      *err = cat(describe(), ": stopped by signal while waiting for the cluster");
      return false;
    }
  }
  *err = failure(hopeless() ? "cannot connect"
                            : cat("unreachable within ", timeout_ms, " ms"));
  return false;
}

bool fetch_partition_counts(KafkaClient& client, int timeout_ms,
                            std::map<std::string, int32_t>* counts, std::string* err) {
  const struct rd_kafka_metadata* md = nullptr;
  rd_kafka_resp_err_t code = rd_kafka_metadata(client.get(), 1, nullptr, &md, timeout_ms);
  MetadataPtr owned(md);
  if (code) {
    *err = client.failure(cat("metadata request failed: ", rd_kafka_err2str(code)));
    return false;
  }
  counts->clear();
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR) (*counts)[t.topic] = t.partition_cnt;
  }
  return true;
}

namespace {
// Errors a recovering or re-electing broker answers with for a while; the partition
// exists (callers checked metadata), so asking again until the deadline is right.
bool offsets_settling(rd_kafka_resp_err_t code) {
  switch (code) {
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
      return true;
    default:
      return false;
  }
}

// One slice of query_offsets, asked until its partitions settle or timeout_ms passed
// (*gave_up: the cluster did not settle; a partition's own error does not set it).
bool query_offsets_slice(KafkaClient& client, std::vector<TopicPartition> todo, int64_t which,
                         int timeout_ms, std::map<TopicPartition, int64_t>* offsets,
                         std::string* err, bool* gave_up) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool hard_failure = false;
  while (!todo.empty()) {
    PartitionList list = new_partition_list(todo.size());
    for (const auto& tp : todo) add_partition(list.get(), tp, which);
    int left_ms = int(std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - Clock::now()).count());
    // One ListOffsets request per partition leader, all in flight together.
    rd_kafka_resp_err_t code =
        rd_kafka_offsets_for_times(client.get(), list.get(), std::max(left_ms, 100));
    std::vector<TopicPartition> again;
    std::string failed;
    if (code) {
      again = todo;
      failed = cat("listing offsets failed: ", rd_kafka_err2str(code));
      if (!offsets_settling(code)) {
        append_error(err, client.failure(failed));
        *gave_up = true;
        return false;
      }
    }
    for (int i = 0; !code && i < list->cnt; ++i) {
      const auto& p = list->elems[i];
      if (!p.err) {
        (*offsets)[{p.topic, p.partition}] = p.offset;
        continue;
      }
      std::string what = cat(describe(p.topic, p.partition), ": ",
                             rd_kafka_err2str(p.err));
      if (!offsets_settling(p.err)) {
        append_error(err, what);  // the others are still collected
        hard_failure = true;
        continue;
      }
      again.push_back({p.topic, p.partition});
      if (failed.empty()) failed = what;
    }
    if (again.empty()) return !hard_failure;
    if (Clock::now() + std::chrono::milliseconds(200) >= deadline) {
      append_error(err, client.failure(cat("listing offsets: still failing after ", timeout_ms,
                                           " ms: ", failed)));
      *gave_up = true;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    todo = std::move(again);
  }
  return !hard_failure;
}

}  // namespace

// In slices (kOffsetsPerRequest), each given the whole timeout: 10,000 partitions of topics
// created a moment ago are answered slice by slice, and a slice still settling is asked
// again alone. A slice the cluster did not answer ends the query (the rest would wait as
// long); partitions failing for good are collected from every slice.
bool query_offsets(KafkaClient& client, const std::vector<TopicPartition>& partitions,
                   int64_t which, int timeout_ms,
                   std::map<TopicPartition, int64_t>* offsets, std::string* err) {
  bool ok = true;
  for (auto [begin, end] : slices(partitions.size(), kOffsetsPerRequest)) {
    bool gave_up = false;
    std::vector<TopicPartition> slice(partitions.begin() + long(begin),
                                      partitions.begin() + long(end));
    ok = query_offsets_slice(client, std::move(slice), which, timeout_ms, offsets, err,
                             &gave_up) && ok;
    if (gave_up) return false;
  }
  return ok;
}

bool describe_topic_configs(KafkaClient& client, const std::vector<std::string>& topics,
                            int timeout_ms,
                            std::map<std::string, std::map<std::string, std::string>>* out,
                            std::string* err) {
  if (topics.empty()) return true;
  ConfigResources resources;
  for (const auto& t : topics)
    resources.push_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, t.c_str()));
  AdminCall call(client, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout_ms);
  rd_kafka_DescribeConfigs(client.get(), resources.data(), resources.size(), call.options(),
                           call.queue());
  EventPtr ev(call.wait(RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, "describing topic configs", err));
  if (!ev) return false;
  size_t n = 0;
  const auto** described = rd_kafka_DescribeConfigs_result_resources(
      rd_kafka_event_DescribeConfigs_result(ev.get()), &n);
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    std::string topic = rd_kafka_ConfigResource_name(described[i]);
    if (rd_kafka_ConfigResource_error(described[i])) {
      append_error(err, cat("topic ", topic, ": ",
                            rd_kafka_ConfigResource_error_string(described[i])));
      ok = false;
      continue;
    }
    size_t m = 0;
    const auto** entries = rd_kafka_ConfigResource_configs(described[i], &m);
    auto& configs = (*out)[topic];
    for (size_t k = 0; k < m; ++k) {
      const char* value = rd_kafka_ConfigEntry_value(entries[k]);
      configs[rd_kafka_ConfigEntry_name(entries[k])] = value ? value : "";
    }
  }
  return ok;
}

namespace {

// One CreateTopics request for the topics at the given indexes.
bool create_topic_batch(KafkaClient& client, const std::vector<NewTopic>& topics,
                        const std::vector<size_t>& batch, int timeout_ms, bool ok_if_exists,
                        std::string* err) {
  std::vector<rd_kafka_NewTopic_t*> specs;
  char errstr[512];
  for (size_t i : batch) {
    const NewTopic& t = topics[i];
    rd_kafka_NewTopic_t* spec = rd_kafka_NewTopic_new(t.topic.c_str(), t.partitions,
                                                      t.replication_factor, errstr,
                                                      sizeof errstr);
    if (!spec) {
      rd_kafka_NewTopic_destroy_array(specs.data(), specs.size());
      *err = cat("topic ", t.topic, ": ", errstr);
      return false;
    }
    for (const auto& [key, value] : t.configs)
      rd_kafka_NewTopic_set_config(spec, key.c_str(), value.c_str());
    specs.push_back(spec);
  }
  AdminCall call(client, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_ms);
  rd_kafka_AdminOptions_set_operation_timeout(call.options(), timeout_ms, errstr, sizeof errstr);
  rd_kafka_CreateTopics(client.get(), specs.data(), specs.size(), call.options(), call.queue());
  rd_kafka_NewTopic_destroy_array(specs.data(), specs.size());
  EventPtr ev(call.wait(RD_KAFKA_EVENT_CREATETOPICS_RESULT, "creating topics", err));
  if (!ev) return false;
  size_t n = 0;
  const auto** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[i]);
    if (!code || (ok_if_exists && code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)) continue;
    const char* text = rd_kafka_topic_result_error_string(results[i]);
    append_error(err, cat("topic ", rd_kafka_topic_result_name(results[i]), ": ",
                          text ? text : rd_kafka_err2str(code)));
    ok = false;
  }
  return ok;
}

}  // namespace

// In batches a KRaft controller accepts (topic_batches.hpp), one after another within one
// deadline; every batch is sent even when an earlier one had a topic refused.
bool create_topics(KafkaClient& client, const std::vector<NewTopic>& topics, int timeout_ms,
                   bool ok_if_exists, std::string* err) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool ok = true;
  for (const auto& batch : batch_new_topics(topics)) {
    auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       deadline - Clock::now()).count();
    if (left_ms <= 0) {
      append_error(err, cat("creating topics: no time left after ", timeout_ms, " ms for ",
                            plural(int64_t(batch.size()), "more topic")));
      return false;
    }
    ok = create_topic_batch(client, topics, batch, int(left_ms), ok_if_exists, err) && ok;
  }
  return ok;
}

bool delete_records(KafkaClient& client, const std::map<TopicPartition, int64_t>& before,
                    int timeout_ms, std::string* err) {
  PartitionList list = new_partition_list(before.size());
  for (const auto& [tp, offset] : before) add_partition(list.get(), tp, offset);
  DeleteRecordsPtr request(rd_kafka_DeleteRecords_new(list.get()));
  AdminCall call(client, RD_KAFKA_ADMIN_OP_DELETERECORDS, timeout_ms);
  char errstr[256];
  rd_kafka_AdminOptions_set_operation_timeout(call.options(), timeout_ms, errstr, sizeof errstr);
  rd_kafka_DeleteRecords_t* requests[] = {request.get()};
  rd_kafka_DeleteRecords(client.get(), requests, 1, call.options(), call.queue());
  EventPtr ev(call.wait(RD_KAFKA_EVENT_DELETERECORDS_RESULT, "deleting records", err));
  if (!ev) return false;
  const auto* result =
      rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(ev.get()));
  bool ok = true;
  for (int i = 0; result && i < result->cnt; ++i) {
    const auto& p = result->elems[i];
    if (!p.err) continue;
    append_error(err, cat(describe(p.topic, p.partition), ": ",
                          rd_kafka_err2str(p.err)));
    ok = false;
  }
  return ok;
}

}  // namespace ck
