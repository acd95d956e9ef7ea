// Asks a cluster whether consumer groups may still be consuming: ListGroups (the state of
// every group, whatever its protocol) plus the classic DescribeGroups (members), judged by
// judge_group_activity. Both ck-plan (source) and ck-copy (target) decide with it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "group_activity.hpp"
#include "kafka.hpp"

namespace ck {

/// Judges each of `groups` from a listing already made (`listing`, every group of the
/// cluster): the groups listed in a state other than Empty are described, many at a time.
/// *err: a describe request failed as a whole (per-group errors make that group unknown).
bool observe_group_activity(KafkaClient& client, const std::vector<GroupListing>& listing,
                            const std::vector<std::string>& groups, int timeout_ms,
                            GroupActivities* out, std::string* err);

/// The same, listing the cluster's groups first. *err: the listing or a describe failed.
bool observe_group_activity(KafkaClient& client, const std::vector<std::string>& groups,
                            int timeout_ms, GroupActivities* out, std::string* err);

}  // namespace ck
