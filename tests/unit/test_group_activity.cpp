#include <catch2/catch.hpp>

#include "group_activity.hpp"

using ck::Activity;
using ck::GroupObservation;
using ck::judge_group_activity;

namespace {

GroupObservation listed(std::string state) {
  GroupObservation seen;
  seen.listed = true;
  seen.listed_state = std::move(state);
  return seen;
}

GroupObservation described(GroupObservation seen, std::string state, int members) {
  seen.described = true;
  seen.state = std::move(state);
  seen.members = members;
  return seen;
}

}  // namespace

TEST_CASE("group activity: a classic group with members is active") {
  auto a = judge_group_activity(described(listed("Stable"), "Stable", 2));
  CHECK(a.activity == Activity::active);
  CHECK(a.reason == "2 members, Stable");
  CHECK(a.possibly_consuming());
  CHECK(judge_group_activity(described(listed("Stable"), "Stable", 1)).reason ==
        "1 member, Stable");
  // Members count even when the listing lagged behind (it said Empty a moment before).
  CHECK(judge_group_activity(described(listed("Empty"), "PreparingRebalance", 1)).activity ==
        Activity::active);
}

TEST_CASE("group activity: a Stable consumer-protocol group described as Dead is unknown") {
  // Kafka 4.4.0 answers the classic DescribeGroups of a live KIP-848 group with Dead, 0 members.
  auto a = judge_group_activity(described(listed("Stable"), "Dead", 0));
  CHECK(a.activity == Activity::unknown);
  CHECK(a.possibly_consuming());
  CHECK(a.reason.find("listed as Stable but described as Dead") != std::string::npos);
  // librdkafka 2.0.2 names the KIP-848 states Assigning and Reconciling "Unknown".
  CHECK(judge_group_activity(described(listed("Unknown"), "Dead", 0)).activity ==
        Activity::unknown);
  CHECK(judge_group_activity(described(listed(""), "Dead", 0)).reason.find("listed as ?") == 0);
}

TEST_CASE("group activity: Dead is believed when the listing agrees") {
  GroupObservation absent;
  auto a = judge_group_activity(described(absent, "Dead", 0));
  CHECK(a.activity == Activity::idle);
  CHECK(a.reason == "no such group");
  CHECK(judge_group_activity(described(listed("Empty"), "Dead", 0)).activity == Activity::idle);
  CHECK(judge_group_activity(described(listed("Dead"), "Dead", 0)).activity == Activity::idle);
}

TEST_CASE("group activity: Empty groups and groups never described") {
  CHECK(judge_group_activity(described(listed("Empty"), "Empty", 0)).activity == Activity::idle);
  // Listed Stable a moment ago, described Empty now: the members have left.
  CHECK(judge_group_activity(described(listed("Stable"), "Empty", 0)).activity == Activity::idle);
  // ck-plan describes only the groups not listed as Empty.
  auto empty = judge_group_activity(listed("Empty"));
  CHECK(empty.activity == Activity::idle);
  CHECK(empty.reason == "listed as Empty");
  CHECK(judge_group_activity(GroupObservation{}).activity == Activity::idle);
  auto undescribed = judge_group_activity(listed("Stable"));
  CHECK(undescribed.activity == Activity::unknown);
  CHECK(undescribed.reason == "listed as Stable, not described");
}

TEST_CASE("group activity: a failed describe or a live state without members is unknown") {
  auto seen = listed("Stable");
  seen.error = "Broker: Coordinator not available";
  auto a = judge_group_activity(seen);
  CHECK(a.activity == Activity::unknown);
  CHECK(a.reason == "describing it failed: Broker: Coordinator not available");
  auto b = judge_group_activity(described(listed("Stable"), "CompletingRebalance", 0));
  CHECK(b.activity == Activity::unknown);
  CHECK(b.reason == "described as CompletingRebalance with 0 members");
}
