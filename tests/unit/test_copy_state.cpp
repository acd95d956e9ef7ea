// ck-copy's pure decisions, reached before only by the end-to-end tests: how a partition
// resumes from each kind of progress kept in the target, the refusal of foreign data,
// and every case of group placement.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/copy_state.hpp"

using namespace ck;
using namespace ck::copy;

namespace {

Record plan(int64_t start, int64_t end) {
  Record r;
  r.topic = "orders";
  r.partition = 2;
  r.start = start;
  r.end = end;
  return r;
}

CommittedOffset progress_at(int64_t offset, ProgressMeta meta) {
  return {{"orders", 2}, offset, encode_progress(meta)};
}

const GroupPolicy kPolicy{true, false, "ck-migrate:job"};

}  // namespace

TEST_CASE("resume: no progress and an empty target partition starts fresh", "[copy_state]") {
  ResumeDecision d = decide_resume(plan(100, 200), {std::nullopt, 5, 5}, 0, "job", false);
  CHECK(d.kind == ResumeDecision::kFresh);
  CHECK(d.snapshot.next == 100);
  CHECK(d.snapshot.copied == 0);
  CHECK(d.snapshot.stage == Stage::kReading);
}

TEST_CASE("resume: foreign data is refused unless --append", "[copy_state]") {
  ResumeDecision d = decide_resume(plan(100, 200), {std::nullopt, 3, 10}, 0, "job", false);
  CHECK(d.kind == ResumeDecision::kRefused);
  CHECK(d.error ==
        "the target partition already holds 7 offsets that ck-copy job job did not write "
        "(use --append to add to them)");
  CHECK(decide_resume(plan(100, 200), {std::nullopt, 3, 10}, 0, "job", true).kind ==
        ResumeDecision::kFresh);
}

TEST_CASE("resume: progress mid-range continues at the committed offset", "[copy_state]") {
  ProgressMeta meta{100, 200, 0, 40, 40, false};
  ResumeDecision d = decide_resume(plan(100, 200), {progress_at(150, meta), 0, 40}, 0, "job", false);
  REQUIRE(d.kind == ResumeDecision::kResumed);
  CHECK(d.snapshot.next == 150);
  CHECK(d.snapshot.copied == 40);
  CHECK(d.snapshot.target_start == 0);
  CHECK(d.snapshot.target_end == 40);
  CHECK(d.snapshot.stage == Stage::kReading);
}

TEST_CASE("resume: a claim without data resumes at the plan's start", "[copy_state]") {
  // The first transaction claims the partition before any data: offset = start, none copied.
  ProgressMeta meta{100, 200, -1, -1, 0, false};
  ResumeDecision d = decide_resume(plan(100, 200), {progress_at(100, meta), 0, 0}, 0, "job", false);
  REQUIRE(d.kind == ResumeDecision::kResumed);
  CHECK(d.snapshot.next == 100);
  CHECK(d.snapshot.copied == 0);
}

TEST_CASE("resume: completed progress is complete, even when the plan's end moved",
          "[copy_state]") {
  ProgressMeta meta{100, 200, 0, 100, 100, true};
  ResumeDecision d = decide_resume(plan(100, 200), {progress_at(200, meta), 0, 100}, 0, "job", false);
  REQUIRE(d.kind == ResumeDecision::kResumed);
  CHECK(d.snapshot.stage == Stage::kComplete);
  // A plan ending earlier than what was copied: complete too.
  CHECK(decide_resume(plan(100, 150), {progress_at(200, meta), 0, 100}, 0, "job", false)
            .snapshot.complete());
  // A plan ending later: reading on from 200.
  CHECK(decide_resume(plan(100, 300), {progress_at(200, meta), 0, 100}, 0, "job", false)
            .snapshot.stage == Stage::kReading);
}

