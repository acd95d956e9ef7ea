// The field table: every field round-trips, unknown fields stay in `extra`, and each
// stage's fields can be stripped without touching the others.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "record_fields.hpp"
#include "record_input.hpp"
#include "strings.hpp"

using namespace ck;

namespace {

Record full_record() {
  Record r;
  r.type = "verify";
  r.topic = "orders";
  r.partition = 2;
  r.partitions = 4;
  r.action = "copy";
  r.start = 100;
  r.end = 250;
  r.log_start = 90;
  r.high_watermark = 260;
  r.expired = 3;
  r.groups = {{"a", 100}, {"b", -1}};
  r.groups_without_commit = {"lazy"};
  r.copy.status = "copied";
  r.copy.copied = 150;
  r.copy.target_start = 0;
  r.copy.target_end = 152;
  r.copy.target_groups = {{"a", 0}};
  r.copy.groups_left = {{"b", "no commit in the range"}};
  r.copy.error = "";
  r.verify.verdict = "mismatch";
  r.verify.source_count = 150;
  r.verify.target_count = 149;
  r.verify.target_range_start = 0;
  r.verify.target_range_end = 152;
  r.verify.source_digest = "00112233445566ff";
  r.verify.target_digest = "ffeeddccbbaa9988";
  r.verify.has_difference = true;
  r.verify.first_difference = {7, 107, -1};
  r.verify.group_checks = {{"a", 0, -1, -1, "missing"},
                           {"b", 5, 7, 139, "behind", 5, 7, 150, 152, -2, true}};
  r.verify.problems = {"topic orders partition 2: source has 150 messages"};
  r.verify.behind = 1200;
  r.extra = {{"note", R"({"by":"jq"})"}, {"owner", R"("team")"}};
  return r;
}

Record parse(const std::string& line, std::string* err = nullptr) {
  std::istringstream in(line);
  RecordInput input(in, "<t>", BadLines::kStop);
  Record r;
  bool ok = input.next(&r);
  if (err) *err = ok ? "" : input.error_text();
  return r;
}

// The record without where it was read, for comparing the whole struct.
Record unplaced(Record r) {
  r.source_name.clear();
  r.line = 0;
  return r;
}

std::string plan_line(const std::string& more) {
  return R"({"v":1,"topic":"t","partition":0,"start":0,"end":5)" + more + "}";
}

}  // namespace

TEST_CASE("every field of every stage round-trips through the table", "[fields]") {
  Record r = full_record();
  std::string line = to_json(r);
  std::string err;
  Record back = parse(line, &err);
  REQUIRE(err == "");
  CHECK(to_json(back) == line);
  CHECK(back.copy.groups_left == r.copy.groups_left);
  CHECK(back.verify == r.verify);
  CHECK(back.extra == r.extra);
  // The same record with no difference found writes first_difference as null.
  r.verify.has_difference = false;
  r.verify.first_difference = {};
  back = parse(to_json(r), &err);
  REQUIRE(err == "");
  CHECK(to_json(r).find(R"("first_difference":null)") != std::string::npos);
  CHECK(back.verify == r.verify);
}

TEST_CASE("known fields are the table's, the rest is kept in extra in order", "[fields]") {
  std::set<std::string_view> all;
  for (Stage s : {Stage::kPlan, Stage::kCopy, Stage::kVerify})
    for (auto name : field_names(s)) {
      CHECK(is_record_field(name));
      CHECK(all.insert(name).second);  // each field belongs to one stage
    }
  CHECK(all.size() == 34);
  CHECK_FALSE(is_record_field("note"));
  CHECK_FALSE(is_record_field("verify"));
  Record r = parse(plan_line(R"(,"zeta":[1,{"a":null}],"groups_leftover":1,"alpha":"x")"));
  REQUIRE(r.extra.size() == 3);
  CHECK(r.extra[0] == std::pair<std::string, std::string>{"zeta", R"([1,{"a":null}])"});
  CHECK(r.extra[1].first == "groups_leftover");
  CHECK(r.extra[2].first == "alpha");
  CHECK(to_json(r).find(R"("zeta":[1,{"a":null}],"groups_leftover":1,"alpha":"x"})") !=
        std::string::npos);
}

