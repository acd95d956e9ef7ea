// The watch of a wait that may last as long as it makes progress (retry.hpp).
#include <catch2/catch.hpp>

#include "retry.hpp"

using ck::StallWatch;
using std::chrono::milliseconds;

TEST_CASE("StallWatch: stalls --timeout after the start without progress") {
  auto t0 = StallWatch::Clock::now();
  StallWatch w(t0);
  const milliseconds timeout(30000);
  CHECK_FALSE(w.stalled(t0 + milliseconds(29999), timeout));
  CHECK(w.stalled(t0 + milliseconds(30000), timeout));
  w.observe(0, t0 + milliseconds(20000));  // nothing done yet is no progress
  CHECK(w.stalled(t0 + milliseconds(30000), timeout));
}

TEST_CASE("StallWatch: each step forward renews it, a repeated count does not") {
  auto t0 = StallWatch::Clock::now();
  StallWatch w(t0);
  const milliseconds timeout(30000);
  // 10,000 partitions getting leaders for 100 s, a thousand every 10 s: never given up.
  for (int i = 1; i <= 10; ++i) {
    auto now = t0 + milliseconds(10000 * i);
    CHECK_FALSE(w.stalled(now, timeout));
    w.observe(1000 * i, now);
  }
  auto last = t0 + milliseconds(100000);
  CHECK(w.stalled(last + milliseconds(30000), timeout));  // 30 s after the last step
  w.observe(10000, last + milliseconds(20000));  // the same count: no renewal
  CHECK_FALSE(w.stalled(last + milliseconds(29999), timeout));
  CHECK(w.stalled(last + milliseconds(30000), timeout));
}
