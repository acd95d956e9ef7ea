// ck-verify's group rules without a broker: the position derived from the source, the
// expected target offset, and each verdict (ok, ahead under both rules, behind, missing,
// beyond the end, content, stale, underivable), with ck-copy's claim reported, not used.
#include <catch2/catch.hpp>

#include "../../tools/ck-verify/group_rules.hpp"

using namespace ck;
using namespace ck::verify;

namespace {

// Source [100,200) holds 90 messages (offset gaps: markers, aborted messages); the target
// range [0,90) holds the same 90 messages at offsets 0..89, its partition ends at 91 (a
// commit marker).
RangesRead ranges() { return {{100, 200}, 90, {0, 90}, 90, 91}; }

// Around a target offset of the gap-free target: `below` messages under it.
AroundOffset target_at(int64_t offset) {
  AroundOffset a;
  a.below = std::min<int64_t>(offset, 90);
  a.before_offset = a.below > 0 ? a.below - 1 : -1;
  a.before_hash = a.below > 0 ? uint64_t(1000 + a.below - 1) : 0;
  a.at_offset = offset < 90 ? offset : -1;
  a.at_hash = offset < 90 ? uint64_t(1000 + offset) : 0;
  return a;
}

// The source side of message #position (hashes equal to the target's, offsets not).
AroundOffset source_at(int64_t position, int64_t offset) {
  AroundOffset a = target_at(position);
  a.before_offset = position > 0 ? offset - 2 : -1;
  a.at_offset = position < 90 ? offset : -1;
  return a;
}

// Group g read 45 messages in the source: its offset 150 sits before message #45.
GroupFacts at_position(int64_t committed) {
  GroupFacts f;
  f.group = "g";
  f.planned = true;
  f.plan_offset = 150;
  f.source_now = 150;
  f.at_plan = f.at_now = source_at(45, 150);
  f.committed = committed;
  f.at_committed = target_at(committed);
  return f;
}

}  // namespace

TEST_CASE("a group's position in the copied sequence") {
  Range source{100, 200};
  CHECK(group_position(50, source, 0, 90) == 0);     // expired below the range
  CHECK(group_position(100, source, 0, 90) == 0);
  CHECK(group_position(150, source, 45, 90) == 45);  // gaps: counted, not subtracted
  CHECK(group_position(200, source, 90, 90) == 90);
  CHECK(group_position(300, source, 90, 90) == 90);
}

TEST_CASE("the expected target offset is that of the message at the group's position") {
  Range target{10, 115};
  CHECK(expected_target_offset(0, 100, 10, target) == 10);
  CHECK(expected_target_offset(45, 100, 57, target) == 57);
  CHECK(expected_target_offset(100, 100, -1, target) == 115);  // read everything: the end
  CHECK(expected_target_offset(60, 50, -1, target) == 115);    // target short: its end
}

TEST_CASE("the groups of a record: planned, without commit, claimed, each once") {
  Record r;
  r.groups = {{"a", 150}, {"b", 50}};
  r.groups_without_commit = {"c"};
  r.copy.target_groups = {{"a", 45}, {"c", 0}, {"d", 7}};
  auto g = record_groups(r);
  REQUIRE(g.size() == 4);
  CHECK((g[0].group == "a" && g[0].planned && g[0].plan_offset == 150 && g[0].claimed == 45));
  CHECK((g[1].group == "b" && g[1].planned && g[1].claimed == -1));
  CHECK((g[2].group == "c" && g[2].planned && g[2].plan_offset == -1 && g[2].claimed == 0));
  CHECK((g[3].group == "d" && !g[3].planned && g[3].claimed == 7));
}

TEST_CASE("at its position: ok, expected from the message at the committed offset") {
  GroupCheck c = check_group(at_position(45), ranges(), AheadRule::kExact);
  CHECK(c.verdict == GroupVerdict::kOk);
  CHECK(c.ok());
  CHECK(c.position == 45);
  CHECK(c.expected == 45);
  CHECK(c.delta == 0);
  CHECK(c.remaining == 45);
  CHECK(c.source_remaining == 45);
  CHECK(describe_group_problems("topic t partition 2", c).empty());
}

TEST_CASE("behind: would re-read; the expected offset is left to be located") {
  GroupCheck c = check_group(at_position(44), ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kBehind);
  CHECK_FALSE(c.ok());
  CHECK(c.delta == -1);
  CHECK(c.expected == -1);
  c.expected = 45;  // what locate_expected finds
  CHECK(describe_group_problems("topic t partition 2", c) ==
        std::vector<std::string>{"topic t partition 2: group g: behind: would re-read 1 message "
                                 "(committed target offset 44, expected 45 from source offset "
                                 "150)"});
}

TEST_CASE("ahead: ok from cron, a problem with --exact-groups") {
  GroupCheck allowed = check_group(at_position(46), ranges(), AheadRule::kAllowed);
  CHECK(allowed.verdict == GroupVerdict::kAhead);
  CHECK(allowed.ok());
  CHECK(allowed.delta == 1);
  CHECK(allowed.remaining == 44);
  CHECK(describe_group_problems("w", allowed).empty());
  GroupCheck exact = check_group(at_position(46), ranges(), AheadRule::kExact);
  CHECK_FALSE(exact.ok());
  exact.expected = 45;
  CHECK(describe_group_problems("w", exact) ==
        std::vector<std::string>{"w: group g: ahead: would skip 1 message (committed target "
                                 "offset 46, expected 45 from source offset 150)"});
}

