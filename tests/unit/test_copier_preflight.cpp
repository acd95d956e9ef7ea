// ck-copy's preflight rules, checked against hand-made facts (no broker).
#include <catch2/catch.hpp>

#include <sstream>

#include "../../tools/ck-copy/preflight.hpp"
#include "../../tools/ck-copy/progress_line.hpp"

using namespace ck;
using namespace ck::copy;

namespace {

PlanInput read(const std::string& text) {
  std::istringstream in(text);
  RecordInput input(in, "<stdin>", BadLines::kCollect);
  return as_plan(input);
}

std::string line(const std::string& topic, int partition, int64_t start, int64_t end,
                 const std::string& more = "") {
  return "{\"v\":1,\"topic\":\"" + topic + "\",\"partition\":" + std::to_string(partition) +
         ",\"start\":" + std::to_string(start) + ",\"end\":" + std::to_string(end) + more +
         "}\n";
}

SourceFacts facts() {
  SourceFacts f;
  f.partition_counts = {{"orders", 2}};
  f.log_start = {{{"orders", 0}, 100}, {{"orders", 1}, 0}};
  f.stable_end = {{{"orders", 0}, 500}, {{"orders", 1}, 50}};
  return f;
}

}  // namespace

TEST_CASE("a results file reads as a plan", "[copier]") {
  PlanInput in = read(line("orders", 0, 1, 2,
                           R"(,"type":"copy","status":"failed","copied":1,"target_start":4,)"
                           R"("target_end":5,"target_groups":{"g":4},"error":"x",)"
                           R"("groups_left":{"g":"y"},"verdict":"ok","note":"kept")"));
  REQUIRE(in.records.size() == 1);
  const Record& r = in.records[0];
  CHECK(r.copy.status.empty());
  CHECK(r.copy.copied == -1);
  CHECK(r.copy.target_groups.empty());
  CHECK(r.copy.error.empty());
  CHECK(r.copy.groups_left.empty());
  CHECK(r.verify.verdict.empty());
  REQUIRE(r.extra.size() == 1);
  CHECK(r.extra[0].first == "note");
}

TEST_CASE("malformed lines are collected with their line numbers", "[copier]") {
  PlanInput in = read(line("orders", 0, 1, 2) + "not json\n\n" + line("orders", 1, 5, 2));
  CHECK(in.records.size() == 1);
  CHECK(in.error == InputError::kNone);
  REQUIRE(in.bad_lines.size() == 2);
  CHECK(in.bad_lines[0].rfind("<stdin>:2: not valid JSON", 0) == 0);
  CHECK(in.bad_lines[1].rfind("<stdin>:4: topic orders partition 1:", 0) == 0);
}

TEST_CASE("records are checked against the source as it is now", "[copier]") {
  PlanInput in = read(line("orders", 0, 100, 200) +   // fine
                      line("orders", 1, 0, 50) +      // fine
                      line("orders", 0, 150, 160) +   // twice
                      line("gone", 0, 0, 1) +         // missing topic
                      line("orders", 2, 0, 1) +       // beyond the topic
                      line("orders", 0, 99, 200, R"(,"action":"skip")"));  // skip: dup only
  auto invalid = check_records(in.records, facts());
  REQUIRE(invalid.size() == 4);
  CHECK(invalid[0].index == 2);
  CHECK(invalid[0].error == "<stdin>:3: topic orders partition 0: the same partition is already "
                            "on line 1");
  CHECK(invalid[1].error == "<stdin>:4: topic gone partition 0: topic does not exist in the "
                            "source");
  CHECK(invalid[2].error == "<stdin>:5: topic orders partition 2: the source topic has only 2 "
                            "partitions");
  CHECK(invalid[3].index == 5);
}

TEST_CASE("a start below the log start and an end beyond the stable end are refused",
          "[copier]") {
  PlanInput in = read(line("orders", 0, 90, 200) + line("orders", 1, 0, 51));
  auto invalid = check_records(in.records, facts());
  REQUIRE(invalid.size() == 2);
  CHECK(invalid[0].error.find("topic orders partition 0: start 90 is below the source's log "
                              "start 100: 10 offsets expired") != std::string::npos);
  CHECK(invalid[1].error.find("end 51 is beyond the source's last stable offset 50") !=
        std::string::npos);
}

TEST_CASE("shard selection keeps a disjoint subset", "[copier]") {
  PlanInput in;
  for (int p = 0; p < 20; ++p) in.records.push_back(read(line("t", p, 0, 1)).records[0]);
  size_t total = 0;
  for (int i = 1; i <= 3; ++i) total += select_shard(in.records, i, 3).size();
  CHECK(total == 20);
  CHECK(select_shard(in.records, 0, 0).size() == 20);
}

