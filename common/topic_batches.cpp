#include "topic_batches.hpp"

#include <algorithm>

namespace ck {

size_t create_records(const NewTopic& topic) {
  return 1 + size_t(std::max(topic.partitions, int32_t{1})) + topic.configs.size();
}

std::vector<std::vector<size_t>> batch_new_topics(const std::vector<NewTopic>& topics,
                                                  size_t max_records) {
  std::vector<std::vector<size_t>> batches;
  size_t records = 0;
  for (size_t i = 0; i < topics.size(); ++i) {
    size_t need = create_records(topics[i]);
    if (batches.empty() || records + need > max_records) {
      batches.emplace_back();
      records = 0;
    }
    batches.back().push_back(i);
    records += need;
  }
  return batches;
}

std::vector<std::pair<size_t, size_t>> slices(size_t n, size_t size) {
  size = std::max<size_t>(size, 1);
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t begin = 0; begin < n; begin += size) out.emplace_back(begin, std::min(n, begin + size));
  return out;
}

}  // namespace ck
