// ck-verify's rules without a broker: target ranges, data verdicts,
// first-difference search, message hashing, the verify record and the Prometheus file, and
// the outcome of a run against a job still following (exit 4).
#include <catch2/catch.hpp>

#include <cstring>
#include <regex>
#include <set>
#include <sstream>

#include "../../tools/ck-verify/digest.hpp"
#include "exit_codes.hpp"
#include "record_input.hpp"
#include "../../tools/ck-verify/report.hpp"
#include "../../tools/ck-verify/verifier.hpp"

using namespace ck;
using namespace ck::verify;

namespace {
GroupCheck group_check(const char* group, int64_t expected, int64_t committed,
                       int64_t remaining, GroupVerdict verdict) {
  GroupCheck g;
  g.group = group;
  g.source_offset = 150;
  g.expected = expected;
  g.committed = committed;
  g.remaining = remaining;
  g.verdict = verdict;
  g.position_ok = verdict == GroupVerdict::kOk;
  g.delta = committed < 0 ? 0 : committed - expected;
  return g;
}

Record plan_record() {
  Record r;
  r.topic = "t";
  r.partition = 2;
  r.start = 100;
  r.end = 200;
  r.groups = {{"a", 150}, {"b", 50}};
  return r;
}

Record copy_record() {
  Record r = plan_record();
  r.type = "copy";
  r.copy.status = "copied";
  r.copy.copied = 100;
  r.copy.target_start = 0;
  r.copy.target_end = 102;
  r.copy.target_groups = {{"a", 50}};
  return r;
}

// The job copied source [1000,3000) (2000 messages) to target [0,2000); the source is
// 1200 messages further, the oldest of them 3.5 s old.
PartitionResult following_result(const Record* rec, int64_t target_count) {
  PartitionResult r;
  r.record = rec;
  r.source = {1000, 3000};
  r.target = {0, 2000};
  r.source_count = 2000;
  r.target_count = target_count;
  r.verdict = judge_counts(r.source_count, r.target_count, false, 0, 0);
  r.behind = behind_of(1200, 1'700'000'000'000, 1'700'000'003'500);
  return r;
}

}  // namespace

TEST_CASE("the target range comes from the copy result, else the whole target partition") {
  CHECK(target_range_for(copy_record(), 7, 500) == Range{0, 102});
  CHECK(target_range_for(plan_record(), 7, 500) == Range{7, 500});
  Record empty = copy_record();
  empty.copy.copied = 0;
  empty.copy.target_start = empty.copy.target_end = -1;
  CHECK(target_range_for(empty, 7, 500) == Range{0, 0});
}

TEST_CASE("skipped and incomplete copies are told apart") {
  Record r = plan_record();
  CHECK_FALSE(is_skipped(r));
  r.action = "skip";
  CHECK(is_skipped(r));
  Record c = copy_record();
  CHECK(incomplete_copy_status(c).empty());
  c.copy.status = "failed";
  CHECK(incomplete_copy_status(c) == "failed");
  c.copy.status = "dry-run";
  CHECK(incomplete_copy_status(c) == "dry-run");
  CHECK(incomplete_copy_status(plan_record()).empty());
}

TEST_CASE("data verdicts from counts and digests") {
  CHECK(judge_counts(10, 10, false, 1, 2) == DataVerdict::kOk);
  CHECK(judge_counts(10, 10, true, 1, 1) == DataVerdict::kOk);
  CHECK(judge_counts(10, 10, true, 1, 2) == DataVerdict::kMismatch);
  CHECK(judge_counts(10, 9, false, 0, 0) == DataVerdict::kMismatch);
  CHECK(is_ok(DataVerdict::kSkipped));
  CHECK_FALSE(is_ok(DataVerdict::kMissing));
}

TEST_CASE("first difference between two message sequences") {
  std::vector<MessageHash> s = {{0, 1}, {1, 2}, {2, 3}};
  std::vector<MessageHash> t = {{10, 1}, {12, 2}, {13, 3}};
  CHECK_FALSE(first_difference(s, t, 0));
  t[1].hash = 9;
  auto d = first_difference(s, t, 4096);
  REQUIRE(d);
  CHECK(d->position == 4097);
  CHECK(d->source_offset == 1);
  CHECK(d->target_offset == 12);
  t.pop_back();
  t[1].hash = 2;
  d = first_difference(s, t, 0);  // target ended early
  REQUIRE(d);
  CHECK(d->source_offset == 2);
  CHECK(d->target_offset == -1);
}

