#include <catch2/catch.hpp>

#include "../../tools/ck-plan/planner.hpp"
#include "../../tools/ck-plan/summary.hpp"

using ck::GroupOffset;
using ck::Record;
using ck::plan::PartitionState;
using ck::plan::PlanOptions;

namespace {

PartitionState partition(int64_t log_start, int64_t last_stable, std::vector<GroupOffset> commits,
                         std::vector<std::string> topic_groups = {}) {
  PartitionState s;
  s.topic = "test3";
  s.partition = 0;
  s.partitions = 1;
  s.log_start = log_start;
  s.last_stable = last_stable;
  s.high_watermark = last_stable;
  s.commits = std::move(commits);
  s.topic_groups = std::move(topic_groups);
  if (s.topic_groups.empty())
    for (const auto& c : s.commits) s.topic_groups.push_back(c.group);
  return s;
}

Record plan(const PartitionState& s, bool committed_only = false,
            std::vector<std::string>* warnings = nullptr) {
  std::vector<std::string> ignored;
  PlanOptions options;
  options.committed_only = committed_only;
  return ck::plan::plan_partition(s, options, warnings ? warnings : &ignored);
}

ck::plan::NameFilter filter(std::vector<std::string> include, std::vector<std::string> exclude) {
  ck::plan::NameFilter f;
  std::string err;
  REQUIRE(f.set(include, exclude, "topic", &err));
  return f;
}

}  // namespace

TEST_CASE("start is the smallest committed offset; every group's offset is kept", "[planner]") {
  Record r = plan(partition(0, 264322, {{"test34-group", 190000}, {"test123-group", 187800}}));
  CHECK(r.start == 187800);
  CHECK(r.end == 264322);
  CHECK(r.action == "copy");
  CHECK(r.reason.empty());
  CHECK(r.expired == 0);
  CHECK(r.groups == std::vector<GroupOffset>{{"test123-group", 187800}, {"test34-group", 190000}});
  CHECK(r.groups_without_commit.empty());
}

TEST_CASE("a commit below the log start is clamped and the loss counted", "[planner]") {
  std::vector<std::string> warnings;
  Record r = plan(partition(5226, 9000, {{"g", 3713}}), false, &warnings);
  CHECK(r.start == 5226);
  CHECK(r.expired == 5226 - 3713);
  CHECK(r.action == "copy");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("1513 unconsumed messages expired") != std::string::npos);
  CHECK(r.groups.front().offset == 3713);  // the group's own position stays visible
}

TEST_CASE("nothing left after expiry is skipped as expired", "[planner]") {
  Record r = plan(partition(5226, 5226, {{"g", 3713}}));
  CHECK(r.action == "skip");
  CHECK(r.reason == "expired");
  CHECK(r.expired == 1513);
  CHECK(r.start == 5226);
}

TEST_CASE("a fully consumed partition is skipped as all consumed", "[planner]") {
  Record r = plan(partition(0, 100, {{"a", 100}, {"b", 100}}));
  CHECK(r.action == "skip");
  CHECK(r.reason == "all consumed");
  CHECK(r.start == 100);
}

TEST_CASE("a group without a commit on the partition pulls it back to the log start", "[planner]") {
  PartitionState s = partition(20, 100, {{"a", 90}}, {"a", "b"});
  Record by_default = plan(s);
  CHECK(by_default.start == 20);
  CHECK(by_default.action == "copy");
  CHECK(by_default.groups_without_commit == std::vector<std::string>{"b"});
  Record committed_only = plan(s, true);
  CHECK(committed_only.start == 90);
  CHECK(committed_only.groups_without_commit == std::vector<std::string>{"b"});
}

TEST_CASE("a partition of a consumed topic without any commit", "[planner]") {
  PartitionState s = partition(20, 100, {}, {"a"});
  Record by_default = plan(s);
  CHECK(by_default.action == "copy");
  CHECK(by_default.start == 20);
  CHECK(by_default.end == 100);
  Record committed_only = plan(s, true);
  CHECK(committed_only.action == "skip");
  CHECK(committed_only.reason == "no committed offset");
  Record empty = plan(partition(100, 100, {}, {"a"}));
  CHECK(empty.action == "skip");
  CHECK(empty.reason == "empty");
}

