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

// The set-up of the group placement cases: a plan record of source 100..200 naming GROUPS,
// and the partition's copy reading at NEXT with COPIED messages copied by earlier runs.
struct PlacingCase {
  Record record;
  Snapshot snapshot;
};
PlacingCase placing(std::vector<GroupOffset> groups, int64_t next, int64_t copied = 0) {
  PlacingCase c{plan(100, 200), {}};
  c.record.groups = std::move(groups);
  c.snapshot.next = next;
  c.snapshot.copied = copied;
  return c;
}

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
  auto [r, s] = placing({{"billing", 120}, {"audit", 100}}, 100);
  r.groups_without_commit = {"late"};
  GroupPlacement g = place_groups(r, s, kPolicy, {});
  CHECK(g.pending == std::vector<GroupOffset>{{"billing", 120}, {"audit", 100}, {"late", -1}});
  CHECK(g.placed.empty());
  CHECK(g.left.empty());
  CHECK(place_groups(r, s, {false, false, "m"}, {}).pending.empty());  // --no-group-offsets
}

TEST_CASE("groups: active members or a foreign commit leave a group alone unless forced",
          "[copy_state]") {
  auto [r, s] = placing({{"busy", 120}, {"taken", 130}}, 100);
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
  auto [r, s] = placing({{"live848", 120}}, 100);
  r.groups_without_commit = {"quiet"};
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
  auto [r, s] = placing({{"billing", 120}}, 100);
  std::map<std::string, GroupFacts> facts{
      {"billing", {std::nullopt, {Activity::idle, "no such group"}}}};
  GroupPlacement g = place_groups(r, s, kPolicy, facts);
  CHECK(g.pending == std::vector<GroupOffset>{{"billing", 120}});
  CHECK(g.left.empty());
}

TEST_CASE("groups: one placed by an earlier run is placed again at its newest position",
          "[copy_state]") {
  auto [r, s] = placing({{"billing", 170}}, 150, 50);
  std::map<std::string, GroupFacts> facts{
      {"billing", {CommittedOffset{{"orders", 2}, 20, kPolicy.marker}, {Activity::idle, "Empty"}}}};
  GroupPlacement g = place_groups(r, s, kPolicy, facts);
  CHECK(g.pending == std::vector<GroupOffset>{{"billing", 170}});
  CHECK(g.placed.empty());
  // Consuming in the target meanwhile: kept where the earlier run placed it.
  facts["billing"].activity = {Activity::active, "1 member, Stable"};
  g = place_groups(r, s, kPolicy, facts);
  CHECK(g.placed == std::vector<GroupOffset>{{"billing", 20}});
  CHECK(g.pending.empty());
  CHECK(g.left.empty());
}

namespace {
// The job copied source 100..149 in two runs: 100..119 to target 0..19, 125..149 (120..124
// compacted away) to target 21..45.
OffsetIndex earlier_runs() {
  OffsetIndex index;
  REQUIRE(index.add(IndexRun{100, 0, 20}));
  REQUIRE(index.add(IndexRun{125, 21, 25}));
  return index;
}
}  // namespace

TEST_CASE("groups: a position an earlier run copied is placed through the offset index",
          "[copy_state]") {
  auto [r, s] = placing({{"behind", 110}, {"gap", 122}, {"edge", 150}, {"ahead", 170}}, 150, 45);
  r.start = 110;
  r.groups_without_commit = {"late"};
  s.job_start = 100;
  OffsetIndex index = earlier_runs();
  GroupPlacement g = place_groups(r, s, kPolicy, {}, &index);
  CHECK(g.from_index ==
        std::vector<GroupOffset>{{"behind", 10}, {"gap", 21}, {"late", 10}});
  CHECK(g.pending == std::vector<GroupOffset>{{"edge", 150}, {"ahead", 170}});
  CHECK(g.left.empty());
  // Without an index (copied by a ck-copy that kept none): left alone, or kept if ours.
  g = place_groups(r, s, kPolicy, {});
  CHECK(g.from_index.empty());
  REQUIRE(g.left.size() == 3);
  CHECK(g.left[0].second ==
        "its position lies in a range copied by an earlier run that kept no offset index");
  std::map<std::string, GroupFacts> facts{
      {"behind", {CommittedOffset{{"orders", 2}, 7, kPolicy.marker}, {Activity::idle, "Empty"}}}};
  CHECK(place_groups(r, s, kPolicy, facts).placed == std::vector<GroupOffset>{{"behind", 7}});
}

TEST_CASE("groups: a range an earlier run completed places new groups at its end",
          "[copy_state]") {
  auto [r, s] = placing({{"new", 250}}, 200, 100);
  s.stage = Stage::kComplete;
  GroupPlacement g = place_groups(r, s, kPolicy, {});
  CHECK(g.pending == std::vector<GroupOffset>{{"new", 250}});  // on completion: target end
  CHECK(g.left.empty());
}

TEST_CASE("groups: the index is needed once an earlier run copied what the record names",
          "[copy_state]") {
  auto [r, s] = placing({{"ahead", 170}}, 150);
  s.job_start = 100;
  CHECK_FALSE(needs_index(r, s));  // nothing copied yet
  s.copied = 50;
  CHECK_FALSE(needs_index(r, s));  // same start, the group is ahead
  r.groups.push_back({"behind", 120});
  CHECK(needs_index(r, s));
  r.groups = {};
  r.start = 120;
  CHECK(needs_index(r, s));  // the record's range starts inside what was copied
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
