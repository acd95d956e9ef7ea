#include "verifier.hpp"

#include <algorithm>
#include <cstdio>

#include "strings.hpp"

namespace ck::verify {

bool has_target_range(const Record& record) {
  const CopyFields& c = record.copy;
  return !c.status.empty() && c.target_start >= 0 && c.target_end >= 0;
}

bool is_skipped(const Record& record) {
  return record.action == "skip" || record.copy.status == "skipped";
}

std::string incomplete_copy_status(const Record& record) {
  const std::string& status = record.copy.status;
  if (status.empty() || status == "copied" || status == "skipped")
    return "";
  return record.copy.status;
}

Range target_range_for(const Record& record, int64_t target_log_start,
                       int64_t target_end_offset) {
  if (has_target_range(record)) return {record.copy.target_start, record.copy.target_end};
  // A copy that wrote nothing has no target range: nothing of it is in the target.
  if (!record.copy.status.empty() && record.copy.copied == 0 && record.copy.target_start < 0)
    return {0, 0};
  return {target_log_start, target_end_offset};
}

const char* to_string(DataVerdict verdict) {
  switch (verdict) {
    case DataVerdict::kOk: return "ok";
    case DataVerdict::kSkipped: return "skipped";
    case DataVerdict::kMismatch: return "mismatch";
    case DataVerdict::kMissing: return "missing";
    case DataVerdict::kNotCopied: return "not-copied";
    case DataVerdict::kSourceMissing: return "source-missing";
  }
  return "?";
}

bool is_ok(DataVerdict verdict) {
  return verdict == DataVerdict::kOk || verdict == DataVerdict::kSkipped;
}

std::optional<FirstDifference> first_difference(const std::vector<MessageHash>& source,
                                                const std::vector<MessageHash>& target,
                                                int64_t base_position) {
  size_t common = std::min(source.size(), target.size());
  size_t i = 0;
  while (i < common && source[i].hash == target[i].hash) ++i;
  if (i == common && source.size() == target.size()) return std::nullopt;
  FirstDifference d;
  d.position = base_position + int64_t(i);
  if (i < source.size()) d.source_offset = source[i].offset;
  if (i < target.size()) d.target_offset = target[i].offset;
  return d;
}

bool PartitionResult::ok() const {
  if (!is_ok(verdict)) return false;
  return std::all_of(groups.begin(), groups.end(), [](const GroupCheck& g) { return g.ok(); });
}

bool PartitionResult::in_progress() const {
  if (!behind) return false;
  return behind->messages > 0 ||
         std::any_of(groups.begin(), groups.end(), [](const GroupCheck& g) { return g.pending(); });
}

Outcome outcome_of(const std::vector<PartitionResult>& results) {
  Outcome out = Outcome::kOk;
  for (const auto& r : results) {
    if (!r.ok()) return Outcome::kFailed;
    if (r.in_progress()) out = Outcome::kInProgress;
  }
  return out;
}

DataVerdict judge_counts(int64_t source_count, int64_t target_count, bool content,
                         uint64_t source_digest, uint64_t target_digest) {
  if (source_count != target_count) return DataVerdict::kMismatch;
  if (content && source_digest != target_digest) return DataVerdict::kMismatch;
  return DataVerdict::kOk;
}

namespace {

std::string range_text(const Range& r) { return cat("[", r.start, ",", r.end, ")"); }

std::string offset_text(int64_t offset) {
  return offset < 0 ? std::string("none (ended)") : std::to_string(offset);
}

}  // namespace

std::vector<std::string> describe_problems(const PartitionResult& r) {
  std::vector<std::string> out;
  const Record& rec = *r.record;
  switch (r.verdict) {
    case DataVerdict::kMissing:
      out.push_back(cat(rec.where(), ": missing in the target (", r.missing_reason, ")"));
      break;
    case DataVerdict::kSourceMissing:
      out.push_back(cat(rec.where(), ": cannot verify: missing in the source (",
                        r.missing_reason, ")"));
      break;
    case DataVerdict::kNotCopied:
      out.push_back(cat(rec.where(), ": not verified: the copy's status is ", rec.copy.status,
                        rec.copy.error.empty() ? "" : cat(" (", rec.copy.error, ")")));
      break;
    case DataVerdict::kMismatch:
      if (r.source_count != r.target_count)
        out.push_back(cat(rec.where(), ": source has ", plural(r.source_count, "message"), " in ",
                          range_text(r.source), ", target has ", r.target_count, " in ",
                          range_text(r.target)));
      if (r.difference)
        out.push_back(cat(rec.where(), ": content differs, first at message #",
                          r.difference->position, " of the range: source offset ",
                          offset_text(r.difference->source_offset), ", target offset ",
                          offset_text(r.difference->target_offset)));
      else if (r.source_count == r.target_count)
        out.push_back(cat(rec.where(), ": content digests differ: source ",
                          digest_hex(r.source_digest), " over ", range_text(r.source),
                          ", target ", digest_hex(r.target_digest), " over ",
                          range_text(r.target)));
      break;
    case DataVerdict::kOk:
    case DataVerdict::kSkipped:
      break;
  }
  for (const auto& g : r.groups)
    for (auto& line : describe_group_problems(rec.where(), g)) out.push_back(std::move(line));
  return out;
}

namespace {

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, seconds < 10 ? "%.1f" : "%.0f", seconds);
  return buf;
}

std::string about_seconds(double seconds) {
  return seconds < 0 ? "" : cat(" (about ", seconds_text(seconds), " s)");
}

}  // namespace

std::vector<std::string> describe_in_progress(const PartitionResult& r) {
  std::vector<std::string> out;
  if (!r.ok() || !r.in_progress()) return out;
  const Record& rec = *r.record;
  out.push_back(cat(rec.where(), ": behind by ", plural(r.behind->messages, "message"),
                    about_seconds(r.behind->seconds),
                    ": the job is still copying (follow mode); the ",
                    plural(r.source_count, "message"), " copied so far in ",
                    range_text(r.source), " verified"));
  for (const auto& g : r.groups)
    if (g.pending()) out.push_back(describe_group_pending(rec.where(), g));
  return out;
}

std::string summarize_in_progress(const std::vector<PartitionResult>& results) {
  int64_t partitions = 0, messages = 0;
  double oldest = -1;
  for (const auto& r : results) {
    if (!r.in_progress()) continue;
    ++partitions;
    messages += r.behind->messages;
    oldest = std::max(oldest, r.behind->seconds);
  }
  std::string age =
      oldest < 0 ? "" : cat(" (the oldest not copied about ", seconds_text(oldest), " s old)");
  return cat("in progress: ", plural(partitions, "partition"), " behind the source by ",
             plural(messages, "message"), " in all", age,
             "; the part copied so far verified; run again when the job has finished");
}

std::string describe_ok(const PartitionResult& r) {
  const Record& rec = *r.record;
  if (r.verdict == DataVerdict::kSkipped && r.source_count < 0)
    return cat(rec.where(), ": skipped",
               rec.reason.empty() ? "" : cat(" (", rec.reason, ")"));
  std::string text = cat(rec.where(), ": ok: ", plural(r.source_count, "message"), ", source ",
                         range_text(r.source), ", target ", range_text(r.target));
  if (r.content) text += cat(", digest ", digest_hex(r.source_digest));
  for (const auto& g : r.groups)
    text += cat("; group ", g.group, " at ", g.committed, ", ", g.remaining, " to read");
  return text;
}

std::string digest_hex(uint64_t digest) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(digest));
  return buf;
}

}  // namespace ck::verify
