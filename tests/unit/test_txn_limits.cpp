#include <catch2/catch.hpp>

#include "../../tools/ck-copy/txn_limits.hpp"

using ck::copy::scale_txn_limits;
using ck::copy::TxnLimits;

TEST_CASE("scale_txn_limits: a quick commit keeps the options' limits") {
  TxnLimits base{100000, 64 << 20, 1000};
  TxnLimits l = scale_txn_limits(base, 30, 15000);  // 20 x 30 ms < 1 s
  CHECK(l.messages == 100000);
  CHECK(l.bytes == 64 << 20);
  CHECK(l.ms == 1000);
}

TEST_CASE("scale_txn_limits: a slow commit lengthens all three limits alike") {
  TxnLimits base{100000, 64 << 20, 1000};
  TxnLimits l = scale_txn_limits(base, 250, 15000);  // 50 ms link: 5 round trips
  CHECK(l.ms == 5000);
  CHECK(l.messages == 500000);
  CHECK(l.bytes == int64_t(5) * (64 << 20));
}

TEST_CASE("scale_txn_limits: never beyond the cap, never below the options") {
  TxnLimits base{100000, 64 << 20, 1000};
  TxnLimits l = scale_txn_limits(base, 5000, 15000);
  CHECK(l.ms == 15000);
  CHECK(l.messages == 1500000);
  TxnLimits longer{10, 10, 20000};  // the user's own long transactions stay
  CHECK(scale_txn_limits(longer, 5000, 15000).ms == 20000);
  TxnLimits huge{INT64_MAX / 2, INT64_MAX / 2, 1000};
  CHECK(scale_txn_limits(huge, 1000, 15000).bytes == INT64_MAX);
}
