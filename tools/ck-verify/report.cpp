#include "report.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "json_writer.hpp"
#include "strings.hpp"

namespace ck::verify {

namespace {

const char* const kFields[] = {"source_count", "target_count", "target_range", "verdict",
                               "ok",           "reason_missing", "source_digest",
                               "target_digest", "first_difference", "group_checks",
                               "problems"};

std::string json_of(int64_t n) { return JsonWriter().value(n).take(); }
std::string json_of(const std::string& s) { return JsonWriter().value(s).take(); }

void add(Record& r, const char* key, std::string json) { r.extra.emplace_back(key, std::move(json)); }

std::string group_checks_json(const std::vector<GroupCheck>& checks) {
  JsonWriter w;
  w.begin_array();
  for (const auto& g : checks) {
    w.begin_object().field("group", g.group).field("expected", g.expected);
    if (g.committed < 0) w.key("committed").null(); else w.field("committed", g.committed);
    if (g.remaining < 0) w.key("remaining").null(); else w.field("remaining", g.remaining);
    w.field("verdict", to_string(g.verdict)).end_object();
  }
  w.end_array();
  return w.take();
}

}  // namespace

Record verify_record(const PartitionResult& r) {
  Record out = *r.record;
  out.type = "verify";
  for (const char* key : kFields) out.erase_extra(key);
  if (r.source_count >= 0) add(out, "source_count", json_of(r.source_count));
  if (r.target_count >= 0) {
    add(out, "target_count", json_of(r.target_count));
    add(out, "target_range",
        JsonWriter().begin_array().value(r.target.start).value(r.target.end).end_array().take());
  }
  add(out, "verdict", json_of(std::string(to_string(r.verdict))));
  add(out, "ok", JsonWriter().value(r.ok()).take());
  if (!r.missing_reason.empty()) add(out, "reason_missing", json_of(r.missing_reason));
  if (r.content) {
    add(out, "source_digest", json_of(digest_hex(r.source_digest)));
    add(out, "target_digest", json_of(digest_hex(r.target_digest)));
    JsonWriter w;
    if (!r.difference) {
      w.null();
    } else {
      w.begin_object().field("position", r.difference->position);
      auto offset = [&](const char* key, int64_t v) {
        if (v < 0) w.key(key).null(); else w.field(key, v);
      };
      offset("source_offset", r.difference->source_offset);
      offset("target_offset", r.difference->target_offset);
      w.end_object();
    }
    add(out, "first_difference", w.take());
  }
  add(out, "group_checks", group_checks_json(r.groups));
  JsonWriter problems;
  problems.begin_array();
  for (const auto& line : describe_problems(r)) problems.value(line);
  problems.end_array();
  add(out, "problems", problems.take());
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

std::string render_prometheus(const std::vector<PartitionResult>& results, bool success,
                              double now_seconds, double duration_seconds) {
  RunSummary s = summarize(results);
  Metric ok_metric("ck_verify_success",
                   "1 if the last verification found every partition and group in order");
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
  ok_metric.sample({}, success && s.partitions_ok == s.partitions ? 1 : 0);
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
    for (const auto& g : r.groups) {
      std::vector<std::pair<const char*, std::string>> glabels = {
          {"group", g.group}, {"topic", r.record->topic}, {"partition", partition}};
      group_ok.sample(glabels, g.ok() ? 1 : 0);
      if (g.remaining >= 0) remaining.sample(glabels, double(g.remaining));
    }
  }
  std::string out;
  for (const Metric* m : {&ok_metric, &last_run, &duration, &total, &total_ok, &part_ok,
                          &source, &target, &group_ok, &remaining})
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
