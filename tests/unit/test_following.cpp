// ck-verify against a job still copying in follow mode, without a broker: what the job's
// progress says, which ranges are checked, how far behind, the pending group verdicts, and
// the outcome (exit 4 only when everything copied so far is in order: test_verifier.cpp).
#include <catch2/catch.hpp>

#include "../../tools/ck-verify/following.hpp"
#include "../../tools/ck-verify/verifier.hpp"
#include "job_progress.hpp"

using namespace ck;
using namespace ck::verify;

namespace {

std::string progress(bool follow, int64_t target_end) {
  ProgressMeta meta{1000, 5000, 0, target_end, target_end, true};
  meta.follow = follow;
  return encode_progress(meta);
}

GroupFacts unplaced(int64_t plan_offset, int64_t below) {
  GroupFacts f;
  f.group = std::string("g");
  f.planned = true;
  f.plan_offset = plan_offset;
  f.source_now = plan_offset + 10;  // consumers still read on the live source
  f.at_plan.below = below;
  return f;
}

}  // namespace

TEST_CASE("only progress written in follow mode says the job follows") {
  auto f = following_of(3000, progress(true, 2000));
  REQUIRE(f);
  CHECK(f->copied_end == 3000);
  CHECK(f->target_end == 2000);
  CHECK_FALSE(following_of(3000, progress(false, 2000)));  // a final run without --follow
  CHECK_FALSE(following_of(-1, progress(true, 2000)));     // no commit
  CHECK_FALSE(following_of(3000, "ck-migrate:default"));   // not ck-copy's progress
}

TEST_CASE("while following, the copied part is checked and the tail measured") {
  Following f{3000, 2000};
  CHECK(copied_source(1000, f) == Range{1000, 3000});
  CHECK(copied_source(4000, f) == Range{4000, 4000});  // not reached the record's start yet
  // Beyond the plan's end too: the source grew since the plan.
  CHECK(copied_source(1000, Following{7000, 6000}) == Range{1000, 7000});
  // Data committed after the progress was read is not counted.
  CHECK(copied_target({0, 2500}, f) == Range{0, 2000});
  CHECK(copied_target({0, 2500}, Following{3000, -1}) == Range{0, 0});
  CHECK(uncopied_source(f, 4200) == Range{3000, 4200});
  CHECK(uncopied_source(f, 2000) == Range{3000, 3000});
}

TEST_CASE("behind: messages counted in the tail, the age of its oldest by timestamp") {
  Behind b = behind_of(1200, 1'700'000'000'000, 1'700'000'003'500);
  CHECK(b.messages == 1200);
  CHECK(b.seconds == Approx(3.5));
  CHECK(behind_of(5, -1, 1000).seconds == -1);          // no timestamp
  CHECK(behind_of(5, 2000, 1000).seconds == 0);          // clocks apart: not negative
  CHECK(behind_of(0, 1000, 5000).seconds == -1);         // nothing behind
}

TEST_CASE("while following, groups beyond the copied part or not placed yet are pending") {
  RangesRead r{{1000, 3000}, 2000, {0, 2000}, 2000, 2001, true};
  GroupCheck beyond = check_group(unplaced(3500, 2000), r, AheadRule::kExact);
  CHECK(beyond.verdict == GroupVerdict::kNotYetCopied);
  CHECK(beyond.pending());
  CHECK(beyond.ok());
  CHECK(describe_group_problems("topic t partition 0", beyond).empty());
  CHECK(describe_group_pending("topic t partition 0", beyond) ==
        "topic t partition 0: group g: not yet copied: its source offset 3500 lies beyond what "
        "the job has copied so far (moved on the source since the plan, to 3510)");
  GroupCheck inside = check_group(unplaced(1500, 500), r, AheadRule::kExact);
  CHECK(inside.verdict == GroupVerdict::kNotYetPlaced);
  CHECK(inside.ok());
  CHECK(to_string(inside.verdict) == std::string("not-yet-placed"));
  // The same group without a job following is missing, and stale.
  r.following = false;
  GroupCheck missing = check_group(unplaced(1500, 500), r, AheadRule::kExact);
  CHECK(missing.verdict == GroupVerdict::kMissing);
  CHECK_FALSE(missing.ok());
}

TEST_CASE("while following, a group committed at the wrong place still fails") {
  RangesRead r{{1000, 3000}, 2000, {0, 2000}, 2000, 2001, true};
  GroupFacts f = unplaced(1500, 500);
  f.source_now = 1500;
  f.committed = 400;
  f.at_committed.below = 400;
  GroupCheck c = check_group(f, r, AheadRule::kExact);
  CHECK(c.verdict == GroupVerdict::kBehind);
  CHECK_FALSE(c.ok());
}
