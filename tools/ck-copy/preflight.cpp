#include "preflight.hpp"

#include <algorithm>
#include <set>

#include "record_fields.hpp"
#include "resume_state.hpp"
#include "strings.hpp"

namespace ck::copy {

PlanInput as_plan(RecordInput& input) {
  PlanInput plan;
  Record record;
  while (input.next(&record)) {
    // A results file is a plan plus fields: this run writes its own.
    strip_stage(&record, Stage::kCopy);
    strip_stage(&record, Stage::kVerify);
    plan.records.push_back(std::move(record));
  }
  plan.bad_lines = input.bad_lines();
  plan.error = input.error();
  plan.error_text = input.error_text();
  return plan;
}

std::vector<Record> select_shard(std::vector<Record> records, int index, int count) {
  if (count <= 0) return records;
  std::vector<Record> kept;
  for (auto& r : records)
    if (shard_of(r.topic, r.partition, count) == index) kept.push_back(std::move(r));
  return kept;
}

std::vector<std::string> plan_topics(const std::vector<Record>& records) {
  std::set<std::string> topics;
  for (const auto& r : records)
    if (r.to_copy()) topics.insert(r.topic);
  return {topics.begin(), topics.end()};
}

namespace {

std::string problem_with(const Record& r, const SourceFacts& facts) {
  auto count = facts.partition_counts.find(r.topic);
  if (count == facts.partition_counts.end()) return "topic does not exist in the source";
  if (r.partition >= count->second)
    return cat("the source topic has only ", plural(count->second, "partition"));
  TopicPartition tp{r.topic, r.partition};
  auto log_start = facts.log_start.find(tp);
  if (log_start != facts.log_start.end() && r.start < log_start->second)
    return cat("start ", r.start, " is below the source's log start ", log_start->second,
               ": ", log_start->second - r.start,
               " offsets expired since planning (plan again)");
  auto end = facts.stable_end.find(tp);
  if (end != facts.stable_end.end() && r.end > end->second)
    return cat("end ", r.end, " is beyond the source's last stable offset ", end->second,
               " (an open transaction, or the topic was recreated since planning)");
  return {};
}

}  // namespace

std::vector<Invalid> check_records(const std::vector<Record>& records, const SourceFacts& facts) {
  std::vector<Invalid> invalid;
  std::map<TopicPartition, int64_t> seen;  // -> line of first occurrence
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    std::string prefix = r.location() + ": ";
    auto [it, fresh] = seen.emplace(TopicPartition{r.topic, r.partition}, r.line);
    if (!fresh) {
      invalid.push_back({i, prefix + cat("the same partition is already on line ", it->second)});
      continue;
    }
    if (!r.to_copy()) continue;
    std::string problem = problem_with(r, facts);
    if (!problem.empty()) invalid.push_back({i, prefix + problem});
  }
  return invalid;
}

const std::vector<std::string>& copied_config_names() {
  static const std::vector<std::string> kNames = {
      "cleanup.policy",         "retention.ms",         "retention.bytes",
      "max.message.bytes",      "message.timestamp.type", "compression.type",
      "min.compaction.lag.ms",  "segment.bytes"};
  return kNames;
}

namespace {

const std::string* config_of(
    const std::map<std::string, std::map<std::string, std::string>>& configs,
    const std::string& topic, const std::string& name) {
  auto t = configs.find(topic);
  if (t == configs.end()) return nullptr;
  auto c = t->second.find(name);
  return c == t->second.end() ? nullptr : &c->second;
}

}  // namespace

TargetVerdict check_target(
    const std::map<std::string, int32_t>& source_counts,
    const std::map<std::string, std::map<std::string, std::string>>& source_configs,
    const std::map<std::string, int32_t>& target_counts,
    const std::map<std::string, std::map<std::string, std::string>>& target_configs,
    bool create_topics, int replication_factor) {
  TargetVerdict v;
  for (const auto& [topic, partitions] : source_counts) {
    auto target = target_counts.find(topic);
    if (target == target_counts.end()) {
      NewTopic t{topic, partitions, replication_factor, {}};
      for (const auto& name : copied_config_names())
        if (const std::string* value = config_of(source_configs, topic, name))
          t.configs[name] = *value;
      if (!create_topics)
        v.refused[topic] = cat("topic does not exist in the target (--create-topics would create it ",
                               new_topic_text(t), ")");
      else
        v.to_create.push_back(std::move(t));
      continue;
    }
    if (target->second != partitions) {
      v.refused[topic] = cat("the target topic has ", plural(target->second, "partition"),
                             ", the source's has ", partitions);
      continue;
    }
    const std::string* src_max = config_of(source_configs, topic, "max.message.bytes");
    const std::string* dst_max = config_of(target_configs, topic, "max.message.bytes");
    int64_t src_bytes = 0, dst_bytes = 0;
    if (src_max && dst_max && parse_int64(*src_max, &src_bytes) &&
        parse_int64(*dst_max, &dst_bytes) && dst_bytes < src_bytes)
      v.warnings.push_back(cat("topic ", topic, ": target max.message.bytes ", dst_bytes,
                               " is smaller than the source's ", src_bytes,
                               ": large messages may be refused"));
    const std::string* ts_type = config_of(target_configs, topic, "message.timestamp.type");
    if (ts_type && *ts_type == "LogAppendTime")
      v.warnings.push_back(cat("topic ", topic,
                               ": target message.timestamp.type is LogAppendTime: the "
                               "source timestamps will be replaced"));
  }
  return v;
}

std::string new_topic_text(const NewTopic& t) {
  std::string text = cat("with ", plural(t.partitions, "partition"), ", replication factor ",
                         t.replication_factor > 0 ? std::to_string(t.replication_factor)
                                                  : std::string("the broker's default"));
  if (t.configs.empty()) return text + ", no topic configs";
  text += ", configs ";
  bool first = true;
  for (const auto& [name, value] : t.configs) {
    text += cat(first ? "" : ",", name, "=", value);
    first = false;
  }
  return text;
}

bool retention_hazard(const std::string& retention_ms, int64_t timestamp_ms, int64_t now_ms) {
  int64_t retention = 0;
  if (!parse_int64(retention_ms, &retention) || retention < 0 || timestamp_ms < 0) return false;
  return now_ms - timestamp_ms > retention;
}

CreatedPartitions::CreatedPartitions(const std::vector<NewTopic>& created) {
  for (const auto& t : created)
    for (int32_t p = 0; p < std::max(t.partitions, int32_t{1}); ++p)
      waiting_.push_back({t.topic, p});
  total_ = int64_t(waiting_.size());
}

std::vector<TopicPartition> CreatedPartitions::next_slice(size_t size) {
  if (cursor_ >= waiting_.size()) cursor_ = 0;
  size_t end = std::min(waiting_.size(), cursor_ + std::max<size_t>(size, 1));
  std::vector<TopicPartition> slice(waiting_.begin() + long(cursor_), waiting_.begin() + long(end));
  cursor_ = end;
  return slice;
}

void CreatedPartitions::answered(const std::map<TopicPartition, int64_t>& answered) {
  size_t before = 0;
  std::vector<TopicPartition> still;
  for (size_t i = 0; i < waiting_.size(); ++i) {
    if (answered.count(waiting_[i])) {
      if (i < cursor_) ++before;
      continue;
    }
    still.push_back(std::move(waiting_[i]));
  }
  waiting_ = std::move(still);
  cursor_ -= std::min(cursor_, before);  // the cursor stays on the same next partition
}

std::string CreatedPartitions::first_waiting() const {
  return waiting_.empty() ? std::string() : describe(waiting_.front());
}

}  // namespace ck::copy
