#include "kafka.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <thread>

#include "log.hpp"
#include "parallel.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace ck {

struct KafkaClient::State {
  KafkaClient* owner = nullptr;
  mutable std::mutex mutex;
  std::string last_error;
  bool hopeless = false;
};

namespace {

using Clock = std::chrono::steady_clock;

void on_log(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  auto* state = static_cast<KafkaClient::State*>(rd_kafka_opaque(rk));
  std::string who = state && state->owner ? state->owner->cluster().role : "kafka";
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
  log::debug(cat(state->owner ? state->owner->cluster().role : "kafka", " cluster: ",
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

// Owns an admin options object, a private queue, and waits with a deadline.
class AdminCall {
 public:
  AdminCall(KafkaClient& client, rd_kafka_admin_op_t op, int timeout_ms)
      : client_(client), timeout_ms_(timeout_ms) {
    options_ = rd_kafka_AdminOptions_new(client.get(), op);
    char errstr[256];
    rd_kafka_AdminOptions_set_request_timeout(options_, timeout_ms, errstr, sizeof errstr);
    queue_ = rd_kafka_queue_new(client.get());
  }
  ~AdminCall() {
    rd_kafka_AdminOptions_destroy(options_);
    rd_kafka_queue_destroy(queue_);
  }
  rd_kafka_AdminOptions_t* options() { return options_; }
  rd_kafka_queue_t* queue() { return queue_; }

  /// Waits for the result event of the expected type; nullptr with *err on failure.
  rd_kafka_event_t* wait(rd_kafka_event_type_t type, const std::string& what,
                         std::string* err) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_ + 1000);
    while (Clock::now() < deadline) {
      rd_kafka_event_t* ev = rd_kafka_queue_poll(queue_, 200);
      if (!ev) continue;
      if (rd_kafka_event_type(ev) == type) {
        if (rd_kafka_event_error(ev)) {
          *err = client_.failure(cat(what, " failed: ", rd_kafka_event_error_string(ev)));
          rd_kafka_event_destroy(ev);
          return nullptr;
        }
        return ev;
      }
      rd_kafka_event_destroy(ev);
    }
    *err = client_.failure(cat(what, ": no answer within ", timeout_ms_, " ms"));
    return nullptr;
  }

 private:
  KafkaClient& client_;
  int timeout_ms_;
  rd_kafka_AdminOptions_t* options_;
  rd_kafka_queue_t* queue_;
};

struct EventDeleter {
  void operator()(rd_kafka_event_t* ev) const { rd_kafka_event_destroy(ev); }
};
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

struct ListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDeleter>;

// Coordinator errors that clear by themselves: a fresh cluster is still creating or
// loading __consumer_offsets, or the coordinator moved. Worth retrying until the deadline.
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

// librdkafka 2.0.2 answers a group-level NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE in
// an OffsetFetch (ListConsumerGroupOffsets) response by asking the handle's own consumer
// group to look for its coordinator again; a producer or a consumer without group.id has
// none, and its broker thread dereferences NULL (rdkafka_request.c, handle_OffsetFetch ->
// rd_kafka_cgrp_op). A freshly started cluster gives that answer while __consumer_offsets
// loads: ck-copy died with SIGSEGV reading its progress group. Only handles with a group
// may send the request.
bool has_consumer_group(KafkaClient& client) {
  size_t size = 0;
  return rd_kafka_type(client.get()) == RD_KAFKA_CONSUMER &&
         rd_kafka_conf_get(rd_kafka_conf(client.get()), "group.id", nullptr, &size) ==
             RD_KAFKA_CONF_OK &&
         size > 1;  // counts the terminating NUL
}

}  // namespace

std::unique_ptr<KafkaClient> KafkaClient::create(const ClusterConfig& cluster,
                                                 rd_kafka_type_t type,
                                                 const Settings& defaults,
                                                 const Settings& forced, std::string* err,
                                                 const Customize& customize) {
  std::unique_ptr<KafkaClient> client(new KafkaClient);
  client->cluster_ = cluster;
  client->state_ = std::make_unique<State>();
  client->state_->owner = client.get();
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::string problem;
  bool ok = set_conf(conf, "bootstrap.servers", cluster.brokers, &problem);
  for (const auto* layer : {&defaults, &cluster.settings, &forced}) {
    for (const auto& [key, value] : *layer) {
      if (!ok) break;
      if (key == "bootstrap.servers" || key == "metadata.broker.list") continue;
      ok = set_conf(conf, key, value, &problem);
    }
  }
  if (ok) {
    set_conf(conf, "bootstrap.servers", cluster.brokers, &problem);
    rd_kafka_conf_set_opaque(conf, client->state_.get());
    rd_kafka_conf_set_log_cb(conf, on_log);
    rd_kafka_conf_set_error_cb(conf, on_error);
    if (customize) customize(conf);
    char errstr[512];
    client->rk_ = rd_kafka_new(type, conf, errstr, sizeof errstr);
    if (client->rk_) return client;
    problem = errstr;  // rd_kafka_new freed nothing on failure: conf is still ours
  }
  rd_kafka_conf_destroy(conf);
  *err = cat(cluster.role, " cluster: configuration: ", problem);
  return nullptr;
}

bool check_config(const ClusterConfig& cluster, std::string* err) {
  return KafkaClient::create(cluster, RD_KAFKA_CONSUMER, {}, {}, err) != nullptr;
}

KafkaClient::~KafkaClient() {
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
    if (last == RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(md);
      return true;
    }
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
  if (code) {
    *err = client.failure(cat("metadata request failed: ", rd_kafka_err2str(code)));
    return false;
  }
  counts->clear();
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR) (*counts)[t.topic] = t.partition_cnt;
  }
  rd_kafka_metadata_destroy(md);
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
}  // namespace

