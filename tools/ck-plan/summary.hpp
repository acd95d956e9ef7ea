// The human summary ck-plan writes on stderr after the records.
#pragma once

#include <string>
#include <vector>

#include "records.hpp"

namespace ck::plan {

/// Per topic: partitions to copy and skipped, messages to move ("up to": offsets can
/// have gaps), expired messages, groups involved; then the totals. Records must be
/// sorted by topic. Several lines, each ending in a newline.
std::string summarize(const std::string& cluster, const std::vector<Record>& records,
                      size_t groups_scanned);

}  // namespace ck::plan