TEST_CASE("resume: a newer plan grows the job from where it stopped", "[copy_state]") {
  ProgressMeta meta{100, 200, 0, 100, 100, true};
  // The groups consumed meanwhile: the newer plan starts later and ends later.
  ResumeDecision d = decide_resume(plan(150, 300), {progress_at(200, meta), 0, 101}, 0, "job",
                                   false);
  REQUIRE(d.kind == ResumeDecision::kResumed);
  CHECK(d.snapshot.next == 200);
  CHECK(d.snapshot.job_start == 100);
  CHECK(d.snapshot.copied == 100);
  CHECK(d.snapshot.stage == Stage::kReading);
  // Starting exactly where the job stopped.
  CHECK(decide_resume(plan(200, 300), {progress_at(200, meta), 0, 101}, 0, "job", false)
            .snapshot.next == 200);
  // A start beyond where the job stopped is filled from there: no hole.
  d = decide_resume(plan(250, 300), {progress_at(200, meta), 0, 101}, 0, "job", false);
  REQUIRE(d.kind == ResumeDecision::kResumed);
  CHECK(d.snapshot.next == 200);
  // Nothing new: complete, only its groups to place.
  CHECK(decide_resume(plan(180, 200), {progress_at(200, meta), 0, 101}, 0, "job", false)
            .snapshot.complete());
  // The messages from 200 on still exist (log start 200): fine; from 201: expired.
  CHECK(decide_resume(plan(150, 300), {progress_at(200, meta), 0, 101}, 200, "job", false)
            .kind == ResumeDecision::kResumed);
  d = decide_resume(plan(250, 300), {progress_at(200, meta), 0, 101}, 230, "job", false);
  CHECK(d.kind == ResumeDecision::kRefused);
  CHECK(d.error ==
        "job job stopped at source offset 200 but the source now starts at 230: 30 messages "
        "expired since (use another --job for a new copy)");
  // Expired below a complete partition's end: nothing needed, nothing refused.
  CHECK(decide_resume(plan(150, 200), {progress_at(200, meta), 0, 101}, 500, "job", false)
            .kind == ResumeDecision::kResumed);
}

TEST_CASE("resume: a plan going backwards or unreadable progress is refused", "[copy_state]") {
  ProgressMeta meta{100, 200, 0, 10, 10, false};
  ResumeDecision d = decide_resume(plan(50, 200), {progress_at(110, meta), 0, 10}, 0, "job",
                                   false);
  CHECK(d.kind == ResumeDecision::kRefused);
  CHECK(d.error ==
        "the plan starts at 50, before job job's first start 100: a job only grows forwards "
        "(use another --job for a new copy)");
  CommittedOffset garbage{{"orders", 2}, 60, "not ours"};
  d = decide_resume(plan(100, 200), {garbage, 0, 10}, 0, "job", false);
  CHECK(d.kind == ResumeDecision::kRefused);
  CHECK(d.error == "progress metadata is not a JSON object");
}

TEST_CASE("resume: a claim without data yields to the newer plan's start", "[copy_state]") {
  ProgressMeta meta{100, 200, -1, -1, 0, false};
  ResumeDecision d = decide_resume(plan(50, 300), {progress_at(100, meta), 0, 0}, 0, "job",
                                   false);
  REQUIRE(d.kind == ResumeDecision::kResumed);
  CHECK(d.snapshot.next == 50);
  CHECK(d.snapshot.job_start == 50);
  CHECK(d.snapshot.copied == 0);
}

TEST_CASE("groups: a fresh copy places every group, committed or not", "[copy_state]") {
  Record r = plan(100, 200);
  r.groups = {{"billing", 120}, {"audit", 100}};
  r.groups_without_commit = {"late"};
  Snapshot s;
  s.next = 100;
  GroupPlacement g = place_groups(r, s, kPolicy, {});
  CHECK(g.pending == std::vector<GroupOffset>{{"billing", 120}, {"audit", 100}, {"late", -1}});
  CHECK(g.placed.empty());
  CHECK(g.left.empty());
  CHECK(place_groups(r, s, {false, false, "m"}, {}).pending.empty());  // --no-group-offsets
}

TEST_CASE("groups: active members or a foreign commit leave a group alone unless forced",
          "[copy_state]") {
  Record r = plan(100, 200);
  r.groups = {{"busy", 120}, {"taken", 130}};
  Snapshot s;
  s.next = 100;
  std::map<std::string, GroupFacts> facts{
      {"busy", {std::nullopt, {Activity::active, "2 members, Stable"}}},
      {"taken", {CommittedOffset{{"orders", 2}, 7, ""}, {Activity::idle, "Empty"}}}};
  GroupPlacement g = place_groups(r, s, kPolicy, facts);
  CHECK(g.pending.empty());
  REQUIRE(g.left.size() == 2);
  CHECK(g.left[0] == std::pair<std::string, std::string>{
                         "busy", "active members in target (2 members, Stable)"});
  CHECK(g.left[1].second == "committed offset 7 in target not written by ck-copy");
  GroupPlacement forced = place_groups(r, s, {true, true, kPolicy.marker}, facts);
  CHECK(forced.pending.size() == 2);
  CHECK(forced.left.empty());
}

