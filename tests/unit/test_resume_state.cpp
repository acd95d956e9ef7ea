// ck-copy's pure parts: the progress metadata kept in the target, the mapping of
// group offsets onto target offsets, shard selection and option parsing.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/options.hpp"
#include "../../tools/ck-copy/resume_state.hpp"

using namespace ck;
using namespace ck::copy;

TEST_CASE("progress metadata round-trips and stays small", "[copier]") {
  ProgressMeta meta{1000, 250000, 17, 90018, 89999, false};
  std::string text = encode_progress(meta);
  CHECK(text.size() < 200);
  ProgressMeta back;
  std::string err;
  REQUIRE(decode_progress(text, &back, &err));
  CHECK(back == meta);
  meta.done = true;
  REQUIRE(decode_progress(encode_progress(meta), &back, &err));
  CHECK(back.done);
}

TEST_CASE("progress metadata says whether a run in follow mode wrote it", "[copier]") {
  ProgressMeta meta{1000, 250000, 17, 90018, 89999, true};
  meta.follow = true;
  ProgressMeta back;
  std::string err;
  REQUIRE(decode_progress(encode_progress(meta), &back, &err));
  CHECK(back.follow);
  // Jobs older than the field did not follow.
  REQUIRE(decode_progress(
      R"({"v":1,"start":0,"end":1,"target_start":0,"target_end":1,"copied":1,"done":true})",
      &back, &err));
  CHECK_FALSE(back.follow);
  CHECK_FALSE(decode_progress(
      R"({"start":0,"end":1,"target_start":0,"target_end":1,"copied":1,"done":true,"follow":1})",
      &back, &err));
  CHECK(err.find("follow") != std::string::npos);
}

TEST_CASE("progress metadata that is not ours is rejected", "[copier]") {
  ProgressMeta meta;
  std::string err;
  CHECK_FALSE(decode_progress("", &meta, &err));
  CHECK_FALSE(decode_progress("ck-migrate:default", &meta, &err));
  CHECK_FALSE(decode_progress(R"({"v":1,"start":"0"})", &meta, &err));
  CHECK(err.find("start") != std::string::npos);
  CHECK_FALSE(decode_progress(R"({"start":0,"end":1,"target_start":0,"target_end":1,"copied":1})",
                              &meta, &err));
  CHECK(err.find("done") != std::string::npos);
}

TEST_CASE("groups land on the first copied message at or after their offset", "[copier]") {
  GroupResolver r;
  // offsets 10..14 copied, 15..19 aborted (a gap), 20.. copied; target starts at 100
  r.reset({{"late", 17}, {"early", 10}, {"before", -1}, {"mid", 12}, {"all-read", 99}});
  std::vector<GroupOffset> placed;
  r.on_message(10, 100, &placed);
  CHECK(placed == std::vector<GroupOffset>{{"before", 100}, {"early", 100}});
  r.on_message(11, 101, &placed);
  r.on_message(12, 102, &placed);
  CHECK(placed.back() == GroupOffset{"mid", 102});
  r.on_message(13, 103, &placed);
  r.on_message(14, 104, &placed);
  CHECK(placed.size() == 3);
  // the next committed message after the gap: the group at 17 reads it first
  r.on_message(20, 106, &placed);
  CHECK(placed.back() == GroupOffset{"late", 106});
  CHECK(r.has_pending());
  r.on_complete(107, &placed);
  CHECK(placed.back() == GroupOffset{"all-read", 107});
  CHECK_FALSE(r.has_pending());
}

TEST_CASE("a resolver copied at a commit resumes where it stood", "[copier]") {
  GroupResolver r;
  r.reset({{"a", 5}, {"b", 8}});
  std::vector<GroupOffset> placed;
  r.on_message(5, 0, &placed);
  GroupResolver saved = r;  // the snapshot an abort rolls back to
  r.on_message(8, 3, &placed);
  CHECK(placed.size() == 2);
  r = saved;
  CHECK(r.pending_count() == 1);
}

TEST_CASE("shards are stable and cover every partition once", "[copier]") {
  std::vector<int> sizes(4, 0);
  for (int p = 0; p < 400; ++p) {
    int s = shard_of("orders", p, 4);
    REQUIRE(s >= 1);
    REQUIRE(s <= 4);
    CHECK(s == shard_of("orders", p, 4));
    ++sizes[s - 1];
  }
  for (int n : sizes) CHECK(n > 50);  // roughly even
  CHECK(shard_of("t", 1, 1) == 1);
}

TEST_CASE("--shard takes I/N, 1-based", "[copier]") {
  int i = 0, n = 0;
  CHECK(parse_shard("1/3", &i, &n));
  CHECK((i == 1 && n == 3));
  CHECK(parse_shard("3/3", &i, &n));
  CHECK_FALSE(parse_shard("0/3", &i, &n));
  CHECK_FALSE(parse_shard("4/3", &i, &n));
  CHECK_FALSE(parse_shard("1/0", &i, &n));
  CHECK_FALSE(parse_shard("1", &i, &n));
  CHECK_FALSE(parse_shard("a/b", &i, &n));
  CHECK_FALSE(parse_shard("1/2/3", &i, &n));
}

TEST_CASE("names derived from the job", "[copier]") {
  CopyOptions o;
  CHECK(transactional_id(o) == "ck-migrate.default");
  o.job = "eu";
  o.shard_index = 2;
  o.shard_count = 5;
  CHECK(transactional_id(o) == "ck-migrate.eu.shard-2-of-5");
  CHECK(progress_group(o) == "ck-migrate.eu.progress");
  CHECK(group_marker(o) == "ck-migrate:eu");
}
