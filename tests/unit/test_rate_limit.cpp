// The byte-rate limit: the waits it asks for hold a steady sender to the rate, a burst
// passes at once, and rates parse with their units.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/rate_limit.hpp"

using namespace ck::copy;

TEST_CASE("a sender that waits as told moves at the rate over a minute", "[rate_limit]") {
  const double rate = 20.0 * 1024 * 1024;
  RateLimit limit(rate);
  double now = 0, sent = 0;
  while (now < 60) {
    sent += 1024 * 1024;  // 1 MiB fetches, as fast as allowed
    now += limit.take(1024 * 1024, now) + 0.001;
  }
  // One second's burst on top of 60 s at the rate, nothing more.
  CHECK(sent / now <= rate * (61.0 / 60) * 1.001);
  CHECK(sent / now >= rate * 0.99);
}

TEST_CASE("a burst goes at once, the rest waits", "[rate_limit]") {
  RateLimit limit(1000, 4000);
  CHECK(limit.take(4000, 10) == 0);
  CHECK(limit.take(1000, 10) == Approx(1.0));
  CHECK(limit.take(0, 11.5) == 0);  // the debt was paid after 1 s; 500 bytes back
  CHECK(limit.take(1000, 11.5) == Approx(0.5));
}

TEST_CASE("a long pause does not bank more than the burst", "[rate_limit]") {
  RateLimit limit(1000);
  CHECK(limit.take(1000, 0) == 0);
  CHECK(limit.take(3000, 3600) == Approx(2.0));
}

TEST_CASE("no limit never waits", "[rate_limit]") {
  RateLimit limit(0);
  CHECK_FALSE(limit.limited());
  CHECK(limit.take(int64_t{1} << 40, 0) == 0);
}

TEST_CASE("rates parse with k, M, G and reject the rest", "[rate_limit]") {
  double r = 0;
  REQUIRE(parse_rate("20M", &r));
  CHECK(r == 20.0 * 1024 * 1024);
  REQUIRE(parse_rate("500k", &r));
  CHECK(r == 500.0 * 1024);
  REQUIRE(parse_rate("1.5GB/s", &r));
  CHECK(r == 1.5 * 1024 * 1024 * 1024);
  REQUIRE(parse_rate("1048576", &r));
  CHECK(r == 1048576);
  CHECK_FALSE(parse_rate("", &r));
  CHECK_FALSE(parse_rate("0", &r));
  CHECK_FALSE(parse_rate("-5M", &r));
  CHECK_FALSE(parse_rate("fast", &r));
  CHECK_FALSE(parse_rate("20X", &r));
}
