// The deadline of a wait that may last as long as it makes progress (retry.hpp).
#include <catch2/catch.hpp>

#include "retry.hpp"

using ck::ProgressDeadline;
using std::chrono::milliseconds;

TEST_CASE("ProgressDeadline: passes --timeout after the start without progress") {
  auto t0 = ProgressDeadline::Clock::now();
  ProgressDeadline d(milliseconds(30000), t0);
  CHECK_FALSE(d.passed(t0 + milliseconds(29999)));
  CHECK(d.passed(t0 + milliseconds(30000)));
  d.observe(0, t0 + milliseconds(20000));  // nothing done yet is no progress
  CHECK(d.passed(t0 + milliseconds(30000)));
}

TEST_CASE("ProgressDeadline: each step forward renews it, a repeated count does not") {
  auto t0 = ProgressDeadline::Clock::now();
  ProgressDeadline d(milliseconds(30000), t0);
  // 10,000 partitions getting leaders for 100 s, a thousand every 10 s: never given up.
  for (int i = 1; i <= 10; ++i) {
    auto now = t0 + milliseconds(10000 * i);
    CHECK_FALSE(d.passed(now));
    d.observe(1000 * i, now);
  }
  auto last = t0 + milliseconds(100000);
  CHECK(d.deadline() == last + milliseconds(30000));
  d.observe(10000, last + milliseconds(20000));  // the same count: no renewal
  CHECK_FALSE(d.passed(last + milliseconds(29999)));
  CHECK(d.passed(last + milliseconds(30000)));
}