TEST_CASE("a commit above the end offset is clamped with a warning", "[planner]") {
  std::vector<std::string> warnings;
  Record r = plan(partition(0, 50, {{"a", 70}, {"b", 60}}), false, &warnings);
  CHECK(r.start == 50);
  CHECK(r.action == "skip");
  CHECK(r.reason == "all consumed");
  CHECK(r.groups == std::vector<GroupOffset>{{"a", 50}, {"b", 50}});
  CHECK(warnings.size() == 2);
}

TEST_CASE("an open transaction ends the range at the last stable offset, with a warning", "[planner]") {
  PartitionState s = partition(0, 40, {{"a", 10}});
  s.high_watermark = 55;
  std::vector<std::string> warnings;
  Record r = plan(s, false, &warnings);
  CHECK(r.end == 40);
  CHECK(r.high_watermark == 55);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("open transaction") != std::string::npos);
}

TEST_CASE("name filters match whole names; excludes win", "[planner]") {
  auto f = filter({"orders.*", "audit"}, {".*-tmp"});
  CHECK(f.selected("orders"));
  CHECK(f.selected("orders.eu"));
  CHECK_FALSE(f.selected("old-orders"));   // full match, not search
  CHECK_FALSE(f.selected("audit2"));
  CHECK_FALSE(f.selected("orders-tmp"));
  CHECK(filter({}, {}).selected("anything"));
  ck::plan::NameFilter bad;
  std::string err;
  CHECK_FALSE(bad.set({"("}, {}, "group", &err));
  CHECK(err.find("option '--group'") != std::string::npos);
}

TEST_CASE("lay_out: every partition of consumed topics, sorted; internal and vanished apart", "[planner]") {
  ck::plan::GroupCommits commits;
  commits["g1"][{"b", 1}] = 5;
  commits["g1"][{"a", 0}] = 7;
  commits["g2"][{"a", 0}] = 3;
  commits["g2"][{"__consumer_offsets", 0}] = 1;
  commits["g2"][{"gone", 0}] = 1;
  commits["g2"][{"b", 9}] = 1;
  std::map<std::string, int32_t> counts{{"a", 2}, {"b", 2}, {"c", 3}, {"__consumer_offsets", 50}};
  auto layout = ck::plan::lay_out(commits, counts, filter({}, {}));
  REQUIRE(layout.partitions.size() == 4);
  CHECK(layout.partitions[0].topic == "a");
  CHECK(layout.partitions[0].commits.size() == 2);
  CHECK(layout.partitions[1].topic == "a");
  CHECK(layout.partitions[1].partition == 1);
  CHECK(layout.partitions[1].commits.empty());
  CHECK(layout.partitions[1].topic_groups == std::vector<std::string>{"g1", "g2"});
  CHECK(layout.partitions[3].topic == "b");
  CHECK(layout.partitions[3].partitions == 2);
  CHECK(layout.vanished_topics == std::set<std::string>{"gone"});
  CHECK(layout.vanished_partitions.size() == 1);
  // g2's commit on b/9 does not make it a group of topic b.
  CHECK(layout.partitions[2].topic_groups == std::vector<std::string>{"g1"});

  auto only_b = ck::plan::lay_out(commits, counts, filter({}, {"a"}));
  REQUIRE(only_b.partitions.size() == 2);
  CHECK(only_b.partitions[0].topic == "b");
}

TEST_CASE("the summary counts per topic and in total", "[planner]") {
  std::vector<Record> records{plan(partition(0, 100, {{"a", 40}})),
                              plan(partition(50, 50, {{"a", 10}}))};
  records[1].partition = 1;
  std::string text = ck::plan::summarize("source cluster x:1", records, 3);
  CHECK(text.find("3 groups scanned") != std::string::npos);
  CHECK(text.find("topic test3: 1 partition to copy, 1 skipped, up to 60 messages, 40 expired")
        != std::string::npos);
  CHECK(text.find("total: 1 topic, 1 partition to copy, 1 skipped, up to 60 messages, "
                  "40 expired, 1 group involved") != std::string::npos);
}
