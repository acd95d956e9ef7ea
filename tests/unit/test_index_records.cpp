// The offset index as records of the target's index topic: keys, their partition, the
// collection of a job's records, the target range of a record and the users' translation.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/index_records.hpp"

using namespace ck;
using namespace ck::copy;

TEST_CASE("index keys name job, topic, partition and first source offset", "[index_records]") {
  TopicPartition tp{"orders", 3};
  CHECK(index_key("eu", tp, 1200) == R"(["eu","orders",3,1200])");
  CHECK(index_key_prefix("eu", tp) == R"(["eu","orders",3,)");
  // A job name holding quotes or commas stays unambiguous.
  CHECK(index_key_prefix("a\",\"b", tp) == R"(["a\",\"b","orders",3,)");
  int32_t p = index_partition("eu", tp, 8);
  CHECK(p >= 0);
  CHECK(p < 8);
  CHECK(index_partition("eu", tp, 8) == p);
  CHECK(index_partition("eu", tp, 1) == 0);
}

TEST_CASE("the collector keeps the job's records of the wanted partitions", "[index_records]") {
  TopicPartition a{"orders", 0}, b{"orders", 1};
  IndexCollector c("eu", {a});
  std::string err;
  REQUIRE(c.add(index_key("eu", a, 0), encode_runs({{0, 0, 10}}), &err));
  REQUIRE(c.add(index_key("eu", b, 0), encode_runs({{0, 0, 5}}), &err));     // not wanted
  REQUIRE(c.add(index_key("us", a, 10), encode_runs({{10, 0, 5}}), &err));   // another job
  REQUIRE(c.add("not a key", "whatever", &err));                               // not ours
  REQUIRE(c.add(index_key("eu", a, 10), encode_runs({{10, 11, 5}, {20, 16, 5}}), &err));
  REQUIRE(c.indexes().size() == 1);
  OffsetIndex& index = c.indexes()[a];
  CHECK(index.messages() == 20);
  CHECK(index.runs() == std::vector<IndexRun>{{0, 0, 10}, {10, 11, 5}, {20, 16, 5}});
  // A later copy of the same offsets (the job started over) replaces what came before.
  REQUIRE(c.add(index_key("eu", a, 0), encode_runs({{0, 100, 3}}), &err));
  CHECK(c.indexes()[a].runs() == std::vector<IndexRun>{{0, 100, 3}});
  // The job's record that cannot be decoded is an error naming the partition.
  CHECK_FALSE(c.add(index_key("eu", a, 50), "\x07", &err));
  CHECK(err == "topic orders partition 0: offset index record: unknown version");
}

TEST_CASE("the target range of a record starting inside the job's copy", "[index_records]") {
  OffsetIndex index;
  REQUIRE(index.add(IndexRun{100, 0, 20}));   // first run
  REQUIRE(index.add(IndexRun{125, 21, 25}));  // after a source gap and a commit marker
  auto r = target_range_from(index, 110);
  REQUIRE(r);
  CHECK(r->copied == 35);
  CHECK(r->target_start == 10);
  CHECK(r->target_end == 46);
  r = target_range_from(index, 122);  // in the gap: from the next copied message
  REQUIRE(r);
  CHECK(r->copied == 25);
  CHECK(r->target_start == 21);
  CHECK_FALSE(target_range_from(index, 150));
}

TEST_CASE("translation: copied offsets, gaps, the end; outside is an error", "[index_records]") {
  OffsetIndex index;
  REQUIRE(index.add(IndexRun{100, 0, 20}));
  REQUIRE(index.add(IndexRun{125, 21, 25}));
  std::string err;
  CHECK(translate(index, 100, &err) == 0);
  CHECK(translate(index, 119, &err) == 19);
  CHECK(translate(index, 122, &err) == 21);  // compacted away: the next copied message
  CHECK(translate(index, 149, &err) == 45);
  CHECK(translate(index, 150, &err) == 46);  // read everything copied
  CHECK_FALSE(translate(index, 151, &err));
  CHECK(err == "offset 151 is outside the copied range [100,150)");
  CHECK_FALSE(translate(index, 99, &err));
  CHECK_FALSE(translate(OffsetIndex(), 5, &err));
  CHECK(err == "no message of this partition was copied");
}
