#include <catch2/catch.hpp>

#include "strings.hpp"

TEST_CASE("plural: one is singular, zero and many are plural") {
  CHECK(ck::plural(1, "partition") == "1 partition");
  CHECK(ck::plural(0, "partition") == "0 partitions");
  CHECK(ck::plural(2, "partition") == "2 partitions");
  CHECK(ck::plural(-1, "message") == "-1 messages");
  CHECK(ck::plural(1, "copy", "copies") == "1 copy");
  CHECK(ck::plural(3, "copy", "copies") == "3 copies");
}
