#include "group_activity.hpp"

#include "strings.hpp"

namespace ck {

namespace {

GroupActivity idle(std::string reason) { return {Activity::idle, std::move(reason)}; }
GroupActivity active(std::string reason) { return {Activity::active, std::move(reason)}; }
GroupActivity unknown(std::string reason) { return {Activity::unknown, std::move(reason)}; }

// Neither "no group" nor "no members": the states in which a group has no one consuming.
bool is_quiet_state(const std::string& state) { return state == "Empty" || state == "Dead"; }

// The describe answered "Dead" (what the classic DescribeGroups says of a group it does not
// know): believable only if the listing agrees there is no live group by that name.
GroupActivity judge_dead(const GroupObservation& seen) {
  if (!seen.listed) return idle("no such group");
  if (is_quiet_state(seen.listed_state)) return idle(cat("listed as ", seen.listed_state));
  return unknown(cat("listed as ", seen.listed_state.empty() ? "?" : seen.listed_state,
                     " but described as Dead with 0 members (a consumer-protocol group, which "
                     "the classic DescribeGroups cannot see?)"));
}

}  // namespace

GroupActivity judge_group_activity(const GroupObservation& seen) {
  if (!seen.error.empty()) return unknown(cat("describing it failed: ", seen.error));
  if (!seen.described) {
    if (!seen.listed) return idle("not listed");
    if (seen.listed_state == "Empty") return idle("listed as Empty");
    return unknown(cat("listed as ", seen.listed_state.empty() ? "?" : seen.listed_state,
                       ", not described"));
  }
  if (seen.members > 0)
    return active(cat(seen.members, seen.members == 1 ? " member, " : " members, ", seen.state));
  if (seen.state == "Dead") return judge_dead(seen);
  if (seen.state == "Empty") return idle("Empty");
  return unknown(cat("described as ", seen.state, " with 0 members"));
}

}  // namespace ck
