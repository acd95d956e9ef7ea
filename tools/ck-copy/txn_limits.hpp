// How large a transaction grows before it commits: the user's limits, lengthened on a long
// link. Pure; copy_loop.cpp measures the commits and applies the limits.
#pragma once

#include <cstdint>

namespace ck::copy {

/// A transaction commits when it reaches any of these.
struct TxnLimits {
  int64_t messages = 0;
  int64_t bytes = 0;
  int64_t ms = 0;
};

/// A commit's own round trips carry no data: AddOffsetsToTxn and TxnOffsetCommit for each
/// group, EndTxn, then AddPartitionsToTxn before the next transaction's first batch. On a
/// link of 50 ms that is a quarter of a second in which nothing moves, so a transaction
/// lasts at least this many times its last commit.
inline constexpr int64_t kTxnPerCommit = 20;

/// The limits of the next transaction: `base` (the options), all three lengthened by one
/// factor so that the transaction lasts kTxnPerCommit times `commit_ms`, the time the
/// last commit took after its deliveries; never longer than `max_ms` (a share of the
/// producer's transaction.timeout.ms, past which the coordinator aborts it), never
/// shorter than `base`.
TxnLimits scale_txn_limits(const TxnLimits& base, int64_t commit_ms, int64_t max_ms);

}  // namespace ck::copy
