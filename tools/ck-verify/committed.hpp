// Committed offsets of groups on given partitions in the target, waiting out transactional
// commits still pending. ck-copy commits group offsets inside its transactions, and the
// group coordinator applies them only when the commit marker arrives, shortly after the
// producer's commit returned: a fetch of "all partitions" silently leaves them out, while a
// fetch of named partitions with require_stable answers UNSTABLE_OFFSET_COMMIT until then.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kafka.hpp"

namespace ck::verify {

using GroupPartition = std::pair<std::string, TopicPartition>;

/// Fills *committed with every (group, partition) that has a committed offset; absent
/// ones have none. Retries partitions whose offsets are unstable until timeout_ms.
bool fetch_committed(KafkaClient& client,
                     const std::map<std::string, std::vector<TopicPartition>>& wanted,
                     int timeout_ms, std::map<GroupPartition, int64_t>* committed,
                     std::string* err);

}  // namespace ck::verify
