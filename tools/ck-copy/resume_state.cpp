#include "resume_state.hpp"

#include <xxhash.h>

#include <algorithm>

#include "strings.hpp"

namespace ck::copy {

void GroupResolver::reset(std::vector<GroupOffset> pending) {
  std::stable_sort(pending.begin(), pending.end(),
                   [](const GroupOffset& a, const GroupOffset& b) { return a.offset < b.offset; });
  pending_ = std::make_shared<const std::vector<GroupOffset>>(std::move(pending));
  next_ = 0;
}

const std::vector<GroupOffset>& GroupResolver::pending() const {
  static const std::vector<GroupOffset> kNone;
  return pending_ ? *pending_ : kNone;
}

void GroupResolver::on_message(int64_t source_offset, int64_t target_offset,
                               std::vector<GroupOffset>* resolved) {
  const auto& pending = this->pending();
  while (next_ < pending.size() && pending[next_].offset <= source_offset) {
    resolved->push_back({pending[next_].group, target_offset});
    ++next_;
  }
}

void GroupResolver::on_complete(int64_t target_end, std::vector<GroupOffset>* resolved) {
  const auto& pending = this->pending();
  for (; next_ < pending.size(); ++next_) resolved->push_back({pending[next_].group, target_end});
}

int shard_of(const std::string& topic, int32_t partition, int count) {
  std::string key = topic;
  key.push_back('\0');
  key += std::to_string(partition);
  return int(XXH64(key.data(), key.size(), 0) % uint64_t(count)) + 1;
}

}  // namespace ck::copy
