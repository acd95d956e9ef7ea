// ck-copy --translate's lines: what is read, what is written, and the errors naming line,
// topic and partition.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/translate.hpp"

using namespace ck::copy;

TEST_CASE("translate: a line is read with its other fields and written back with "
          "target_offset", "[translate]") {
  OffsetLine l;
  std::string err;
  REQUIRE(parse_offset_line(R"({"app":"flink-1","topic":"orders","partition":3,"offset":120})",
                            "in.ndjson", 4, &l, &err));
  CHECK(l.topic == "orders");
  CHECK(l.partition == 3);
  CHECK(l.offset == 120);
  CHECK(l.location() == "in.ndjson:4: topic orders partition 3");
  CHECK(translated_json(l, 57) ==
        R"({"app":"flink-1","topic":"orders","partition":3,"offset":120,"target_offset":57})");
  // A target_offset already there is replaced, not repeated.
  REQUIRE(parse_offset_line(R"({"topic":"t","partition":0,"offset":1,"target_offset":9})", "-",
                            1, &l, &err));
  CHECK(translated_json(l, 2) == R"({"topic":"t","partition":0,"offset":1,"target_offset":2})");
}

TEST_CASE("translate: malformed lines name the input line, and the partition when known",
          "[translate]") {
  OffsetLine l;
  std::string err;
  CHECK_FALSE(parse_offset_line("nope", "<stdin>", 2, &l, &err));
  CHECK(err == "<stdin>:2: expected a JSON object with topic, partition and offset");
  CHECK_FALSE(parse_offset_line(R"({"topic":"t","offset":5})", "<stdin>", 3, &l, &err));
  CHECK(err == R"(<stdin>:3: expected "topic" (a string) and "partition" (an integer >= 0))");
  CHECK_FALSE(parse_offset_line(R"({"topic":"t","partition":1,"offset":-1})", "<stdin>", 7, &l,
                                &err));
  CHECK(err == R"(<stdin>:7: topic t partition 1: expected "offset" (an integer >= 0))");
  CHECK_FALSE(parse_offset_line(R"({"topic":"t","partition":1})", "<stdin>", 8, &l, &err));
}