bool query_offsets(KafkaClient& client, const std::vector<TopicPartition>& partitions,
                   int64_t which, int timeout_ms,
                   std::map<TopicPartition, int64_t>* offsets, std::string* err) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::vector<TopicPartition> todo = partitions;
  bool hard_failure = false;
  while (!todo.empty()) {
    PartitionList list(rd_kafka_topic_partition_list_new(int(todo.size())));
    for (const auto& tp : todo)
      rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset =
          which;
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
        *err = client.failure(failed);
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
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    todo = std::move(again);
  }
  return !hard_failure;
}

bool list_groups(KafkaClient& client, int timeout_ms, std::vector<GroupListing>* groups,
                 std::string* err) {
  AdminCall call(client, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeout_ms);
  rd_kafka_ListConsumerGroups(client.get(), call.options(), call.queue());
  EventPtr ev(call.wait(RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT, "listing groups", err));
  if (!ev) return false;
  const auto* result = rd_kafka_event_ListConsumerGroups_result(ev.get());
  size_t n = 0;
  const auto** errors = rd_kafka_ListConsumerGroups_result_errors(result, &n);
  if (n > 0) {
    *err = client.failure(cat("listing groups failed on a broker: ",
                              rd_kafka_error_string(errors[0])));
    return false;
  }
  const auto** valid = rd_kafka_ListConsumerGroups_result_valid(result, &n);
  for (size_t i = 0; i < n; ++i) {
    groups->push_back({rd_kafka_ConsumerGroupListing_group_id(valid[i]),
                       rd_kafka_consumer_group_state_name(
                           rd_kafka_ConsumerGroupListing_state(valid[i])),
                       rd_kafka_ConsumerGroupListing_is_simple_consumer_group(valid[i]) != 0});
  }
  return true;
}

bool describe_groups(KafkaClient& client, const std::vector<std::string>& groups,
                     int timeout_ms, std::vector<GroupDescription>* out, std::string* err) {
  const size_t kBatch = 200;
  for (size_t first = 0; first < groups.size(); first += kBatch) {
    std::vector<const char*> names;
    for (size_t i = first; i < std::min(groups.size(), first + kBatch); ++i)
      names.push_back(groups[i].c_str());
    AdminCall call(client, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout_ms);
    rd_kafka_DescribeConsumerGroups(client.get(), names.data(), names.size(),
                                    call.options(), call.queue());
    EventPtr ev(call.wait(RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT,
                          "describing groups", err));
    if (!ev) return false;
    size_t n = 0;
    const auto** described = rd_kafka_DescribeConsumerGroups_result_groups(
        rd_kafka_event_DescribeConsumerGroups_result(ev.get()), &n);
    for (size_t i = 0; i < n; ++i) {
      GroupDescription d;
      d.group = rd_kafka_ConsumerGroupDescription_group_id(described[i]);
      if (const rd_kafka_error_t* e = rd_kafka_ConsumerGroupDescription_error(described[i]))
        d.error = rd_kafka_error_string(e);
      d.state = rd_kafka_consumer_group_state_name(
          rd_kafka_ConsumerGroupDescription_state(described[i]));
      d.members = int(rd_kafka_ConsumerGroupDescription_member_count(described[i]));
      out->push_back(std::move(d));
    }
  }
  return true;
}

