// Checks made before anything is written: the records against the source as it is
// now, and the target topics against the source's. Pure: the facts are gathered by
// the copier, so the unit tests cover every rule without a broker.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "record_input.hpp"
#include "records.hpp"
#include "topic_partition.hpp"

namespace ck::copy {

/// Every record of the input and every line that was not a record.
struct PlanInput {
  std::vector<Record> records;
  std::vector<std::string> bad_lines;  ///< "<stdin>:N: ..." one per bad line
  InputError error = InputError::kNone;  ///< why the input was not read to its end
  std::string error_text;
};

/// Reads all records, collecting bad lines. Result fields of earlier copy and verify
/// runs are dropped so that a results file is accepted as a plan.
PlanInput as_plan(RecordInput& input);

/// Keeps only the records of shard index/count (count 0: all of them).
std::vector<Record> select_shard(std::vector<Record> records, int index, int count);

/// The source as it is now, for the partitions in the plan.
struct SourceFacts {
  std::map<std::string, int32_t> partition_counts;   ///< topics that exist
  std::map<TopicPartition, int64_t> log_start;       ///< current log start offsets
  std::map<TopicPartition, int64_t> stable_end;      ///< current last stable offsets
};

/// A record that must not be copied and why (one line: name:line: topic t partition p: ...).
struct Invalid {
  size_t index = 0;
  std::string error;
};

/// Topics of the copy records, for the fact-gathering queries.
std::vector<std::string> plan_topics(const std::vector<Record>& records);

/// Checks every record: the same partition twice, a missing topic, a partition
/// beyond the topic, a start below today's log start (expired since planning), an
/// end beyond the last stable offset. Skip records are only checked for duplicates.
std::vector<Invalid> check_records(const std::vector<Record>& records, const SourceFacts& facts);

/// Topic configs that matter for a faithful copy and are copied on --create-topics.
const std::vector<std::string>& copied_config_names();

/// What the target needs before the copy.
struct TargetVerdict {
  std::vector<NewTopic> to_create;
  std::map<std::string, std::string> refused;  ///< topic -> why
  std::vector<std::string> warnings;
};

/// What creating a topic means, for the dry run, the log and refusals: "with 3 partitions,
/// replication factor the broker's default, configs cleanup.policy=compact,retention.ms=-1".
std::string new_topic_text(const NewTopic& topic);

/// Compares each topic of the plan (with its source partition count and configs)
/// with the target's.
TargetVerdict check_target(
    const std::map<std::string, int32_t>& source_counts,
    const std::map<std::string, std::map<std::string, std::string>>& source_configs,
    const std::map<std::string, int32_t>& target_counts,
    const std::map<std::string, std::map<std::string, std::string>>& target_configs,
    bool create_topics, int replication_factor);

/// The partitions of topics just created that the target cannot serve yet. CreateTopics
/// is answered once the controller has recorded the topics; the broker then opens every
/// log (at 10,000 partitions, minutes on a busy machine) and publishes leaders in large
/// steps, ahead of the logs. A partition is ready once a ListOffsets is answered for it.
/// The waiting ones are asked a slice at a time in turn, so one slow partition does not
/// hide the progress of the others.
class CreatedPartitions {
 public:
  explicit CreatedPartitions(const std::vector<NewTopic>& created);
  /// The next up to `size` waiting partitions, continuing where the last slice ended.
  std::vector<TopicPartition> next_slice(size_t size);
  /// The partitions of `answered` are ready (an offset came back for each).
  void answered(const std::map<TopicPartition, int64_t>& answered);
  int64_t ready() const { return total_ - int64_t(waiting_.size()); }
  int64_t total() const { return total_; }
  bool all_ready() const { return waiting_.empty(); }
  /// "topic t partition p" of a waiting partition, for the error line; empty when none.
  std::string first_waiting() const;

 private:
  std::vector<TopicPartition> waiting_;
  size_t cursor_ = 0;
  int64_t total_ = 0;
};

/// True when a message of this timestamp would already be past the target's
/// retention.ms (text from the config; "-1" is infinite) at now_ms.
bool retention_hazard(const std::string& retention_ms, int64_t timestamp_ms, int64_t now_ms);

}  // namespace ck::copy
