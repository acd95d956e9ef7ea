// The offset index: runs of copied offsets, exact translation of messages and of consumer
// positions across gaps on either side, and its record encoding.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/offset_index.hpp"

using namespace ck::copy;

namespace {
// Source 10..14 copied, 15..19 aborted in the source (a gap), 20..22 copied; the target
// started at 100 and a commit marker sits at 105 between the two transactions.
OffsetIndex sample() {
  OffsetIndex index;
  for (int64_t s = 10; s < 15; ++s) REQUIRE(index.add(s, 100 + (s - 10)));
  for (int64_t s = 20; s < 23; ++s) REQUIRE(index.add(s, 106 + (s - 20)));
  return index;
}
}  // namespace

TEST_CASE("consecutive messages on both sides make one run", "[offset_index]") {
  OffsetIndex index;
  for (int64_t s = 0; s < 1000; ++s) REQUIRE(index.add(s, s + 7));
  REQUIRE(index.runs().size() == 1);
  CHECK(index.runs()[0] == IndexRun{0, 7, 1000});
  CHECK(index.messages() == 1000);
  CHECK(index.source_end() == 1000);
}

TEST_CASE("a gap on either side starts a new run", "[offset_index]") {
  OffsetIndex index = sample();
  REQUIRE(index.runs().size() == 2);
  CHECK(index.runs()[1] == IndexRun{20, 106, 3});
  REQUIRE(index.add(23, 110));  // a commit marker at 109 in the target only
  CHECK(index.runs().size() == 3);
  CHECK(index.messages() == 9);
}

TEST_CASE("offsets that go backwards are refused and change nothing", "[offset_index]") {
  OffsetIndex index = sample();
  CHECK_FALSE(index.add(22, 200));  // source repeats
  CHECK_FALSE(index.add(30, 108));  // target goes backwards
  CHECK_FALSE(index.add(IndexRun{21, 300, 5}));  // overlaps the last run
  CHECK_FALSE(index.add(IndexRun{30, 300, 0}));  // empty run
  CHECK(index.messages() == 8);
}

TEST_CASE("every copied message translates exactly, gaps do not", "[offset_index]") {
  OffsetIndex index = sample();
  CHECK(index.target_of(10) == 100);
  CHECK(index.target_of(14) == 104);
  CHECK(index.target_of(20) == 106);
  CHECK(index.target_of(22) == 108);
  CHECK_FALSE(index.target_of(9).has_value());
  CHECK_FALSE(index.target_of(15).has_value());
  CHECK_FALSE(index.target_of(19).has_value());
  CHECK_FALSE(index.target_of(23).has_value());
}

TEST_CASE("a consumer position lands on the next copied message", "[offset_index]") {
  OffsetIndex index = sample();
  CHECK(index.position_of(10) == 100);  // read nothing yet
  CHECK(index.position_of(13) == 103);
  CHECK(index.position_of(15) == 106);  // inside the source gap: next copied message
  CHECK(index.position_of(19) == 106);
  CHECK(index.position_of(22) == 108);
  CHECK(index.position_of(23) == 109);  // read everything copied
  CHECK(index.position_of(1000) == 109);
  CHECK_FALSE(index.position_of(9).has_value());  // before the job's first start
  CHECK_FALSE(OffsetIndex{}.position_of(0).has_value());
}

TEST_CASE("runs read back merge with what the index holds", "[offset_index]") {
  OffsetIndex index;
  REQUIRE(index.add(IndexRun{0, 0, 500}));
  REQUIRE(index.add(IndexRun{500, 500, 500}));  // a later record continuing on both sides
  CHECK(index.runs().size() == 1);
  REQUIRE(index.add(IndexRun{1000, 1001, 10}));
  CHECK(index.runs().size() == 2);
  CHECK(index.position_of(1000) == 1001);
}

TEST_CASE("index records round-trip and stay small", "[offset_index]") {
  std::vector<IndexRun> one{{123456789, 987654321, 100000}};
  std::string bytes = encode_runs(one);
  CHECK(bytes.size() <= 13);
  std::vector<IndexRun> back;
  std::string err;
  REQUIRE(decode_runs(bytes, &back, &err));
  CHECK(back == one);

  std::vector<IndexRun> gappy;
  for (int64_t i = 0; i < 100; ++i) gappy.push_back({i * 10, i * 11 + 5, 9});
  bytes = encode_runs(gappy);
  CHECK(bytes.size() <= 1 + 100 * 3);  // each run 3 one-byte deltas
  REQUIRE(decode_runs(bytes, &back, &err));
  CHECK(back == gappy);
}

TEST_CASE("index records that are not ours are rejected", "[offset_index]") {
  std::vector<IndexRun> runs;
  std::string err;
  CHECK_FALSE(decode_runs("", &runs, &err));
  CHECK_FALSE(decode_runs("\x02", &runs, &err));
  CHECK(err.find("version") != std::string::npos);
  std::string truncated = encode_runs({{5, 6, 7}});
  truncated.pop_back();
  CHECK_FALSE(decode_runs(truncated, &runs, &err));
  CHECK(err.find("truncated") != std::string::npos);
  // A zero-length run.
  CHECK_FALSE(decode_runs(std::string("\x01\x02\x02\x00", 4), &runs, &err));
}
