#include "options.hpp"

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

Settings producer_forced(const CopyOptions& o) {
  return {{"transactional.id", transactional_id(o)}, {"enable.idempotence", "true"}, {"acks", "all"}};
}

std::string transactional_id(const CopyOptions& o) {
  std::string id = cat("ck-migrate.", o.job);
  if (o.shard_count > 0) id += cat(".shard-", o.shard_index, "-of-", o.shard_count);
  return id;
}

std::string progress_group(const CopyOptions& o) { return cat("ck-migrate.", o.job, ".progress"); }

std::string group_marker(const CopyOptions& o) { return cat("ck-migrate:", o.job); }

}  // namespace ck::copy
