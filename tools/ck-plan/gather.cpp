#include "gather.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <mutex>

#include "group_observe.hpp"
#include "kafka.hpp"
#include "log.hpp"
#include "parallel.hpp"
#include "strings.hpp"

namespace ck::plan {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Lists the groups (any state) and keeps those the filters select; *listing: every group.
bool select_groups(KafkaClient& client, const NameFilter& filter, int timeout_ms,
                   std::vector<std::string>* out, std::vector<GroupListing>* listing,
                   std::string* err) {
  if (!list_groups(client, timeout_ms, listing, err)) return false;
  for (const auto& g : *listing)
    if (filter.selected(g.group)) out->push_back(g.group);
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return true;
}

// Groups whose consumers may still commit while we plan: active, or of unknown state.
bool find_busy_groups(KafkaClient& client, const std::vector<GroupListing>& listing,
                      const std::vector<std::string>& groups, int timeout_ms,
                      GroupActivities* busy, std::string* err) {
  GroupActivities all;
  if (!observe_group_activity(client, listing, groups, timeout_ms, &all, err)) return false;
  for (auto& [group, activity] : all)
    if (activity.possibly_consuming()) busy->emplace(group, std::move(activity));
  return true;
}

bool fetch_commits(KafkaClient& client, const std::vector<std::string>& groups,
                   int concurrency, int timeout_ms, GroupCommits* commits, std::string* err) {
  std::map<std::string, std::vector<CommittedOffset>> listed;
  // require_stable off: offsets pending in an open transaction would make the broker
  // answer "unstable" until it ends; the committed positions are what we plan from.
  if (!list_group_offsets(client, groups, timeout_ms, concurrency, false, &listed, err))
    return false;
  for (auto& [group, offsets] : listed) {
    auto& mine = (*commits)[group];
    for (const auto& c : offsets) mine[{c.tp.topic, c.tp.partition}] = c.offset;
  }
  return true;
}

// Log start, last stable offset and high watermark of a set of partitions.
struct PartitionOffsets {
  std::map<TopicPartition, int64_t> log_start, last_stable, high_watermark;
  std::string problems[3];
  bool ok[3] = {false, false, false};