TEST_CASE("ck-copy's claim is reported, and where it sits at the position it gives the offset") {
  // Claim and commit agree with each other, and both are one message short.
  GroupFacts f = at_position(44);
  f.claimed = 44;
  f.at_claimed = target_at(44);
  GroupCheck c = check_group(f, ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kBehind);
  CHECK(c.expected == -1);
  c.expected = 45;
  CHECK(describe_group_problems("w", c)[0] ==
        "w: group g: behind: would re-read 1 message (committed target offset 44, expected 45 "
        "from source offset 150; ck-copy claimed 44)");
  // A right claim beside a wrong commit: the message at the claim is the one expected.
  f.claimed = 45;
  f.at_claimed = target_at(45);
  c = check_group(f, ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kBehind);
  CHECK(c.expected == 45);
}

TEST_CASE("missing, beyond the end, before and past the copied range") {
  GroupFacts f = at_position(45);
  f.committed.reset();
  GroupCheck c = check_group(f, ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kMissing);
  c.expected = 45;
  CHECK(describe_group_problems("w", c)[0] ==
        "w: group g: missing: no committed offset in the target (expected 45 from source "
        "offset 150)");
  c = check_group(at_position(92), ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kBeyondEnd);
  CHECK_FALSE(c.ok());
  // Committed at the commit marker after the range: past it, nothing left to skip.
  c = check_group(at_position(91), ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kAhead);
  CHECK(c.past_range);
  CHECK(c.delta == 45);
  CHECK(c.remaining == 0);
  RangesRead later = ranges();
  later.target = {10, 100};
  c = check_group(at_position(5), later, AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kBehind);
  CHECK(c.before_range);
  CHECK(c.remaining == 90);
}

TEST_CASE("content around the position: the last message read, the next, what is left") {
  GroupFacts f = at_position(45);
  f.at_committed.at_hash = 7;
  GroupCheck c = check_group(f, ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kContentDiffers);
  CHECK(c.differs == "the next message (source offset 150, target offset 45) differs");
  f = at_position(45);
  f.at_committed.before_hash = 7;
  CHECK(check_group(f, ranges(), AheadRule::kAllowed).differs ==
        "the last message read (source offset 148, target offset 44) differs");
  // The target holds one message fewer after the position.
  RangesRead short_target = ranges();
  short_target.target_count = 89;
  c = check_group(at_position(45), short_target, AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kContentDiffers);
  CHECK(c.differs == "messages left to read: source 45, target 44");
}

TEST_CASE("stale: the source group moved since the plan, by messages or offsets") {
  GroupFacts f = at_position(45);
  f.source_now = 157;
  f.at_now = source_at(50, 157);
  GroupCheck c = check_group(f, ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kOk);  // placed where the plan said
  CHECK(c.stale);
  CHECK_FALSE(c.ok());
  CHECK(describe_group_problems("w", c) ==
        std::vector<std::string>{"w: group g: stale: its committed source offset moved from "
                                 "150 to 157 since the plan (5 messages)"});
  f.source_now = 140;
  f.at_now = source_at(40, 140);
  CHECK(describe_group_problems("w", check_group(f, ranges(), AheadRule::kAllowed))[0] ==
        "w: group g: stale: its committed source offset moved from 150 to 140 since the plan "
        "(back 5 messages)");
  f.source_now = 260;  // past the range read: offsets
  f.at_now = source_at(90, 200);
  CHECK(describe_group_problems("w", check_group(f, ranges(), AheadRule::kAllowed))[0] ==
        "w: group g: stale: its committed source offset moved from 150 to 260 since the plan "
        "(+110 offsets)");
  f.source_now.reset();  // deleted from the source: not a move
  CHECK(check_group(f, ranges(), AheadRule::kAllowed).ok());
}

TEST_CASE("groups without a plan offset: from the range start, the source now, or not at all") {
  GroupFacts f = at_position(0);
  f.plan_offset = -1;  // planned without a commit on this partition: reads from the start
  f.source_now.reset();
  f.at_plan = source_at(0, 100);
  GroupCheck c = check_group(f, ranges(), AheadRule::kExact);
  CHECK(c.position == 0);
  CHECK(c.verdict == GroupVerdict::kOk);
  CHECK(c.expected == 0);
  GroupFacts claim_only;
  claim_only.group = "d";
  claim_only.claimed = 45;
  claim_only.committed = 45;
  claim_only.at_committed = claim_only.at_claimed = target_at(45);
  c = check_group(claim_only, ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kUnderivable);
  CHECK_FALSE(c.ok());
  CHECK(describe_group_problems("w", c)[0] ==
        "w: group d: cannot derive its position: no committed source offset in the plan or the "
        "source (ck-copy claimed 45)");
  claim_only.source_now = 150;  // not in the plan, committed in the source now
  claim_only.at_now = source_at(45, 150);
  c = check_group(claim_only, ranges(), AheadRule::kAllowed);
  CHECK(c.verdict == GroupVerdict::kOk);
  CHECK(c.expected == 45);
}

TEST_CASE("a group that had read everything belongs at the end of the target range") {
  GroupFacts f = at_position(90);
  f.plan_offset = f.source_now.emplace(200);
  f.at_plan = f.at_now = source_at(90, 200);
  GroupCheck c = check_group(f, ranges(), AheadRule::kExact);
  CHECK(c.position == 90);
  CHECK(c.expected == 90);
  CHECK(c.verdict == GroupVerdict::kOk);
  CHECK(c.remaining == 0);
}
