#include "options.hpp"

#include "job_progress.hpp"
#include "strings.hpp"

namespace ck::copy {

bool parse_shard(const std::string& text, int* index, int* count) {
  auto parts = split(text, '/');
  int64_t i = 0, n = 0;
  if (parts.size() != 2 || !parse_int64(parts[0], &i) || !parse_int64(parts[1], &n))
    return false;
  if (n < 1 || n > 1000000 || i < 1 || i > n) return false;
  *index = int(i);
  *count = int(n);
  return true;
}

bool parse_lag_limit(const std::string& text, LagLimit* limit) {
  int64_t n = 0;
  if (parse_int64(text, &n)) {
    if (n < 0) return false;
    *limit = LagLimit{n, -1};
    return true;
  }
  static const std::pair<const char*, double> kUnits[] = {{"ms", 0.001}, {"s", 1}, {"m", 60}};
  for (const auto& [unit, scale] : kUnits) {
    std::string_view u(unit);
    if (text.size() <= u.size() || text.compare(text.size() - u.size(), u.size(), u) != 0)
      continue;
    std::string number = text.substr(0, text.size() - u.size());
    if (!parse_int64(number, &n) || n < 0) return false;
    *limit = LagLimit{-1, double(n) * scale};
    return true;
  }
  return false;
}

Settings producer_forced(const CopyOptions& o) {
  return {{"transactional.id", transactional_id(o)}, {"enable.idempotence", "true"}, {"acks", "all"}};
}

std::string transactional_id(const CopyOptions& o) {
  std::string id = cat("ck-migrate.", o.job);
  if (o.shard_count > 0) id += cat(".shard-", o.shard_index, "-of-", o.shard_count);
  return id;
}

std::string progress_group(const CopyOptions& o) { return job_progress_group(o.job); }

std::string group_marker(const CopyOptions& o) { return cat("ck-migrate:", o.job); }

}  // namespace ck::copy
