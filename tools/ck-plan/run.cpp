#include "run.hpp"

#include "exit_codes.hpp"
#include "log.hpp"
#include "records.hpp"
#include "signals.hpp"
#include "strings.hpp"
#include "summary.hpp"

namespace ck::plan {

namespace {

std::vector<std::string> strings_of(const cxxopts::ParseResult& result, const char* name) {
  if (!result.count(name)) return {};
  return result[name].as<std::vector<std::string>>();
}

void warn_about_cluster(const Gathered& gathered) {
  for (const auto& [group, a] : gathered.busy_groups) {
    if (a.activity == Activity::active)
      log::warn(cat("group ", group, ": active members (", a.reason,
                    "): consumption has not stopped, its offsets may still move"));
    else
      log::warn(cat("group ", group, ": state unknown: ", a.reason,
                    "; treated as possibly active, its offsets may still move"));
  }
  if (gathered.share_groups_used)
    log::warn("the source has share groups (KIP-932; topic __share_group_state exists): "
              "they cannot be listed with librdkafka 2.0.2, so they are not planned, and "
              "their positions are not moved: on the target they start afresh");
  for (const auto& t : gathered.layout.vanished_topics)
    log::warn(cat("topic ", t, " has committed offsets but no longer exists "
                  "(or is not visible with these credentials)"));
  for (const auto& p : gathered.layout.vanished_partitions)
    log::warn(cat(p, ": committed offset on a partition the topic no longer has"));
}

}  // namespace

void add_plan_options(cxxopts::Options& options) {
  options.add_options("Planning")
      ("g,group", "plan for groups whose name fully matches REGEX (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "REGEX")
      ("exclude-group", "leave out groups whose name fully matches REGEX (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "REGEX")
      ("topic", "plan topics whose name fully matches REGEX (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "REGEX")
      ("exclude-topic", "leave out topics whose name fully matches REGEX (repeatable)",
       cxxopts::value<std::vector<std::string>>(), "REGEX")
      ("committed-only", "count only committed positions: skip partitions without a "
       "commit, ignore groups that did not commit on a partition")
      ("concurrency", "committed-offset requests in flight (1 to 1000), spread over up "
       "to 4 connections",
       cxxopts::value<int>()->default_value(std::to_string(kGroupOffsetRequestsInFlight)),
       "N");
}

bool read_plan_options(const cxxopts::ParseResult& result, RunOptions* out, std::string* err) {
  if (!out->gather.groups.set(strings_of(result, "group"), strings_of(result, "exclude-group"),
                              "group", err) ||
      !out->gather.topics.set(strings_of(result, "topic"), strings_of(result, "exclude-topic"),
                              "topic", err))
    return false;
  out->plan.committed_only = result.count("committed-only") > 0;
  out->gather.concurrency = result["concurrency"].as<int>();
  if (out->gather.concurrency < 1 || out->gather.concurrency > 1000) {
    *err = "option '--concurrency': expected a number between 1 and 1000";
    return false;
  }
  return true;
}

int run_plan(const CommonOptions& common, const RunOptions& options, std::ostream& out) {
  Gathered gathered;
  std::string err;
  if (!gather(common.source, options.gather, common.timeout_ms, &gathered, &err)) {
    if (signals::stop_requested()) return kExitSignalBase + signals::stop_signal();
    log::error(err);
    return kExitRuntime;
  }
  warn_about_cluster(gathered);
  std::vector<Record> records;
  records.reserve(gathered.layout.partitions.size());
  std::vector<std::string> warnings;
  for (const auto& state : gathered.layout.partitions) {
    records.push_back(plan_partition(state, options.plan, &warnings));
    out << to_json(records.back()) << '\n';
  }
  for (const auto& w : warnings) log::warn(w);
  log::raw(summarize(gathered.cluster, records, gathered.groups.size()));
  if (signals::stop_requested()) return kExitSignalBase + signals::stop_signal();
  return kExitOk;
}

}  // namespace ck::plan
