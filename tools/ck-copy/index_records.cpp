#include "index_records.hpp"

#include <xxhash.h>

#include "json_writer.hpp"
#include "strings.hpp"

namespace ck::copy {

namespace {

JsonWriter key_writer(const std::string& job, const TopicPartition& tp) {
  JsonWriter w;
  w.begin_array().value(job).value(tp.topic).value(int64_t(tp.partition));
  return w;
}

}  // namespace

std::string index_key(const std::string& job, const TopicPartition& tp, int64_t first_source) {
  return key_writer(job, tp).value(first_source).end_array().take();
}

std::string index_key_prefix(const std::string& job, const TopicPartition& tp) {
  std::string key = index_key(job, tp, 0);
  return key.substr(0, key.rfind(',') + 1);
}

int32_t index_partition(const std::string& job, const TopicPartition& tp, int32_t partitions) {
  std::string prefix = index_key_prefix(job, tp);
  return int32_t(XXH64(prefix.data(), prefix.size(), 0) % uint64_t(std::max(partitions, 1)));
}

IndexCollector::IndexCollector(const std::string& job, const std::vector<TopicPartition>& wanted) {
  for (const auto& tp : wanted) by_prefix_.emplace(index_key_prefix(job, tp), tp);
}

bool IndexCollector::add(std::string_view key, std::string_view value, std::string* err) {
  auto comma = key.rfind(',');
  if (comma == std::string_view::npos) return true;
  auto found = by_prefix_.find(key.substr(0, comma + 1));
  if (found == by_prefix_.end()) return true;
  std::vector<IndexRun> runs;
  if (!decode_runs(value, &runs, err)) {
    *err = cat(describe(found->second), ": ", *err);
    return false;
  }
  OffsetIndex& index = indexes_[found->second];
  for (size_t i = 0; i < runs.size(); ++i) {
    if (index.add(runs[i])) continue;
    index = OffsetIndex();
    for (size_t j = 0; j <= i; ++j) index.add(runs[j]);
  }
  return true;
}

std::optional<TargetRange> target_range_from(const OffsetIndex& index, int64_t start) {
  TargetRange out;
  for (const auto& run : index.runs()) {
    if (run.source_end() <= start) continue;
    int64_t skip = std::max<int64_t>(0, start - run.source);
    if (out.copied == 0) out.target_start = run.target + skip;
    out.copied += run.count - skip;
    out.target_end = run.target_end();
  }
  if (out.copied == 0) return std::nullopt;
  return out;
}

std::optional<int64_t> translate(const OffsetIndex& index, int64_t offset, std::string* err) {
  if (index.empty()) {
    *err = "no message of this partition was copied";
    return std::nullopt;
  }
  const IndexRun& first = index.runs().front();
  if (offset < first.source || offset > index.source_end()) {
    *err = cat("offset ", offset, " is outside the copied range [", first.source, ",",
               index.source_end(), ")");
    return std::nullopt;
  }
  return index.position_of(offset);
}

}  // namespace ck::copy
