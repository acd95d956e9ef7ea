// What ck-plan asks the source cluster: groups, their committed offsets, and the
// offsets of every partition they committed on. Never one round trip per partition.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common_options.hpp"
#include "group_activity.hpp"
#include "kafka.hpp"
#include "planner.hpp"

namespace ck::plan {

struct GatherOptions {
  NameFilter groups;
  NameFilter topics;
  int concurrency = kGroupOffsetRequestsInFlight;  ///< ListConsumerGroupOffsets in flight
};

/// Everything the planner and the summary need.
struct Gathered {
  std::string cluster;                     ///< "source cluster 127.0.0.1:9092"
  std::vector<std::string> groups;         ///< selected groups, sorted
  GroupActivities busy_groups;             ///< active or unknown: consumption may go on
  bool share_groups_used = false;          ///< __share_group_state exists (KIP-932)
  Layout layout;                           ///< partitions with their offsets filled in
};

/// Queries the source cluster. On failure *err is one line naming the cluster and
/// the cause (unreachable, authentication, authorization, deadline).
bool gather(const ClusterConfig& source, const GatherOptions& options, int timeout_ms,
            Gathered* out, std::string* err);

}  // namespace ck::plan
