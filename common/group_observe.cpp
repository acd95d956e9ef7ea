#include "group_observe.hpp"

#include "parallel.hpp"

namespace ck {

namespace {

// describe_groups sends its batches one after the other; slices of the group list
// described side by side overlap those round trips.
bool describe_in_slices(KafkaClient& client, const std::vector<std::string>& groups,
                        int timeout_ms, std::vector<GroupDescription>* out, std::string* err) {
  const size_t kSlice = 200, kInFlight = 4;
  size_t slices = (groups.size() + kSlice - 1) / kSlice;
  std::vector<std::vector<GroupDescription>> parts(slices);
  std::vector<std::string> errors(slices);
  bool ok = run_parallel(slices, kInFlight, [&](size_t i) {
    std::vector<std::string> slice(groups.begin() + long(i * kSlice),
                                   groups.begin() + long(std::min(groups.size(), (i + 1) * kSlice)));
    return describe_groups(client, slice, timeout_ms, &parts[i], &errors[i]);
  });
  if (!ok) {
    for (const auto& e : errors)
      if (!e.empty()) return *err = e, false;
    return false;
  }
  for (auto& part : parts)
    for (auto& d : part) out->push_back(std::move(d));
  return true;
}

}  // namespace

bool observe_group_activity(KafkaClient& client, const std::vector<GroupListing>& listing,
                            const std::vector<std::string>& groups, int timeout_ms,
                            GroupActivities* out, std::string* err) {
  std::map<std::string, GroupObservation> seen;
  for (const auto& g : groups) seen[g];
  std::vector<std::string> to_describe;
  for (const auto& l : listing) {
    auto it = seen.find(l.group);
    if (it == seen.end() || it->second.listed) continue;
    it->second.listed = true;
    it->second.listed_state = l.state;
    // A group listed as Empty has no members: stopped consumers, the normal case before a
    // migration, cost no DescribeGroups at all.
    if (l.state != "Empty") to_describe.push_back(l.group);
  }
  std::vector<GroupDescription> described;
  if (!describe_in_slices(client, to_describe, timeout_ms, &described, err)) return false;
  for (auto& d : described) {
    auto it = seen.find(d.group);
    if (it == seen.end()) continue;
    it->second.described = true;
    it->second.state = d.state;
    it->second.members = d.members;
    it->second.error = d.error;
  }
  for (const auto& [group, observation] : seen) (*out)[group] = judge_group_activity(observation);
  return true;
}

bool observe_group_activity(KafkaClient& client, const std::vector<std::string>& groups,
                            int timeout_ms, GroupActivities* out, std::string* err) {
  std::vector<GroupListing> listing;
  return list_groups(client, timeout_ms, &listing, err) &&
         observe_group_activity(client, listing, groups, timeout_ms, out, err);
}

}  // namespace ck
