// Consumer groups: listing, describing, reading and committing their offsets.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <thread>

#include "kafka.hpp"
#include "kafka_detail.hpp"
#include "parallel.hpp"
#include "retry.hpp"
#include "strings.hpp"

namespace ck {

using detail::AdminCall;
using detail::append_error;
using detail::Clock;
using detail::coordinator_settling;

PartitionList committed_list(const std::vector<CommittedOffset>& offsets) {
  PartitionList list = new_partition_list(offsets.size());
  for (const auto& c : offsets) {
    auto* p = add_partition(list.get(), c.tp, c.offset);
    if (c.metadata.empty()) continue;
    p->metadata = malloc(c.metadata.size());  // librdkafka frees it with the list
    std::memcpy(p->metadata, c.metadata.data(), c.metadata.size());
    p->metadata_size = c.metadata.size();
  }
  return list;
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

Settings offset_reader_settings() {
  return {{"group.id", "ck-migrate.offset-reader"}, {"enable.auto.commit", "false"}};
}

namespace {

using AskedGroup = std::pair<std::string, std::vector<TopicPartition>>;

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


// A handle that may send OffsetFetch (see has_consumer_group()). Its group is never
// joined: it only gives librdkafka the state it expects.
std::unique_ptr<KafkaClient> open_offset_reader(const ClusterConfig& cluster,
                                                std::string* err) {
  return KafkaClient::create(cluster, RD_KAFKA_CONSUMER, {}, offset_reader_settings(), err);
}

// Asks one handle for the groups' offsets, keeping up to max_in_flight requests
// outstanding; a group whose coordinator is settling is asked again shortly, within the
// one deadline.
class OffsetLister {
 public:
  OffsetLister(KafkaClient& asker, int timeout_ms, int max_in_flight, bool require_stable,
               std::map<std::string, std::vector<CommittedOffset>>* out, std::string* err)
      : asker_(asker), timeout_ms_(timeout_ms), max_in_flight_(max_in_flight),
        require_stable_(require_stable), queue_(rd_kafka_queue_new(asker.get())),
        out_(out), err_(err) {}

  bool run(const std::vector<const AskedGroup*>& groups) {
    for (const auto* g : groups) todo_.push_back({g, Clock::now()});
    // 10,000 groups take longer than one --timeout while the coordinator answers them
    // all: the deadline is for a silence, renewed with every group answered.
    StallWatch silence;
    const std::chrono::milliseconds patience(timeout_ms_ + 1000);
    while (done_ < groups.size()) {
      while (in_flight_ < max_in_flight_ && !todo_.empty() &&
             todo_.front().not_before <= Clock::now()) {
        send(*todo_.front().group);
        todo_.pop_front();
      }
      silence.observe(int64_t(done_), Clock::now());
      if (silence.stalled(Clock::now(), patience)) {
        append_error(err_, asker_.failure(cat("listing committed offsets: ",
                                              plural(int64_t(groups.size() - done_), "group"),
                                              " unanswered within ", timeout_ms_, " ms")));
        return false;
      }
      EventPtr ev(rd_kafka_queue_poll(queue_.get(), in_flight_ > 0 ? 200 : 20));
      if (ev && rd_kafka_event_type(ev.get()) == RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT)
        receive(ev.get());
    }
    return ok_;
  }

 private:
  struct Pending {
    const AskedGroup* group;  // into the caller's list; also each request's opaque
    Clock::time_point not_before;
  };

  void send(const AskedGroup& asked) {
    AdminOptionsPtr options(rd_kafka_AdminOptions_new(
        asker_.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS));
    char errstr[256];
    rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout_ms_, errstr, sizeof errstr);
    if (require_stable_)
      ErrorPtr(rd_kafka_AdminOptions_set_require_stable_offsets(options.get(), 1));
    // A failed request's event names no group: the opaque tells which one to ask again.
    rd_kafka_AdminOptions_set_opaque(options.get(), const_cast<AskedGroup*>(&asked));
    PartitionList named;
    if (!asked.second.empty()) {
      named = new_partition_list(asked.second.size());
      for (const auto& tp : asked.second) add_partition(named.get(), tp);
    }
    rd_kafka_ListConsumerGroupOffsets_t* request =
        rd_kafka_ListConsumerGroupOffsets_new(asked.first.c_str(), named.get());
    rd_kafka_ListConsumerGroupOffsets(asker_.get(), &request, 1, options.get(), queue_.get());
    rd_kafka_ListConsumerGroupOffsets_destroy(request);
    ++in_flight_;
  }

  void again(const AskedGroup* asked) {
    todo_.push_back({asked, Clock::now() + std::chrono::milliseconds(200)});
  }

  void receive(rd_kafka_event_t* ev) {
    --in_flight_;
    const auto* asked = static_cast<const AskedGroup*>(rd_kafka_event_opaque(ev));
    if (rd_kafka_event_error(ev)) {
      // A coordinator error of the whole response arrives as the event's error.
      if (asked && coordinator_settling(rd_kafka_event_error(ev))) return again(asked);
      ++done_;
      append_error(err_, asker_.failure(cat("listing committed offsets failed: ",
                                            rd_kafka_event_error_string(ev))));
      ok_ = false;
      return;
    }
    size_t n = 0;
    const auto** results = rd_kafka_ListConsumerGroupOffsets_result_groups(
        rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
    for (size_t i = 0; i < n; ++i) take(results[i], asked);
  }

  void take(const rd_kafka_group_result_t* result, const AskedGroup* asked) {
    std::string group = rd_kafka_group_result_name(result);
    const auto* parts = rd_kafka_group_result_partitions(result);
    const rd_kafka_error_t* error = rd_kafka_group_result_error(result);
    bool settling = error && coordinator_settling(rd_kafka_error_code(error));
    for (int k = 0; parts && k < parts->cnt; ++k)
      settling |= coordinator_settling(parts->elems[k].err);
    if (settling && asked) return again(asked);  // the deadline still bounds it
    ++done_;
    if (error) {
      append_error(err_, cat("group ", group, ": ", rd_kafka_error_string(error)));
      ok_ = false;
      return;
    }
    auto& offsets = (*out_)[group];
    for (int k = 0; parts && k < parts->cnt; ++k) {
      const auto& p = parts->elems[k];
      if (p.err) {
        append_error(err_, cat("group ", group, " ", describe(p.topic, p.partition), ": ",
                               rd_kafka_err2str(p.err)));
        ok_ = false;
        continue;
      }
      if (p.offset < 0) continue;  // no committed offset
      std::string metadata;
      if (p.metadata && p.metadata_size)
        metadata.assign(static_cast<const char*>(p.metadata), p.metadata_size);
      offsets.push_back({{p.topic, p.partition}, p.offset, std::move(metadata)});
    }
  }

  KafkaClient& asker_;
  const int timeout_ms_, max_in_flight_;
  const bool require_stable_;
  QueuePtr queue_;
  std::map<std::string, std::vector<CommittedOffset>>* out_;
  std::string* err_;
  std::deque<Pending> todo_;
  size_t done_ = 0;
  int in_flight_ = 0;
  bool ok_ = true;
};

bool list_offsets_on(KafkaClient& asker, const std::vector<const AskedGroup*>& groups,
                     int timeout_ms, int max_in_flight, bool require_stable,
                     std::map<std::string, std::vector<CommittedOffset>>* out,
                     std::string* err) {
  return OffsetLister(asker, timeout_ms, max_in_flight, require_stable, out, err).run(groups);
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

namespace {
// One AlterConsumerGroupOffsets round; *settling when only coordinator errors stood in the way.
bool alter_group_offsets_once(KafkaClient& client, const std::string& group,
                              const std::vector<CommittedOffset>& offsets, int timeout_ms,
                              bool* settling, std::string* err) {
  PartitionList list = committed_list(offsets);
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