  bool has(const TopicPartition& tp) const {
    return log_start.count(tp) && last_stable.count(tp) && high_watermark.count(tp);
  }
};

// rd_kafka_offsets_for_times (librdkafka 2.0) matches each answer to its request by a
// linear search of the list: quadratic, about 0.3 s of CPU for 5,000 partitions. Lists of
// kChunk partitions, a few in flight at once, keep it linear at the cost of a few more
// (concurrent) requests.
bool query_offsets_chunked(KafkaClient& client, const std::vector<TopicPartition>& tps,
                           int64_t which, int timeout_ms,
                           std::map<TopicPartition, int64_t>* out, std::string* problem) {
  const size_t kChunk = 256, kInFlight = 4;
  size_t chunks = (tps.size() + kChunk - 1) / kChunk;
  std::mutex mutex;
  return run_parallel(chunks, kInFlight, [&](size_t i) {
    std::vector<TopicPartition> part(tps.begin() + long(i * kChunk),
                                     tps.begin() + long(std::min(tps.size(), (i + 1) * kChunk)));
    std::map<TopicPartition, int64_t> found;
    std::string err;
    bool ok = query_offsets(client, part, which, timeout_ms, &found, &err);
    std::lock_guard<std::mutex> lock(mutex);
    out->merge(found);
    if (!err.empty()) *problem += (problem->empty() ? "" : "; ") + err;
    return ok;
  });
}

// The three lookups are independent: run them side by side. Only the end offset depends
// on the handle's isolation level.
void query_partition_offsets(KafkaClient& committed, KafkaClient& uncommitted,
                             const std::vector<TopicPartition>& tps, int timeout_ms,
                             PartitionOffsets* out) {
  auto lookup = [&](KafkaClient& client, int64_t which, std::map<TopicPartition, int64_t>* to,
                    std::string* problem) {
    return std::async(std::launch::async, [&client, &tps, which, timeout_ms, to, problem] {
      return query_offsets_chunked(client, tps, which, timeout_ms, to, problem);
    });
  };
  auto a = lookup(uncommitted, RD_KAFKA_OFFSET_BEGINNING, &out->log_start, &out->problems[0]);
  auto b = lookup(committed, RD_KAFKA_OFFSET_END, &out->last_stable, &out->problems[1]);
  auto c = lookup(uncommitted, RD_KAFKA_OFFSET_END, &out->high_watermark, &out->problems[2]);
  out->ok[0] = a.get();
  out->ok[1] = b.get();
  out->ok[2] = c.get();
}

// Fills log start, last stable offset and high watermark of the planned partitions.
// `early` holds the answers of the lookup started while the groups were still being read;
// only partitions it lacks (a failed or missing answer) are asked again, and only those
// errors count: a broken partition no group committed on does not fail the plan.
bool fetch_partition_offsets(KafkaClient& committed, KafkaClient& uncommitted,
                             const PartitionOffsets& early,
                             std::vector<PartitionState>* partitions, int timeout_ms,
                             std::string* err) {
  std::vector<TopicPartition> missing;
  for (const auto& p : *partitions) {
    TopicPartition tp{p.topic, p.partition};
    if (!early.has(tp)) missing.push_back(std::move(tp));
  }
  PartitionOffsets late;
  if (!missing.empty()) {
    log::debug(cat("asking again for the offsets of ", plural(int64_t(missing.size()), "partition")));
    query_partition_offsets(committed, uncommitted, missing, timeout_ms, &late);
    for (int i = 0; i < 3; ++i) {
      if (late.ok[i]) continue;
      const std::string& problem = late.problems[i];
      *err = problem.rfind(committed.describe(), 0) == 0
                 ? problem
                 : cat("listing partition offsets: ", problem);
      return false;
    }
  }
  for (auto& p : *partitions) {
    TopicPartition tp{p.topic, p.partition};
    const PartitionOffsets& from = early.has(tp) ? early : late;
    p.log_start = from.log_start.at(tp);
    p.last_stable = from.last_stable.at(tp);
    p.high_watermark = from.high_watermark.at(tp);
  }
  return true;
}

// librdkafka logs every failed connection attempt; waiting for the cluster is
// ck-plan's job and ends in one error line naming the cause, so these are debug.
// The last of them is kept to name the cause when the wait fails.
std::mutex g_log_mutex;
std::string g_last_failure;

void log_to_debug(const rd_kafka_t*, int level, const char* facility, const char* text) {
  if (level <= 3) {
    std::lock_guard<std::mutex> lock(g_log_mutex);
    g_last_failure = text;
  }
  log::debug(cat("source cluster: librdkafka ", facility, ": ", text));
}

// "...: unreachable within 3000 ms (127.0.0.1:1/bootstrap: Connect to ... refused ...)"
std::string with_last_failure(const std::string& err) {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  if (g_last_failure.empty() || err.find('(') != std::string::npos) return err;
  return cat(err, " (", g_last_failure, ")");
}

std::unique_ptr<KafkaClient> connect(const ClusterConfig& source, const char* isolation,
                                     int timeout_ms, std::string* err) {
  // A consumer handle: ListOffsets honours its isolation.level, the admin calls work on it.
  auto client = KafkaClient::create(source, RD_KAFKA_CONSUMER, {},
                                    {{"isolation.level", isolation}}, err,
                                    [](rd_kafka_conf_t* conf) {
                                      rd_kafka_conf_set_log_cb(conf, log_to_debug);
                                    });
  if (client && !client->wait_ready(timeout_ms, err)) {
    *err = with_last_failure(*err);
    client.reset();
  }
  return client;
}

// One line naming the cluster; a thousand failing groups are summed up, not listed.
std::string one_line(const std::string& cluster, const std::string& err) {
  const size_t kShown = 3;
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t at; (at = err.find("; ", from)) != std::string::npos; from = at + 2)
    parts.push_back(err.substr(from, at - from));
  parts.push_back(err.substr(from));
  std::string text;
  for (size_t i = 0; i < parts.size() && i < kShown; ++i) text += (i ? "; " : "") + parts[i];
  if (parts.size() > kShown) text += cat("; and ", parts.size() - kShown, " more errors");
  return text.rfind(cluster, 0) == 0 ? text : cat(cluster, ": ", text);
}

}  // namespace

