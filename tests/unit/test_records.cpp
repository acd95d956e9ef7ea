#include <catch2/catch.hpp>

#include <sstream>

#include "record_input.hpp"
#include "records.hpp"

namespace {
// Parses one line as line 12 of <stdin>; returns the error text ("" if it parsed).
std::string parse_error(const std::string& line, ck::Record* out = nullptr) {
  std::istringstream in(std::string(11, '\n') + line + "\n");
  ck::RecordInput input(in, "<stdin>", ck::BadLines::kStop);
  ck::Record record;
  bool ok = input.next(&record);
  if (out) *out = record;
  return ok ? "" : input.error_text();
}
const std::string kBase = R"("v":1,"topic":"t","partition":3,"start":5,"end":9)";
}  // namespace

TEST_CASE("a plan record round-trips through writer and reader unchanged") {
  ck::Record r;
  r.topic = "test3";
  r.partition = 2;
  r.partitions = 4;
  r.start = 187800;
  r.end = 264322;
  r.log_start = 100;
  r.high_watermark = 264330;
  r.groups = {{"test123-group", 187800}, {"test34-group", 190000}};
  r.groups_without_commit = {"lazy"};
  r.extra = {{"note", R"({"by":"jq"})"}};
  std::string line = ck::to_json(r);
  ck::Record back;
  REQUIRE(parse_error(line, &back) == "");
  CHECK(ck::to_json(back) == line);
  CHECK(back.groups == r.groups);
  CHECK(back.extra == r.extra);
  CHECK(back.line == 12);
}

TEST_CASE("copy result fields round-trip") {
  ck::Record r;
  r.type = "copy";
  r.topic = "t";
  r.partition = 0;
  r.start = 0;
  r.end = 10;
  r.copy.status = "copied";
  r.copy.copied = 10;
  r.copy.target_start = 0;
  r.copy.target_end = 11;
  r.copy.target_groups = {{"g", 4}};
  ck::Record back;
  REQUIRE(parse_error(ck::to_json(r), &back) == "");
  CHECK(back.copy.status == "copied");
  CHECK(back.copy.copied == 10);
  CHECK(back.copy.target_end == 11);
  CHECK(back.copy.target_groups == r.copy.target_groups);
  CHECK(ck::to_json(back) == ck::to_json(r));
}

TEST_CASE("unknown fields are kept verbatim and in order") {
  ck::Record r;
  REQUIRE(parse_error("{" + kBase + R"(,"zeta":[1,{"a":null}],"alpha":"x"})", &r) == "");
  REQUIRE(r.extra.size() == 2);
  CHECK(r.extra[0].first == "zeta");
  CHECK(r.extra[0].second == R"([1,{"a":null}])");
  CHECK(r.extra[1].second == R"("x")");
}

TEST_CASE("reader error paths name source, line, topic, partition and field") {
  CHECK(parse_error("{not json") .rfind("<stdin>:12: not valid JSON: ", 0) == 0);
  CHECK(parse_error("[1,2]") == "<stdin>:12: expected a JSON object");
  CHECK(parse_error(R"({"v":1,"topic":"t","partition":"3","start":0,"end":1})") ==
        "<stdin>:12: field \"partition\": expected integer");
  CHECK(parse_error(R"({"v":1,"topic":"t","partition":-1,"start":0,"end":1})") ==
        "<stdin>:12: field \"partition\": must be >= 0, got -1");
  CHECK(parse_error(R"({"v":1,"topic":"t","partition":3,"end":1})") ==
        "<stdin>:12: topic t partition 3: field \"start\": missing");
  CHECK(parse_error(R"({"v":1,"partition":3,"start":0,"end":1})") ==
        "<stdin>:12: field \"topic\": missing");
  CHECK(parse_error(R"({"topic":"t","partition":3,"start":0,"end":1})") ==
        "<stdin>:12: topic t partition 3: field \"v\": missing");
  CHECK(parse_error(R"({"v":2,"topic":"t","partition":3,"start":0,"end":1})") ==
        "<stdin>:12: field \"v\": unsupported schema version 2 (this build reads up to 1)");
  CHECK(parse_error(R"({"v":1,"topic":"t","partition":3,"start":9,"end":5})") ==
        "<stdin>:12: topic t partition 3: field \"end\": 5 is below start 9");
  CHECK(parse_error(R"({"v":1,"topic":"t","partition":3,"partitions":2,"start":0,"end":5})") ==
        "<stdin>:12: topic t partition 3: field \"partition\": 3 is beyond the topic's 2 partitions");
  CHECK(parse_error("{" + kBase + R"(,"start":1.5})") ==
        "<stdin>:12: topic t partition 3: field \"start\": expected integer");
  CHECK(parse_error("{" + kBase + R"(,"end":18446744073709551615})") ==
        "<stdin>:12: topic t partition 3: field \"end\": out of range");
  CHECK(parse_error("{" + kBase + R"(,"action":"move"})") ==
        "<stdin>:12: topic t partition 3: field \"action\": expected \"copy\" or \"skip\"");
  CHECK(parse_error("{" + kBase + R"(,"groups":[1]})") ==
        "<stdin>:12: topic t partition 3: field \"groups\": expected object");
  CHECK(parse_error("{" + kBase + R"(,"groups":{"g":"x"}})") ==
        "<stdin>:12: topic t partition 3: field \"groups.g\": expected integer");
  CHECK(parse_error("{" + kBase + R"(,"groups_without_commit":[1]})") ==
        "<stdin>:12: topic t partition 3: field \"groups_without_commit\": expected array of strings");
  CHECK(parse_error(R"({"v":1,"topic":"","partition":3,"start":0,"end":1})") ==
        "<stdin>:12: topic  partition 3: field \"topic\": must not be empty");
}

TEST_CASE("blank lines are skipped and line numbers still count them") {
  std::istringstream in("\n   \n{" + kBase + "}\n");
  ck::RecordInput input(in, "plan.ndjson", ck::BadLines::kStop);
  ck::Record r;
  REQUIRE(input.next(&r));
  CHECK(r.line == 3);
  CHECK(r.location() == "plan.ndjson:3: topic t partition 3");
  CHECK_FALSE(input.next(&r));
  CHECK(input.error() == ck::InputError::kNone);
  CHECK(input.error_text().empty());
}
