// Whether a consumer group may still be consuming, judged from what the broker answers to
// ListGroups and to the classic DescribeGroups (all librdkafka 2.0.2 offers). Pure: no Kafka.
//
// A KIP-848 group (group.protocol=consumer) is invisible to the classic DescribeGroups: for a
// Stable consumer-protocol group with members, Kafka 4.x answers "Dead" with 0 members and no
// error. ListGroups still lists it with its real state, so a "Dead" description of a group
// the broker lists is suspect, and a group whose state cannot be known counts as possibly
// consuming, never as idle.
#pragma once

#include <map>
#include <string>

namespace ck {

/// What the broker said about one group.
struct GroupObservation {
  bool listed = false;       ///< ListGroups named the group
  std::string listed_state;  ///< its state in that listing ("Stable", "Empty", "Unknown", ...)
  bool described = false;    ///< DescribeGroups was asked about it and answered
  std::string state;         ///< the described state
  int members = 0;           ///< the described member count
  std::string error;         ///< the group's describe error, empty if none
};

enum class Activity { idle, active, unknown };

struct GroupActivity {
  Activity activity = Activity::unknown;
  std::string reason;  ///< "2 members, Stable", "listed as Stable, described as Dead ..."

  /// Active or unknown: consumers may still commit, so its offsets must not be moved.
  bool possibly_consuming() const { return activity != Activity::idle; }
};

/// Judges one group: active if described with members; unknown if the describe failed, or
/// the answers disagree (listed but described as Dead, or a live state with no members);
/// idle if described as Empty, listed as Empty (and not described), or not there at all.
GroupActivity judge_group_activity(const GroupObservation& seen);

/// Group name -> its activity.
using GroupActivities = std::map<std::string, GroupActivity>;

}  // namespace ck