namespace {

// Partitions the early offset lookup covers: every partition of the selected, non-internal
// topics. Above this many it is skipped (the planned partitions are then asked for after
// the groups are read), so a huge cluster with few committed topics is not scanned.
constexpr size_t kEarlyLookupMax = 200000;

// The round trips overlap wherever they do not depend on each other: both handles connect
// together; once the groups are listed, their description (active members), their
// committed offsets, and the metadata followed by the offsets of every candidate partition
// all run side by side. Only the planned partitions the early lookup lacks are asked for
// afterwards.
bool gather_steps(const ClusterConfig& source, const GatherOptions& options, int timeout_ms,
                  Gathered* out, std::string* err) {
  auto t0 = Clock::now();
  std::string uncommitted_err;
  auto connecting = std::async(std::launch::async, [&] {
    return connect(source, "read_uncommitted", timeout_ms, &uncommitted_err);
  });
  auto committed = connect(source, "read_committed", timeout_ms, err);
  auto uncommitted = connecting.get();
  if (!committed) return false;
  if (!uncommitted) return *err = uncommitted_err, false;
  out->cluster = committed->describe();
  log::debug(cat("connected in ", seconds_since(t0), " s"));

  std::vector<GroupListing> listing;
  if (!select_groups(*committed, options.groups, timeout_ms, &out->groups, &listing, err))
    return false;
  log::debug(cat(out->groups.size(), " groups selected of ", listing.size(), " listed at ",
                 seconds_since(t0), " s"));

  std::string describe_err;
  auto describing = std::async(std::launch::async, [&] {
    bool ok = find_busy_groups(*uncommitted, listing, out->groups, timeout_ms,
                               &out->busy_groups, &describe_err);
    log::debug(cat("groups described at ", seconds_since(t0), " s"));
    return ok;
  });
  std::map<std::string, int32_t> counts;
  std::string counts_err;
  PartitionOffsets early;
  auto early_lookup = std::async(std::launch::async, [&] {
    if (!fetch_partition_counts(*uncommitted, timeout_ms, &counts, &counts_err)) return false;
    log::debug(cat("metadata read at ", seconds_since(t0), " s"));
    std::vector<TopicPartition> tps;
    for (const auto& [topic, count] : counts)
      if (!is_internal_topic(topic) && options.topics.selected(topic))
        for (int32_t p = 0; p < count && tps.size() <= kEarlyLookupMax; ++p)
          tps.push_back({topic, p});
    if (tps.size() <= kEarlyLookupMax)
      query_partition_offsets(*committed, *uncommitted, tps, timeout_ms, &early);
    log::debug(cat("metadata and the offsets of ", plural(int64_t(tps.size()), "partition"),
                   " read at ", seconds_since(t0), " s"));
    return true;
  });
  GroupCommits commits;
  bool commits_ok =
      fetch_commits(*committed, out->groups, options.concurrency, timeout_ms, &commits, err);
  log::debug(cat("committed offsets read at ", seconds_since(t0), " s"));
  bool described = describing.get();
  bool counted = early_lookup.get();
  if (!commits_ok) return false;
  if (!described) return *err = describe_err, false;
  if (!counted) return *err = counts_err, false;

  // Share groups are invisible to ListGroups as librdkafka 2.0.2 sends it (version 4); the
  // topic their coordinator keeps their state in is the one trace of them.
  out->share_groups_used = counts.count("__share_group_state") > 0;
  out->layout = lay_out(commits, counts, options.topics);
  if (!fetch_partition_offsets(*committed, *uncommitted, early, &out->layout.partitions,
                               timeout_ms, err))
    return false;
  log::debug(cat("the offsets of ", plural(int64_t(out->layout.partitions.size()), "partition"),
                 " read at ", seconds_since(t0), " s"));
  return true;
}

}  // namespace

bool gather(const ClusterConfig& source, const GatherOptions& options, int timeout_ms,
            Gathered* out, std::string* err) {
  if (gather_steps(source, options, timeout_ms, out, err)) return true;
  *err = one_line(cat(source.role, " cluster ", source.brokers), *err);
  return false;
}

}  // namespace ck::plan