TEST_CASE("target topics: missing, created like the source's, or mismatched", "[copier]") {
  std::map<std::string, int32_t> source = {{"a", 3}, {"b", 2}, {"c", 4}};
  std::map<std::string, std::map<std::string, std::string>> source_configs = {
      {"a", {{"cleanup.policy", "compact"}, {"retention.ms", "-1"}, {"flush.ms", "1"}}},
      {"c", {{"max.message.bytes", "2000000"}}}};
  std::map<std::string, int32_t> target = {{"b", 3}, {"c", 4}};
  std::map<std::string, std::map<std::string, std::string>> target_configs = {
      {"c", {{"max.message.bytes", "1000000"}, {"message.timestamp.type", "LogAppendTime"}}}};

  auto refused = check_target(source, source_configs, target, target_configs, false, -1);
  CHECK(refused.to_create.empty());
  CHECK(refused.refused.at("a") ==
        "topic does not exist in the target (--create-topics would create it with 3 partitions, "
        "replication factor the broker's default, configs cleanup.policy=compact,retention.ms=-1)");
  CHECK(refused.refused.at("b") == "the target topic has 3 partitions, the source's has 2");
  REQUIRE(refused.warnings.size() == 2);
  CHECK(refused.warnings[0].find("max.message.bytes 1000000 is smaller") != std::string::npos);
  CHECK(refused.warnings[1].find("LogAppendTime") != std::string::npos);

  auto created = check_target(source, source_configs, target, target_configs, true, 3);
  REQUIRE(created.to_create.size() == 1);
  const NewTopic& t = created.to_create[0];
  CHECK(t.topic == "a");
  CHECK(t.partitions == 3);
  CHECK(t.replication_factor == 3);
  CHECK(t.configs == std::map<std::string, std::string>{{"cleanup.policy", "compact"},
                                                        {"retention.ms", "-1"}});
  CHECK(created.refused.count("b") == 1);  // creating never fixes a count mismatch
  CHECK(new_topic_text(t) ==
        "with 3 partitions, replication factor 3, configs cleanup.policy=compact,retention.ms=-1");
  CHECK(new_topic_text(NewTopic{"x", 1, -1, {}}) ==
        "with 1 partition, replication factor the broker's default, no topic configs");
}

TEST_CASE("retention hazard", "[copier]") {
  CHECK(retention_hazard("1000", 0, 5000));
  CHECK_FALSE(retention_hazard("10000", 0, 5000));
  CHECK_FALSE(retention_hazard("-1", 0, 5000));
  CHECK_FALSE(retention_hazard("junk", 0, 5000));
  CHECK_FALSE(retention_hazard("1000", -1, 5000));  // no timestamp
}

TEST_CASE("progress text", "[copier]") {
  Totals t;
  t.messages = 50000;
  t.bytes = 1 << 20;
  t.estimate = 150000;
  std::string text = progress_text(t, 10);
  CHECK(text.find("50.0k msgs") != std::string::npos);
  CHECK(text.find("5000 msg/s") != std::string::npos);
  CHECK(text.find("ETA 20s") != std::string::npos);
}

TEST_CASE("CreatedPartitions: asked a slice at a time in turn until every one answered") {
  CreatedPartitions c({{"a", 3, -1, {}}, {"b", 2, -1, {}}});
  CHECK(c.total() == 5);
  CHECK(c.ready() == 0);
  CHECK(c.first_waiting() == "topic a partition 0");
  auto first = c.next_slice(2);
  REQUIRE(first.size() == 2);
  CHECK(first[1] == TopicPartition{"a", 1});
  c.answered({{{"a", 1}, 0}});  // a 0 is slow; a 1 answered
  CHECK(c.ready() == 1);
  auto second = c.next_slice(2);  // goes on after the first slice, not back to a 0
  REQUIRE(second.size() == 2);
  CHECK(second[0] == TopicPartition{"a", 2});
  CHECK(second[1] == TopicPartition{"b", 0});
  c.answered({{{"a", 2}, 5}, {{"b", 0}, 0}});
  auto third = c.next_slice(2);  // the last one, then round again
  REQUIRE(third.size() == 1);
  CHECK(third[0] == TopicPartition{"b", 1});
  c.answered({{{"b", 1}, 0}});
  auto again = c.next_slice(2);
  REQUIRE(again.size() == 1);
  CHECK(again[0] == TopicPartition{"a", 0});
  CHECK_FALSE(c.all_ready());
  c.answered({{{"a", 0}, 0}});
  CHECK(c.all_ready());
  CHECK(c.ready() == 5);
  CHECK(c.next_slice(2).empty());
  CHECK(c.first_waiting().empty());
}