namespace {

using AskedGroup = std::pair<std::string, std::vector<TopicPartition>>;

// A handle that may send OffsetFetch (see has_consumer_group()). Its group is never
// joined: it only gives librdkafka the state it expects.
std::unique_ptr<KafkaClient> open_offset_reader(const ClusterConfig& cluster,
                                                std::string* err) {
  return KafkaClient::create(cluster, RD_KAFKA_CONSUMER, {},
                             {{"group.id", "ck-migrate.offset-reader"},
                              {"enable.auto.commit", "false"}},
                             err);
}

// Asks `asker` for the groups' offsets, keeping up to max_in_flight requests outstanding.
bool list_offsets_on(KafkaClient& asker, const std::vector<const AskedGroup*>& groups,
                     int timeout_ms, int max_in_flight, bool require_stable,
                     std::map<std::string, std::vector<CommittedOffset>>* out,
                     std::string* err) {
  rd_kafka_queue_t* queue = rd_kafka_queue_new(asker.get());
  struct Pending {
    const AskedGroup* group;  // into the caller's list; also each request's opaque
    Clock::time_point not_before;
  };
  std::deque<Pending> todo;
  for (const auto* g : groups) todo.push_back({g, Clock::now()});
  size_t done = 0;
  int in_flight = 0;
  bool ok = true;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms + 1000);
  while (done < groups.size()) {
    while (in_flight < max_in_flight && !todo.empty() && todo.front().not_before <= Clock::now()) {
      rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(
          asker.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
      char errstr[256];
      rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, errstr, sizeof errstr);
      if (require_stable)
        if (rd_kafka_error_t* e = rd_kafka_AdminOptions_set_require_stable_offsets(options, 1))
          rd_kafka_error_destroy(e);
      // A failed request's event names no group: the opaque tells which one to ask again.
      const AskedGroup& asked = *todo.front().group;
      rd_kafka_AdminOptions_set_opaque(options, const_cast<AskedGroup*>(&asked));
      PartitionList named;
      if (!asked.second.empty()) {
        named.reset(rd_kafka_topic_partition_list_new(int(asked.second.size())));
        for (const auto& tp : asked.second)
          rd_kafka_topic_partition_list_add(named.get(), tp.topic.c_str(), tp.partition);
      }
      rd_kafka_ListConsumerGroupOffsets_t* request =
          rd_kafka_ListConsumerGroupOffsets_new(asked.first.c_str(), named.get());
      rd_kafka_ListConsumerGroupOffsets(asker.get(), &request, 1, options, queue);
      rd_kafka_ListConsumerGroupOffsets_destroy(request);
      rd_kafka_AdminOptions_destroy(options);
      todo.pop_front();
      ++in_flight;
    }
    if (Clock::now() > deadline) {
      append_error(err, asker.failure(cat("listing committed offsets: ",
                                           plural(int64_t(groups.size() - done), "group"),
                                           " unanswered within ", timeout_ms, " ms")));
      ok = false;
      break;
    }
    EventPtr ev(rd_kafka_queue_poll(queue, in_flight > 0 ? 200 : 20));
    if (!ev || rd_kafka_event_type(ev.get()) != RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT)
      continue;
    --in_flight;
    const auto* asked = static_cast<const AskedGroup*>(rd_kafka_event_opaque(ev.get()));
    if (rd_kafka_event_error(ev.get())) {
      // A coordinator error of the whole response arrives as the event's error.
      if (asked && coordinator_settling(rd_kafka_event_error(ev.get()))) {
        todo.push_back({asked, Clock::now() + std::chrono::milliseconds(200)});
        continue;
      }
      ++done;
      append_error(err, asker.failure(cat("listing committed offsets failed: ",
                                           rd_kafka_event_error_string(ev.get()))));
      ok = false;
      continue;
    }
    size_t n = 0;
    const auto** results = rd_kafka_ListConsumerGroupOffsets_result_groups(
        rd_kafka_event_ListConsumerGroupOffsets_result(ev.get()), &n);
    for (size_t i = 0; i < n; ++i) {
      std::string group = rd_kafka_group_result_name(results[i]);
      const auto* parts = rd_kafka_group_result_partitions(results[i]);
      bool settling = false;
      if (const rd_kafka_error_t* e = rd_kafka_group_result_error(results[i]))
        settling = coordinator_settling(rd_kafka_error_code(e));
      for (int k = 0; parts && k < parts->cnt; ++k)
        settling |= coordinator_settling(parts->elems[k].err);
      if (settling && asked) {  // ask again shortly; the deadline still bounds it
        todo.push_back({asked, Clock::now() + std::chrono::milliseconds(200)});
        continue;
      }
      ++done;
      if (const rd_kafka_error_t* e = rd_kafka_group_result_error(results[i])) {
        append_error(err, cat("group ", group, ": ", rd_kafka_error_string(e)));
        ok = false;
        continue;
      }
      auto& offsets = (*out)[group];
      for (int k = 0; parts && k < parts->cnt; ++k) {
        const auto& p = parts->elems[k];
        if (p.err) {
          append_error(err, cat("group ", group, " ", describe(p.topic, p.partition), ": ", rd_kafka_err2str(p.err)));
          ok = false;
          continue;
        }
        if (p.offset < 0) continue;  // no committed offset
        std::string metadata;
        if (p.metadata && p.metadata_size)
          metadata.assign(static_cast<const char*>(p.metadata), p.metadata_size);
        offsets.push_back({{p.topic, p.partition}, p.offset, std::move(metadata)});
      }
    }
  }
  rd_kafka_queue_destroy(queue);
  return ok;
}