TEST_CASE("the stages own the fields the format page lists for them", "[fields]") {
  CHECK(field_names(Stage::kCopy) ==
        std::vector<std::string_view>{"status", "copied", "target_start", "target_end",
                                      "target_groups", "groups_left", "error"});
  CHECK(field_names(Stage::kVerify).front() == "source_count");
  CHECK(field_names(Stage::kPlan).front() == "v");
  // ck-records(5) documents every field (the unit tests run from the source tree).
  std::ifstream page("man/ck-records.5");
  REQUIRE(page);
  std::stringstream text;
  text << page.rdbuf();
  for (Stage s : {Stage::kPlan, Stage::kCopy, Stage::kVerify})
    for (auto name : field_names(s)) {
      INFO(name);
      CHECK(text.str().find(std::string(name)) != std::string::npos);
    }
}

TEST_CASE("stripping a stage clears its fields and nothing else", "[fields]") {
  const Record r = full_record();
  Record copy_gone = r;
  strip_stage(&copy_gone, Stage::kCopy);
  CHECK(copy_gone.copy.status.empty());
  CHECK(copy_gone.copy.copied == -1);
  CHECK(copy_gone.copy.target_start == -1);
  CHECK(copy_gone.copy.target_end == -1);
  CHECK(copy_gone.copy.target_groups.empty());
  CHECK(copy_gone.copy.groups_left.empty());
  CHECK(copy_gone.verify == r.verify);
  CHECK(copy_gone.groups == r.groups);
  CHECK(copy_gone.extra == r.extra);
  std::string json = to_json(copy_gone);
  for (auto name : field_names(Stage::kCopy))
    CHECK(json.find(cat("\"", name, "\":")) == std::string::npos);

  Record verify_gone = r;
  strip_stage(&verify_gone, Stage::kVerify);
  CHECK(verify_gone.verify == VerifyFields());
  CHECK(verify_gone.copy.status == "copied");
  CHECK(verify_gone.copy.target_groups == r.copy.target_groups);
  json = to_json(verify_gone);
  for (auto name : field_names(Stage::kVerify))
    CHECK(json.find(cat("\"", name, "\":")) == std::string::npos);

  Record plan_gone = r;
  strip_stage(&plan_gone, Stage::kPlan);
  CHECK(plan_gone.topic.empty());
  CHECK(plan_gone.groups.empty());
  CHECK(plan_gone.copy.status == "copied");

  // Stripped copy and verify stages leave the plan a plan would have written.
  Record plan = unplaced(parse(to_json(r)));
  strip_stage(&plan, Stage::kCopy);
  strip_stage(&plan, Stage::kVerify);
  Record expected = r;
  expected.copy.status.clear();
  expected.copy.copied = expected.copy.target_start = expected.copy.target_end = -1;
  expected.copy.target_groups.clear();
  expected.copy.groups_left.clear();
  expected.verify = {};
  CHECK(to_json(plan) == to_json(expected));
}

TEST_CASE("the result fields are checked like the plan's", "[fields]") {
  std::string err;
  parse(plan_line(R"(,"status":"copied","groups_left":{"g":1})"), &err);
  CHECK(err == R"(<t>:1: topic t partition 0: field "groups_left.g": expected string)");
  parse(plan_line(R"(,"ok":"yes")"), &err);
  CHECK(err == R"(<t>:1: topic t partition 0: field "ok": expected true or false)");
  parse(plan_line(R"(,"target_range":[1])"), &err);
  CHECK(err == R"(<t>:1: topic t partition 0: field "target_range": expected [start, end])");
  parse(plan_line(R"(,"group_checks":[{"group":"a","expected":"x"}])"), &err);
  CHECK(err ==
        R"(<t>:1: topic t partition 0: field "group_checks.0.expected": expected integer)");
  parse(plan_line(R"(,"first_difference":3)"), &err);
  CHECK(err == R"(<t>:1: topic t partition 0: field "first_difference": expected object or null)");
  parse(plan_line(R"(,"problems":"one")"), &err);
  CHECK(err == R"(<t>:1: topic t partition 0: field "problems": expected array)");
  // A field of a later stage alone is kept but written only with its stage.
  Record r = parse(plan_line(R"(,"copied":4)"), &err);
  CHECK(err == "");
  CHECK(r.copy.copied == 4);
  CHECK(to_json(r).find("copied") == std::string::npos);
}

TEST_CASE("location() is the one prefix of messages about a record", "[fields]") {
  Record r;
  r.source_name = "plan.ndjson";
  r.line = 12;
  r.topic = "orders";
  r.partition = 3;
  CHECK(r.location() == "plan.ndjson:12: topic orders partition 3");
  CHECK(r.where() == describe("orders", 3));
}