TEST_CASE("message hashing frames fields so they cannot run together") {
  MessageHasher h;
  auto hash = [&](const char* key, const char* value, int64_t ts) {
    h.begin();
    h.key(key, key ? std::strlen(key) : 0);
    h.value(value, value ? std::strlen(value) : 0);
    h.headers(0);
    h.timestamp(ts);
    return h.finish();
  };
  CHECK(hash("ab", "c", 1) == hash("ab", "c", 1));
  CHECK(hash("ab", "c", 1) != hash("a", "bc", 1));
  CHECK(hash(nullptr, "c", 1) != hash("", "c", 1));
  CHECK(hash("a", nullptr, 1) != hash("a", "", 1));
  CHECK(hash("a", "b", 1) != hash("a", "b", 2));
  auto with_header = [&](const char* name, const char* value) {
    h.begin();
    h.key("k", 1);
    h.value("v", 1);
    h.headers(1);
    h.header(name, std::strlen(name), value, value ? std::strlen(value) : 0);
    h.timestamp(0);
    return h.finish();
  };
  CHECK(with_header("h", nullptr) != with_header("h", ""));
  CHECK(with_header("ab", "c") != with_header("a", "bc"));
  SequenceDigest a, b;
  a.add(1);
  a.add(2);
  b.add(2);
  b.add(1);
  CHECK(a.value() != b.value());  // order matters
}

namespace {
PartitionResult counted(const Record* rec, int64_t source, int64_t target) {
  PartitionResult r;
  r.record = rec;
  r.source = {rec->start, rec->end};
  r.target = {0, 1002};
  r.source_count = source;
  r.target_count = target;
  r.verdict = judge_counts(source, target, false, 0, 0);
  return r;
}
}  // namespace

TEST_CASE("problem lines name topic, partition and offsets") {
  Record rec = copy_record();
  rec.start = 0;
  rec.end = 1000;
  PartitionResult r = counted(&rec, 1000, 999);
  auto lines = describe_problems(r);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] ==
        "topic t partition 2: source has 1000 messages in [0,1000), target has 999 in [0,1002)");
  r = counted(&rec, 1000, 1000);
  CHECK(describe_problems(r).empty());
  CHECK(r.ok());
  r.groups.push_back(group_check("g", 500, 400, 602, GroupVerdict::kBehind));
  r.groups.push_back(group_check("h", 500, -1, -1, GroupVerdict::kMissing));
  CHECK_FALSE(r.ok());
  lines = describe_problems(r);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "topic t partition 2: group g: behind: would re-read 100 messages (committed "
                   "target offset 400, expected 500 from source offset 150)");
  CHECK(lines[1] == "topic t partition 2: group h: missing: no committed offset in the target "
                   "(expected 500 from source offset 150)");
  PartitionResult m;
  m.record = &rec;
  m.verdict = DataVerdict::kMissing;
  m.missing_reason = "topic absent";
  CHECK(describe_problems(m) ==
        std::vector<std::string>{"topic t partition 2: missing in the target (topic absent)"});
  PartitionResult c = counted(&rec, 1000, 1000);
  c.content = true;
  c.verdict = DataVerdict::kMismatch;
  c.difference = FirstDifference{17, 19, 17};
  CHECK(describe_problems(c) ==
        std::vector<std::string>{"topic t partition 2: content differs, first at message #17 of "
                                 "the range: source offset 17, target offset 19"});
}

TEST_CASE("the verify record keeps the input fields and replaces its own") {
  Record rec = copy_record();
  rec.extra = {{"note", "\"kept\""}};
  rec.verify.verdict = "old";
  rec.verify.problems = {"old problem"};
  PartitionResult r = counted(&rec, 100, 100);
  r.groups.push_back(group_check("a", 50, 60, 42, GroupVerdict::kOk));
  Record out = verify_record(r);
  CHECK(out.type == "verify");
  std::string json = to_json(out);
  CHECK(json.find("\"note\":\"kept\"") != std::string::npos);
  CHECK(json.find("\"old\"") == std::string::npos);
  CHECK(json.find("\"verdict\":\"ok\"") != std::string::npos);
  CHECK(json.find("\"source_count\":100") != std::string::npos);
  CHECK(json.find("{\"group\":\"a\",\"expected\":50,\"committed\":60,\"remaining\":42,"
                  "\"verdict\":\"ok\",\"position\":null,\"claimed\":null,"
                  "\"source_offset\":150,\"source_committed\":null,\"delta\":10,"
                  "\"stale\":false}") != std::string::npos);
  // Verifying the verify record again gives the same line, not repeated fields.
  PartitionResult again = r;
  again.record = &out;
  CHECK(to_json(verify_record(again)) == json);
  // And the line reads back as a record.
  std::istringstream in(json);
  RecordInput input(in, "<test>", BadLines::kStop);
  Record back;
  REQUIRE(input.next(&back));
  CHECK(back.type == "verify");
  CHECK(back.verify == out.verify);
  CHECK(back.extra == out.extra);
}

