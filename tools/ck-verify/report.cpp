#include "report.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <set>

#include "exit_codes.hpp"
#include "record_fields.hpp"
#include "strings.hpp"

namespace ck::verify {

namespace {

GroupCheckFields fields_of(const GroupCheck& g) {
  return {g.group,    g.expected,      g.committed,        g.remaining,
          to_string(g.verdict), g.position, g.claimed, g.source_offset,
          g.source_committed,   g.delta,    g.stale};
}

}  // namespace

Record verify_record(const PartitionResult& r) {
  Record out = *r.record;
  out.type = "verify";
  strip_stage(&out, Stage::kVerify);
  VerifyFields& v = out.verify;
  v.verdict = to_string(r.verdict);
  v.ok = r.ok();
  v.source_count = r.source_count;
  if (r.target_count >= 0) {
    v.target_count = r.target_count;
    v.target_range_start = r.target.start;
    v.target_range_end = r.target.end;
  }
  v.reason_missing = r.missing_reason;
  if (r.content) {
    v.source_digest = digest_hex(r.source_digest);
    v.target_digest = digest_hex(r.target_digest);
    v.has_difference = r.difference.has_value();
    if (r.difference)
      v.first_difference = {r.difference->position, r.difference->source_offset,
                            r.difference->target_offset};
  }
  for (const auto& g : r.groups) v.group_checks.push_back(fields_of(g));
  v.problems = describe_problems(r);
  if (r.behind) v.behind = r.behind->messages;
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

RunSummary summarize(const std::vector<PartitionResult>& results) {
  RunSummary s;
  for (const auto& r : results) {
    ++s.partitions;
    if (r.ok()) ++s.partitions_ok;
    s.problems += int64_t(describe_problems(r).size());
    if (r.source_count > 0) s.source_messages += r.source_count;
    if (r.target_count > 0) s.target_messages += r.target_count;
    for (const auto& g : r.groups) {
      ++s.groups;
      if (g.ok()) ++s.groups_ok;
    }
  }
  return s;
}

namespace {

// Samples of one metric, written under its HELP and TYPE lines.
class Metric {
 public:
  Metric(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}

  void sample(const std::vector<std::pair<const char*, std::string>>& labels, double value) {
    std::string line = name_;
    if (!labels.empty()) {
      line += '{';
      for (size_t i = 0; i < labels.size(); ++i) {
        if (i) line += ',';
        line += cat(labels[i].first, "=\"", escape_label_value(labels[i].second), "\"");
      }
      line += '}';
    }
    // A series may appear once: a partition repeated in the input keeps its first result.
    if (!seen_.insert(line).second) return;
    char number[64];
    std::snprintf(number, sizeof number, "%.17g", value);
    samples_ += cat(line, " ", number, "\n");
  }

  std::string text() const {
    return cat("# HELP ", name_, " ", help_, "\n# TYPE ", name_, " gauge\n", samples_);
  }

 private:
  std::string name_, help_, samples_;
  std::set<std::string> seen_;
};

}  // namespace

std::string render_prometheus(const std::vector<PartitionResult>& results, int exit_code,
                              double now_seconds, double duration_seconds) {
  Metric ok_metric("ck_verify_success",
                   "1 if the last verification found every partition and group in order");
  Metric in_progress("ck_verify_in_progress",
                     "1 if the copied part verified but a job still follows the source (exit 4)");
  Metric last_run("ck_verify_last_run_timestamp_seconds",
                  "Unix time the last verification finished");
  Metric duration("ck_verify_duration_seconds", "How long the last verification took");
  Metric total("ck_verify_partitions_total", "Partition records verified");
  Metric total_ok("ck_verify_partitions_ok", "Partition records that verified ok");
  Metric part_ok("ck_verify_partition_ok", "1 if the partition's data and groups verified ok");
  Metric source("ck_verify_messages_source", "Messages in the partition's source range");
  Metric target("ck_verify_messages_target", "Messages the target holds for the range");
  Metric group_ok("ck_verify_group_ok", "1 if the group's committed target offset is in order");
  Metric remaining("ck_verify_group_remaining",
                   "Migrated messages the group still has to read in the target");
  Metric delta("ck_verify_group_position_delta",
               "Messages the group's committed target offset is ahead of its position "
               "derived from the source (negative: behind)");
  Metric stale("ck_verify_group_stale",
               "1 if the group's committed source offset moved since the plan");
  Metric behind("ck_verify_behind_messages",
                "Messages of the source the target is behind by while the job follows");
  Metric behind_age("ck_verify_behind_seconds",
                    "Age of the oldest source message not copied yet while the job follows");
  RunSummary s = summarize(results);
  ok_metric.sample({}, exit_code == kExitOk ? 1 : 0);
  in_progress.sample({}, exit_code == kExitInProgress ? 1 : 0);
  last_run.sample({}, now_seconds);
  duration.sample({}, duration_seconds);
  total.sample({}, double(s.partitions));
  total_ok.sample({}, double(s.partitions_ok));
  for (const auto& r : results) {
    std::string partition = std::to_string(r.record->partition);
    std::vector<std::pair<const char*, std::string>> labels = {{"topic", r.record->topic},
                                                               {"partition", partition}};
    part_ok.sample(labels, r.ok() ? 1 : 0);
    if (r.source_count >= 0) source.sample(labels, double(r.source_count));
    if (r.target_count >= 0) target.sample(labels, double(r.target_count));
    if (r.behind) behind.sample(labels, double(r.behind->messages));
    if (r.behind) behind_age.sample(labels, std::max(0.0, r.behind->seconds));
    for (const auto& g : r.groups) {
      std::vector<std::pair<const char*, std::string>> glabels = {
          {"group", g.group}, {"topic", r.record->topic}, {"partition", partition}};
      group_ok.sample(glabels, g.ok() ? 1 : 0);
      if (g.remaining >= 0) remaining.sample(glabels, double(g.remaining));
      if (g.committed >= 0 && g.position >= 0) delta.sample(glabels, double(g.delta));
      stale.sample(glabels, g.stale ? 1 : 0);
    }
  }
  std::string out;
  for (const Metric* m : {&ok_metric, &in_progress, &last_run, &duration, &total, &total_ok,
                          &part_ok, &source, &target, &behind, &behind_age, &group_ok,
                          &remaining, &delta, &stale})
    out += m->text();
  return out;
}

bool write_file_atomically(const std::string& path, const std::string& text,
                           std::string* err) {
  std::string tmp = cat(path, ".tmp.", getpid());
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) {
    *err = cat("cannot write ", tmp, ": ", std::strerror(errno));
    return false;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    *err = cat("cannot write ", path, ": ", std::strerror(errno));
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace ck::verify
