// The planning rules of ck-plan (man ck-plan(1)), kept apart from Kafka I/O so the
// unit tests cover them without a broker.
#pragma once

#include <cstdint>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "records.hpp"

namespace ck::plan {

struct PlanOptions {
  /// Count only committed positions: partitions without any commit are skipped
  /// and groups without a commit on a partition do not pull its start back.
  bool committed_only = false;
};

/// What the cluster said about one partition, and who committed on it.
struct PartitionState {
  std::string topic;
  int32_t partition = 0;
  int32_t partitions = -1;        ///< the topic's partition count
  int64_t log_start = -1;         ///< first offset still in the log
  int64_t last_stable = -1;       ///< end offset for read_committed readers
  int64_t high_watermark = -1;    ///< end offset for read_uncommitted readers
  std::vector<GroupOffset> commits;      ///< groups that committed here, by name
  std::vector<std::string> topic_groups; ///< groups that committed anywhere on the topic
};

/// Applies the rules to one partition. Problems that people should hear about
/// (a commit above the end offset) are appended to *warnings.
Record plan_partition(const PartitionState& state, const PlanOptions& options,
                      std::vector<std::string>* warnings);

/// Include/exclude filters: a name is selected when it fully matches some include
/// pattern (or there are none) and no exclude pattern.
class NameFilter {
 public:
  /// Compiles the patterns (ECMAScript); false with *err naming the bad pattern.
  bool set(const std::vector<std::string>& include, const std::vector<std::string>& exclude,
           const std::string& what, std::string* err);
  bool selected(const std::string& name) const;

 private:
  std::vector<std::regex> include_;
  std::vector<std::regex> exclude_;
};

/// Internal topics (__consumer_offsets, __transaction_state, ...) are never planned.
bool is_internal_topic(const std::string& topic);

/// Committed offsets as gathered: group -> (topic, partition) -> offset.
using GroupCommits = std::map<std::string, std::map<std::pair<std::string, int32_t>, int64_t>>;

/// The partitions to plan and what is missing from the cluster.
struct Layout {
  std::vector<PartitionState> partitions;  ///< sorted by topic, then partition; offsets unset
  std::set<std::string> vanished_topics;   ///< committed on, but not in the cluster
  std::vector<std::string> vanished_partitions;  ///< "topic t partition 7" beyond the count
  std::map<std::string, std::set<std::string>> topic_groups;  ///< groups per planned topic
};

/// Lays out every partition of every selected topic some selected group committed
/// on. partition_counts holds every topic of the cluster.
Layout lay_out(const GroupCommits& commits, const std::map<std::string, int32_t>& partition_counts,
               const NameFilter& topics);

}  // namespace ck::plan
