#include "topic_partition.hpp"

#include "strings.hpp"

namespace ck {

std::string describe(const std::string& topic, int32_t partition) {
  return cat("topic ", topic, " partition ", partition);
}

}  // namespace ck