TEST_CASE("Prometheus label values are escaped") {
  CHECK(escape_label_value("plain") == "plain");
  CHECK(escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
}

TEST_CASE("the Prometheus file follows the text exposition format") {
  Record rec = copy_record();
  rec.topic = "we\"ird";
  PartitionResult ok = counted(&rec, 100, 100);
  ok.groups.push_back(group_check("g", 50, 60, 42, GroupVerdict::kOk));
  Record rec2 = plan_record();
  PartitionResult bad = counted(&rec2, 100, 99);
  std::string text = render_prometheus({ok, bad}, kExitFailed, 1700000000.5, 2);
  std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.e+]+$)");
  std::istringstream in(text);
  std::string line;
  std::set<std::string> help, type, sampled;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      help.insert(line.substr(7, line.find(' ', 7) - 7));
    } else if (line.rfind("# TYPE ", 0) == 0) {
      type.insert(line.substr(7, line.find(' ', 7) - 7));
    } else {
      INFO(line);
      CHECK(std::regex_match(line, sample));
      sampled.insert(line.substr(0, line.find_first_of("{ ")));
    }
  }
  for (const auto& name : sampled) {
    CHECK(help.count(name));
    CHECK(type.count(name));
  }
  CHECK(text.find("ck_verify_success 0\n") != std::string::npos);  // one partition failed
  CHECK(text.find("ck_verify_partitions_total 2\n") != std::string::npos);
  CHECK(text.find("ck_verify_partitions_ok 1\n") != std::string::npos);
  CHECK(text.find("ck_verify_messages_target{topic=\"t\",partition=\"2\"} 99\n") !=
        std::string::npos);
  CHECK(text.find("ck_verify_group_remaining{group=\"g\",topic=\"we\\\"ird\",partition=\"2\"} 42\n") !=
        std::string::npos);
  CHECK(text.find("ck_verify_last_run_timestamp_seconds 1700000000.5\n") != std::string::npos);
  std::string good = render_prometheus({ok}, kExitOk, 1, 1);
  CHECK(good.find("ck_verify_success 1\n") != std::string::npos);
  CHECK(render_prometheus({}, kExitRuntime, 1, 1).find("ck_verify_success 0\n") != std::string::npos);
}

TEST_CASE("the outcome: in progress only when everything copied so far is in order") {
  Record rec = plan_record();  // topic t partition 2
  PartitionResult behind = following_result(&rec, 2000);
  REQUIRE(behind.ok());
  CHECK(behind.in_progress());
  CHECK(outcome_of({behind}) == Outcome::kInProgress);
  auto lines = describe_in_progress(behind);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] ==
        "topic t partition 2: behind by 1200 messages (about 3.5 s): the job is still copying "
        "(follow mode); the 2000 messages copied so far in [1000,3000) verified");
  CHECK(summarize_in_progress({behind}) ==
        "in progress: 1 partition behind the source by 1200 messages in all (the oldest not "
        "copied about 3.5 s old); the part copied so far verified; run again when the job has "
        "finished");
  // A real mismatch in the copied part is a failure, whatever follows.
  PartitionResult broken = following_result(&rec, 1999);
  CHECK_FALSE(broken.ok());
  CHECK(describe_in_progress(broken).empty());
  CHECK(outcome_of({behind, broken}) == Outcome::kFailed);
  // Caught up, groups not placed yet: still in progress.
  PartitionResult caught_up = following_result(&rec, 2000);
  caught_up.behind = behind_of(0, -1, 0);
  CHECK_FALSE(caught_up.in_progress());
  caught_up.groups.push_back(GroupCheck{});
  caught_up.groups.back().verdict = GroupVerdict::kNotYetPlaced;
  CHECK(caught_up.in_progress());
  // Not following, all in order.
  PartitionResult done = following_result(&rec, 2000);
  done.behind.reset();
  CHECK(outcome_of({done}) == Outcome::kOk);
}

TEST_CASE("the Prometheus file tells a run in progress and the lag per partition") {
  Record rec = plan_record();  // topic t partition 2
  std::string text = render_prometheus({following_result(&rec, 2000)}, kExitInProgress, 1, 1);
  CHECK(text.find("ck_verify_success 0\n") != std::string::npos);
  CHECK(text.find("ck_verify_in_progress 1\n") != std::string::npos);
  CHECK(text.find("ck_verify_partition_ok{topic=\"t\",partition=\"2\"} 1\n") != std::string::npos);
  CHECK(text.find("ck_verify_behind_messages{topic=\"t\",partition=\"2\"} 1200\n") !=
        std::string::npos);
  CHECK(text.find("ck_verify_behind_seconds{topic=\"t\",partition=\"2\"} 3.5\n") !=
        std::string::npos);
}
