#include "verifier.hpp"

#include <algorithm>
#include <cstdio>

#include "strings.hpp"

namespace ck::verify {

bool has_target_range(const Record& record) {
  return !record.status.empty() && record.target_start >= 0 && record.target_end >= 0;
}

bool is_skipped(const Record& record) {
  return record.action == "skip" || record.status == "skipped";
}

std::string incomplete_copy_status(const Record& record) {
  if (record.status.empty() || record.status == "copied" || record.status == "skipped")
    return "";
  return record.status;
}

Range target_range_for(const Record& record, int64_t target_log_start,
                       int64_t target_end_offset) {
  if (has_target_range(record)) return {record.target_start, record.target_end};
  // A copy that wrote nothing has no target range: nothing of it is in the target.
  if (!record.status.empty() && record.copied == 0 && record.target_start < 0)
    return {0, 0};
  return {target_log_start, target_end_offset};
}

std::vector<GroupExpectation> group_expectations(const Record& record) {
  std::vector<GroupExpectation> out;
  for (const auto& g : record.target_groups) out.push_back({g.group, -1, g.offset});
  for (const auto& g : record.groups) {
    auto placed = std::find_if(out.begin(), out.end(),
                               [&](const GroupExpectation& e) { return e.group == g.group; });
    if (placed != out.end())
      placed->source_offset = g.offset;
    else
      out.push_back({g.group, g.offset, -1});
  }
  return out;
}

int64_t group_position(int64_t group_source_offset, const Range& source,
                       int64_t messages_below, int64_t source_count) {
  // Below the range (its unread messages expired) it reads the first migrated message;
  // at or past the end it has read them all.
  if (group_source_offset <= source.start) return 0;
  if (group_source_offset >= source.end) return source_count;
  return std::clamp<int64_t>(messages_below, 0, source_count);
}

int64_t expected_target_offset(int64_t position, int64_t target_count,
                               int64_t offset_at_position, const Range& target) {
  if (position >= target_count || offset_at_position < 0) return target.end;
  return offset_at_position;
}

const char* to_string(GroupVerdict verdict) {
  switch (verdict) {
    case GroupVerdict::kOk: return "ok";
    case GroupVerdict::kMissing: return "missing";
    case GroupVerdict::kBehind: return "behind";
    case GroupVerdict::kBeyondEnd: return "beyond-end";
  }
  return "?";
}

GroupVerdict judge_group(int64_t expected, std::optional<int64_t> committed,
                         int64_t target_high_watermark) {
  if (!committed) return GroupVerdict::kMissing;
  if (*committed < expected) return GroupVerdict::kBehind;
  // Past the log end a consumer gets OFFSET_OUT_OF_RANGE and auto.offset.reset decides.
  if (target_high_watermark >= 0 && *committed > target_high_watermark)
    return GroupVerdict::kBeyondEnd;
  return GroupVerdict::kOk;
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

std::string group_problem(const Record& record, const GroupCheck& g) {
  std::string head = cat(record.where(), ": group ", g.group, ": ");
  switch (g.verdict) {
    case GroupVerdict::kMissing:
      return cat(head, "no committed offset in the target (expected ", g.expected, ")");
    case GroupVerdict::kBehind:
      return cat(head, "committed target offset ", g.committed, " is behind the expected ",
                 g.expected);
    case GroupVerdict::kBeyondEnd:
      return cat(head, "committed target offset ", g.committed,
                 " is beyond the target partition's end");
    case GroupVerdict::kOk:
      break;
  }
  return "";
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
      out.push_back(cat(rec.where(), ": not verified: the copy's status is ", rec.status,
                        rec.error.empty() ? "" : cat(" (", rec.error, ")")));
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
    if (!g.ok()) out.push_back(group_problem(rec, g));
  return out;
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
