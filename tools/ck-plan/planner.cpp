#include "planner.hpp"

#include <algorithm>
#include <string_view>

#include "strings.hpp"

namespace ck::plan {

namespace {

// The groups of the topic that have no commit on this partition, sorted.
std::vector<std::string> groups_without_commit(const PartitionState& state) {
  std::vector<std::string_view> committed, topic(state.topic_groups.begin(),
                                                  state.topic_groups.end());
  for (const auto& c : state.commits) committed.push_back(c.group);
  std::sort(committed.begin(), committed.end());
  std::sort(topic.begin(), topic.end());
  topic.erase(std::unique(topic.begin(), topic.end()), topic.end());
  std::vector<std::string> missing;
  for (std::string_view g : topic)
    if (!std::binary_search(committed.begin(), committed.end(), g)) missing.emplace_back(g);
  return missing;
}

// Why a partition with nothing left to move is skipped.
std::string skip_reason(const Record& record, bool any_commit) {
  if (record.expired > 0) return "expired";
  if (!any_commit) return "empty";
  return "all consumed";
}

}  // namespace

Record plan_partition(const PartitionState& state, const PlanOptions& options,
                      std::vector<std::string>* warnings) {
  Record record;
  record.topic = state.topic;
  record.partition = state.partition;
  record.partitions = state.partitions;
  record.log_start = state.log_start;
  record.high_watermark = state.high_watermark;
  record.end = state.last_stable;
  record.groups = state.commits;
  std::sort(record.groups.begin(), record.groups.end(),
            [](const GroupOffset& a, const GroupOffset& b) { return a.group < b.group; });
  record.groups_without_commit = groups_without_commit(state);

  // A commit past the end offset can come from a read_uncommitted consumer inside an
  // open transaction, or from a topic that was recreated; nothing below it is unread.
  for (auto& g : record.groups) {
    if (g.offset > record.end) {
      warnings->push_back(cat(record.where(), ": group ", g.group, " committed offset ",
                              g.offset, " beyond the end offset ", record.end,
                              "; treated as ", record.end));
      g.offset = record.end;
    }
  }

  if (record.groups.empty() && options.committed_only) {
    record.start = record.log_start;
    record.action = "skip";
    record.reason = "no committed offset";
    return record;
  }

  int64_t smallest = record.log_start;
  if (!record.groups.empty()) {
    smallest = record.groups.front().offset;
    for (const auto& g : record.groups) smallest = std::min(smallest, g.offset);
  }
  record.start = smallest;
  // A group of the topic that never committed here has read nothing here: by default
  // its unread range begins at the log start (dropping it could not be undone).
  if (!options.committed_only && !record.groups_without_commit.empty())
    record.start = record.log_start;
  if (smallest < record.log_start) {
    record.expired = record.log_start - smallest;
    warnings->push_back(cat(record.where(), ": ", record.expired,
                            " unconsumed messages expired (committed offset ", smallest,
                            " is below the log start ", record.log_start, ")"));
  }
  record.start = std::max(record.start, record.log_start);
  if (record.high_watermark > record.end)
    warnings->push_back(cat(record.where(), ": open transaction: last stable offset ",
                            record.end, " is below the high watermark ",
                            record.high_watermark, "; messages above it are not planned"));

  if (record.start >= record.end) {
    record.action = "skip";
    record.reason = skip_reason(record, !record.groups.empty());
  }
  return record;
}

bool NameFilter::set(const std::vector<std::string>& include,
                     const std::vector<std::string>& exclude, const std::string& what,
                     std::string* err) {
  auto compile = [&](const std::vector<std::string>& patterns, const std::string& option,
                     std::vector<std::regex>* out) {
    for (const auto& p : patterns) {
      try {
        out->emplace_back(p, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        *err = cat("option '--", option, "': bad ", what, " pattern '", p, "': ", e.what());
        return false;
      }
    }
    return true;
  };
  include_.clear();
  exclude_.clear();
  return compile(include, what, &include_) && compile(exclude, "exclude-" + what, &exclude_);
}

bool NameFilter::selected(const std::string& name) const {
  auto matches = [&](const std::regex& re) { return std::regex_match(name, re); };
  if (!include_.empty() && std::none_of(include_.begin(), include_.end(), matches))
    return false;
  return std::none_of(exclude_.begin(), exclude_.end(), matches);
}

bool is_internal_topic(const std::string& topic) { return topic.rfind("__", 0) == 0; }

Layout lay_out(const GroupCommits& commits,
               const std::map<std::string, int32_t>& partition_counts,
               const NameFilter& topics) {
  Layout layout;
  // (topic, partition) -> commits; std::map keeps the output order stable.
  std::map<std::pair<std::string, int32_t>, std::vector<GroupOffset>> by_partition;
  for (const auto& [group, offsets] : commits) {
    for (const auto& [tp, offset] : offsets) {
      const auto& [topic, partition] = tp;
      if (is_internal_topic(topic) || !topics.selected(topic)) continue;
      auto count = partition_counts.find(topic);
      if (count == partition_counts.end()) {
        layout.vanished_topics.insert(topic);
        continue;
      }
      if (partition >= count->second) {
        layout.vanished_partitions.push_back(
            cat(describe(topic, partition), " (group ", group, ")"));
        continue;
      }
      layout.topic_groups[topic].insert(group);
      by_partition[tp].push_back({group, offset});
    }
  }
  for (const auto& [topic, groups] : layout.topic_groups) {
    int32_t count = partition_counts.at(topic);
    for (int32_t p = 0; p < count; ++p) {
      PartitionState state;
      state.topic = topic;
      state.partition = p;
      state.partitions = count;
      state.topic_groups.assign(groups.begin(), groups.end());
      auto found = by_partition.find({topic, p});
      if (found != by_partition.end()) state.commits = found->second;
      layout.partitions.push_back(std::move(state));
    }
  }
  return layout;
}

}  // namespace ck::plan