TEST_CASE("groups: a group whose state in the target is unknown is possibly consuming",
          "[copy_state]") {
  // What Kafka 4.x makes of a live KIP-848 group: listed as Stable, described as Dead.
  Record r = plan(100, 200);
  r.groups = {{"live848", 120}};
  r.groups_without_commit = {"quiet"};
  Snapshot s;
  s.next = 100;
  std::map<std::string, GroupFacts> facts{
      {"live848", {std::nullopt, {Activity::unknown, "listed as Stable but described as Dead"}}},
      {"quiet", {std::nullopt, {Activity::idle, "listed as Empty"}}}};
  GroupPlacement g = place_groups(r, s, kPolicy, facts);
  CHECK(g.pending == std::vector<GroupOffset>{{"quiet", -1}});
  REQUIRE(g.left.size() == 1);
  CHECK(g.left[0] == std::pair<std::string, std::string>{
                         "live848",
                         "state unknown in target: listed as Stable but described as Dead"});
  GroupPlacement forced = place_groups(r, s, {true, true, kPolicy.marker}, facts);
  CHECK(forced.pending == std::vector<GroupOffset>{{"live848", 120}, {"quiet", -1}});
  CHECK(forced.left.empty());
}

TEST_CASE("groups: an idle group with no commit in the target is placed", "[copy_state]") {
  Record r = plan(100, 200);
  r.groups = {{"billing", 120}};
  Snapshot s;
  s.next = 100;
  std::map<std::string, GroupFacts> facts{
      {"billing", {std::nullopt, {Activity::idle, "no such group"}}}};
  GroupPlacement g = place_groups(r, s, kPolicy, facts);
  CHECK(g.pending == std::vector<GroupOffset>{{"billing", 120}});
  CHECK(g.left.empty());
}

TEST_CASE("groups: one placed by an earlier run of the job is kept where it is",
          "[copy_state]") {
  Record r = plan(100, 200);
  r.groups = {{"billing", 120}};
  Snapshot s;
  s.next = 150;
  s.copied = 50;
  std::map<std::string, GroupFacts> facts{
      {"billing", {CommittedOffset{{"orders", 2}, 20, kPolicy.marker}, {Activity::idle, "Empty"}}}};
  GroupPlacement g = place_groups(r, s, kPolicy, facts);
  CHECK(g.placed == std::vector<GroupOffset>{{"billing", 20}});
  CHECK(g.pending.empty());
  CHECK(g.left.empty());
}

TEST_CASE("groups: a position an earlier run copied past is left alone", "[copy_state]") {
  Record r = plan(100, 200);
  r.groups = {{"behind", 120}, {"ahead", 170}};
  Snapshot s;
  s.next = 150;
  s.copied = 50;
  GroupPlacement g = place_groups(r, s, kPolicy, {});
  CHECK(g.pending == std::vector<GroupOffset>{{"ahead", 170}});
  REQUIRE(g.left.size() == 1);
  CHECK(g.left[0].second == "its position was copied by an earlier run that did not move it");
}

TEST_CASE("groups: a range an earlier run completed leaves new groups alone", "[copy_state]") {
  Record r = plan(100, 200);
  r.groups = {{"new", 250}};
  Snapshot s;
  s.next = 200;
  s.copied = 100;
  s.stage = Stage::kComplete;
  GroupPlacement g = place_groups(r, s, kPolicy, {});
  REQUIRE(g.left.size() == 1);
  CHECK(g.left[0].second == "the range was completed by an earlier run that did not move it");
  // Complete without a message copied (an empty range): the group is still placed.
  s.copied = 0;
  CHECK(place_groups(r, s, kPolicy, {}).pending.size() == 1);
}

TEST_CASE("opening: finished earlier, complete now, or read", "[copy_state]") {
  Snapshot s;
  s.next = 100;
  CHECK(opening(plan(100, 200), s, false) == Opening::kRead);
  CHECK(opening(plan(100, 100), s, false) == Opening::kCompleteNow);  // empty range
  s.stage = Stage::kComplete;
  CHECK(opening(plan(100, 200), s, false) == Opening::kFinishedEarlier);
  CHECK(opening(plan(100, 200), s, true) == Opening::kCompleteNow);  // groups still to place
}

TEST_CASE("a batch: after a rewind the rest of it is dropped, every message released",
          "[copy_state]") {
  // Messages 0..5 of one batch; a full transaction commits after message 2, fails, and
  // the copy rewinds to the last commit. Messages 3..5 were read before the rewind: had
  // they been produced, the rewound reader's copies of the earlier offsets would have
  // been skipped as already produced, and lost.
  std::vector<size_t> handled, released;
  BatchStep step = for_each_until_rewind(
      6, [&](size_t i) { handled.push_back(i); },
      [&](size_t i) { return i == 2 ? BatchStep::kRewound : BatchStep::kGoOn; },
      [&](size_t i) { released.push_back(i); });
  CHECK(step == BatchStep::kRewound);
  CHECK(handled == std::vector<size_t>{0, 1, 2});
  CHECK(released == std::vector<size_t>{0, 1, 2, 3, 4, 5});
  handled.clear();
  step = for_each_until_rewind(
      3, [&](size_t i) { handled.push_back(i); }, [&](size_t) { return BatchStep::kGoOn; },
      [](size_t) {});
  CHECK(step == BatchStep::kGoOn);
  CHECK(handled.size() == 3);
}
