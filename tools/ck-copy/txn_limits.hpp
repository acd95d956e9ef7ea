// How large a transaction grows before it commits: the user's limits, lengthened on a long
// link. Pure; copy_loop.cpp measures the commits and applies the limits.
#pragma once

#include <cstddef>
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

/// Groups a transaction places before it commits. librdkafka 2.0.2 takes one group per
/// send_offsets_to_transaction, each an AddOffsetsToTxn and a TxnOffsetCommit round trip
/// in turn: 10,000 groups placed in one transaction kept its commit busy for longer than
/// the coordinator lets a transaction live (transaction.timeout.ms, 60 s by default). A
/// group placed on many partitions is still one call.
inline constexpr size_t kTxnGroups = 1000;

/// Partitions a transaction writes to before it commits. librdkafka 2.0.2 sends a produce
/// request per partition, and a broker answers one connection's requests one at a time:
/// a transaction over 10,000 partitions of a few messages each waited for 10,000 round
/// trips, for longer than --timeout on a busy machine (deliveries unconfirmed after
/// 30000 ms), and would outlast transaction.timeout.ms on a slower one.
inline constexpr int64_t kTxnPartitions = 1000;

/// The limits of the next transaction: `base` (the options), all three lengthened by one
/// factor so that the transaction lasts kTxnPerCommit times `commit_ms`, the time the
/// last commit took after its deliveries; never longer than `max_ms` (a share of the
/// producer's transaction.timeout.ms, past which the coordinator aborts it), never
/// shorter than `base`.
TxnLimits scale_txn_limits(const TxnLimits& base, int64_t commit_ms, int64_t max_ms);

}  // namespace ck::copy