// The shared body: each entry is a group and the partitions to ask (empty: all).
// A broker serves the requests of one connection one at a time, so a long list would
// queue up behind itself on each coordinator: it is spread over up to kReaders handles
// of its own (a thousand groups on one broker: 0.25 s on one connection, 0.16 s on four).
bool list_offsets_of_groups(KafkaClient& client, const std::vector<AskedGroup>& groups,
                            int timeout_ms, int max_in_flight, bool require_stable,
                            std::map<std::string, std::vector<CommittedOffset>>* out,
                            std::string* err) {
  const size_t kReaders = 4, kGroupsPerReader = 64, kInFlightPerReader = 4;
  if (groups.empty()) return true;
  size_t readers = std::min({kReaders, (groups.size() + kGroupsPerReader - 1) / kGroupsPerReader,
                             std::max<size_t>(1, size_t(max_in_flight) / kInFlightPerReader)});
  if (readers <= 1) {
    std::vector<const AskedGroup*> all;
    for (const auto& g : groups) all.push_back(&g);
    if (has_consumer_group(client))
      return list_offsets_on(client, all, timeout_ms, max_in_flight, require_stable, out, err);
    auto reader = open_offset_reader(client.cluster(), err);
    return reader &&
           list_offsets_on(*reader, all, timeout_ms, max_in_flight, require_stable, out, err);
  }
  std::vector<std::vector<const AskedGroup*>> slices(readers);
  for (size_t i = 0; i < groups.size(); ++i) slices[i % readers].push_back(&groups[i]);
  std::vector<std::map<std::string, std::vector<CommittedOffset>>> found(readers);
  std::vector<std::string> errors(readers);
  int in_flight = std::max(1, max_in_flight / int(readers));
  bool ok = run_parallel(readers, readers, [&](size_t r) {
    auto reader = open_offset_reader(client.cluster(), &errors[r]);
    return reader && list_offsets_on(*reader, slices[r], timeout_ms, in_flight,
                                     require_stable, &found[r], &errors[r]);
  });
  for (size_t r = 0; r < readers; ++r) {
    for (auto& [group, offsets] : found[r]) (*out)[group] = std::move(offsets);
    if (!errors[r].empty()) append_error(err, errors[r]);
  }
  return ok;
}

}  // namespace

bool list_group_offsets(KafkaClient& client, const std::vector<std::string>& groups,
                        int timeout_ms, int max_in_flight, bool require_stable,
                        std::map<std::string, std::vector<CommittedOffset>>* out,
                        std::string* err) {
  std::vector<std::pair<std::string, std::vector<TopicPartition>>> asked;
  for (const auto& g : groups) asked.push_back({g, {}});
  return list_offsets_of_groups(client, asked, timeout_ms, max_in_flight, require_stable, out,
                                err);
}

bool list_group_partition_offsets(
    KafkaClient& client, const std::map<std::string, std::vector<TopicPartition>>& groups,
    int timeout_ms, int max_in_flight, bool require_stable,
    std::map<std::string, std::vector<CommittedOffset>>* out, std::string* err) {
  std::vector<std::pair<std::string, std::vector<TopicPartition>>> asked(groups.begin(),
                                                                         groups.end());
  return list_offsets_of_groups(client, asked, timeout_ms, max_in_flight, require_stable, out,
                                err);
}

