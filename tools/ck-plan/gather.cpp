#include "gather.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <mutex>

#include "kafka.hpp"
#include "log.hpp"
#include "strings.hpp"

namespace ck::plan {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Lists the groups (any state) and keeps those the filters select.
bool select_groups(KafkaClient& client, const NameFilter& filter, int timeout_ms,
                   std::vector<std::string>* out, std::string* err) {
  std::vector<GroupListing> listed;
  if (!list_groups(client, timeout_ms, &listed, err)) return false;
  for (const auto& g : listed)
    if (filter.selected(g.group)) out->push_back(g.group);
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return true;
}

// Groups that still have members: their consumers may commit while we plan.
bool find_active_groups(KafkaClient& client, const std::vector<std::string>& groups,
                        int timeout_ms, std::vector<std::string>* active, std::string* err) {
  std::vector<GroupDescription> described;
  if (!describe_groups(client, groups, timeout_ms, &described, err)) return false;
  for (const auto& d : described)
    if (d.error.empty() && d.members > 0)
      active->push_back(cat(d.group, " (", d.members, d.members == 1 ? " member, " : " members, ",
                            d.state, ")"));
  std::sort(active->begin(), active->end());
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

// Fills log start, last stable offset and high watermark, in batched requests.
bool fetch_partition_offsets(KafkaClient& committed, KafkaClient& uncommitted,
                             std::vector<PartitionState>* partitions, int timeout_ms,
                             std::string* err) {
  std::vector<TopicPartition> tps;
  tps.reserve(partitions->size());
  for (const auto& p : *partitions) tps.push_back({p.topic, p.partition});
  // The three lookups are independent: run them side by side (each is already one
  // request per broker). Only the end offset depends on the handle's isolation level.
  std::map<TopicPartition, int64_t> log_start, last_stable, high_watermark;
  std::string problems[3];
  auto lookup = [&](KafkaClient& client, int64_t which, std::map<TopicPartition, int64_t>* out,
                    std::string* problem) {
    return std::async(std::launch::async, [&client, &tps, which, timeout_ms, out, problem] {
      return query_offsets(client, tps, which, timeout_ms, out, problem);
    });
  };
  auto a = lookup(uncommitted, RD_KAFKA_OFFSET_BEGINNING, &log_start, &problems[0]);
  auto b = lookup(committed, RD_KAFKA_OFFSET_END, &last_stable, &problems[1]);
  auto c = lookup(uncommitted, RD_KAFKA_OFFSET_END, &high_watermark, &problems[2]);
  bool ok[3] = {a.get(), b.get(), c.get()};
  for (int i = 0; i < 3; ++i) {
    if (ok[i]) continue;
    const std::string& problem = problems[i];
    *err = problem.rfind(committed.describe(), 0) == 0
               ? problem
               : cat("listing partition offsets: ", problem);
    return false;
  }
  for (auto& p : *partitions) {
    TopicPartition tp{p.topic, p.partition};
    p.log_start = log_start.at(tp);
    p.last_stable = last_stable.at(tp);
    p.high_watermark = high_watermark.at(tp);
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

bool gather_steps(const ClusterConfig& source, const GatherOptions& options, int timeout_ms,
                  Gathered* out, std::string* err) {
  auto t0 = Clock::now();
  auto committed = connect(source, "read_committed", timeout_ms, err);
  if (!committed) return false;
  auto uncommitted = connect(source, "read_uncommitted", timeout_ms, err);
  if (!uncommitted) return false;
  out->cluster = committed->describe();
  log::debug(cat("connected in ", seconds_since(t0), " s"));

  if (!select_groups(*committed, options.groups, timeout_ms, &out->groups, err)) return false;
  if (!find_active_groups(*committed, out->groups, timeout_ms, &out->active_groups, err))
    return false;
  log::debug(cat(out->groups.size(), " groups listed and described at ", seconds_since(t0), " s"));

  GroupCommits commits;
  if (!fetch_commits(*committed, out->groups, options.concurrency, timeout_ms, &commits, err))
    return false;
  log::debug(cat("committed offsets read at ", seconds_since(t0), " s"));

  std::map<std::string, int32_t> counts;
  if (!fetch_partition_counts(*committed, timeout_ms, &counts, err)) return false;
  out->layout = lay_out(commits, counts, options.topics);
  if (!fetch_partition_offsets(*committed, *uncommitted, &out->layout.partitions, timeout_ms,
                               err))
    return false;
  log::debug(cat(out->layout.partitions.size(), " partitions' offsets read at ",
                 seconds_since(t0), " s"));
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