bool describe_topic_configs(KafkaClient& client, const std::vector<std::string>& topics,
                            int timeout_ms,
                            std::map<std::string, std::map<std::string, std::string>>* out,
                            std::string* err) {
  if (topics.empty()) return true;
  std::vector<rd_kafka_ConfigResource_t*> resources;
  for (const auto& t : topics)
    resources.push_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, t.c_str()));
  AdminCall call(client, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout_ms);
  rd_kafka_DescribeConfigs(client.get(), resources.data(), resources.size(), call.options(),
                           call.queue());
  rd_kafka_ConfigResource_destroy_array(resources.data(), resources.size());
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

bool create_topics(KafkaClient& client, const std::vector<NewTopic>& topics, int timeout_ms,
                   bool ok_if_exists, std::string* err) {
  if (topics.empty()) return true;
  std::vector<rd_kafka_NewTopic_t*> specs;
  char errstr[512];
  for (const auto& t : topics) {
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

bool delete_records(KafkaClient& client, const std::map<TopicPartition, int64_t>& before,
                    int timeout_ms, std::string* err) {
  PartitionList list(rd_kafka_topic_partition_list_new(int(before.size())));
  for (const auto& [tp, offset] : before)
    rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset =
        offset;
  rd_kafka_DeleteRecords_t* request = rd_kafka_DeleteRecords_new(list.get());
  AdminCall call(client, RD_KAFKA_ADMIN_OP_DELETERECORDS, timeout_ms);
  char errstr[256];
  rd_kafka_AdminOptions_set_operation_timeout(call.options(), timeout_ms, errstr, sizeof errstr);
  rd_kafka_DeleteRecords(client.get(), &request, 1, call.options(), call.queue());
  rd_kafka_DeleteRecords_destroy(request);
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

namespace {
// One AlterConsumerGroupOffsets round; *settling when only coordinator errors stood in the way.
bool alter_group_offsets_once(KafkaClient& client, const std::string& group,
                              const std::vector<CommittedOffset>& offsets, int timeout_ms,
                              bool* settling, std::string* err) {
  PartitionList list(rd_kafka_topic_partition_list_new(int(offsets.size())));
  for (const auto& c : offsets) {
    auto* p = rd_kafka_topic_partition_list_add(list.get(), c.tp.topic.c_str(), c.tp.partition);
    p->offset = c.offset;
    if (!c.metadata.empty()) {
      p->metadata = malloc(c.metadata.size());
      std::memcpy(p->metadata, c.metadata.data(), c.metadata.size());
      p->metadata_size = c.metadata.size();
    }
  }
  rd_kafka_AlterConsumerGroupOffsets_t* request =
      rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), list.get());
  AdminCall call(client, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, timeout_ms);
  rd_kafka_AlterConsumerGroupOffsets(client.get(), &request, 1, call.options(), call.queue());
  rd_kafka_AlterConsumerGroupOffsets_destroy(request);
  EventPtr ev(call.wait(RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT,
                        cat("committing offsets for group ", group), err));
  if (!ev) return false;
  size_t n = 0;
  const auto** results = rd_kafka_AlterConsumerGroupOffsets_result_groups(
      rd_kafka_event_AlterConsumerGroupOffsets_result(ev.get()), &n);
  bool ok = true;
  *settling = false;
  for (size_t i = 0; i < n; ++i) {
    if (const rd_kafka_error_t* e = rd_kafka_group_result_error(results[i])) {
      *settling |= coordinator_settling(rd_kafka_error_code(e));
      append_error(err, cat("group ", group, ": ", rd_kafka_error_string(e)));
      ok = false;
    }
    const auto* parts = rd_kafka_group_result_partitions(results[i]);
    for (int k = 0; parts && k < parts->cnt; ++k) {
      if (!parts->elems[k].err) continue;
      *settling |= coordinator_settling(parts->elems[k].err);
      append_error(err, cat("group ", group, " ",
                            describe(parts->elems[k].topic, parts->elems[k].partition), ": ",
                            rd_kafka_err2str(parts->elems[k].err)));
      ok = false;
    }
  }
  return ok;
}

}  // namespace

bool alter_group_offsets(KafkaClient& client, const std::string& group,
                         const std::vector<CommittedOffset>& offsets, int timeout_ms,
                         std::string* err) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    bool settling = false;
    std::string attempt_err;
    if (alter_group_offsets_once(client, group, offsets, timeout_ms, &settling, &attempt_err))
      return true;
    if (!settling || Clock::now() + std::chrono::milliseconds(200) > deadline) {
      *err = attempt_err;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace ck
