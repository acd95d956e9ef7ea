// ck-copy's own options as plain values (options_cli.hpp binds them to the command line;
// the cluster options are common/common_options.hpp's).
#pragma once

#include <cstdint>
#include <string>

#include "config.hpp"

namespace ck::copy {

/// How far behind follow mode may be before it stops by itself (--until-lag): a number of
/// messages, or a duration. Neither set: follow until a signal.
struct LagLimit {
  int64_t messages = -1;  ///< -1: not a message limit
  double seconds = -1;    ///< -1: not a duration
  bool set() const { return messages >= 0 || seconds >= 0; }
};

/// Parses --until-lag: "1000" (messages) or a duration "2s", "500ms", "1m". False on
/// anything else or a negative value.
bool parse_lag_limit(const std::string& text, LagLimit* limit);

/// What the user asked ck-copy to do, with defaults applied.
struct CopyOptions {
  std::string input;              ///< plan file; empty: stdin
  std::string job = "default";    ///< names the transactional id and the progress group
  std::string index_topic = "ck-migrate.index";  ///< the offset index in the target
  int shard_index = 0;            ///< 1-based shard number; 0: no sharding
  int shard_count = 0;
  bool dry_run = false;
  bool translate = false;         ///< translate offsets through the job's index; no copy
  bool append = false;            ///< allow target partitions that hold foreign messages
  bool create_topics = false;
  int replication_factor = -1;    ///< -1: the target broker's default
  bool skip_invalid = false;
  bool group_offsets = true;
  bool force_group_offsets = false;
  int64_t txn_messages = 100000;  ///< commit after this many messages
  int64_t txn_bytes = 64LL << 20; ///< ... or this many payload bytes
  int txn_ms = 1000;              ///< ... or this long
  bool txn_fixed = false;         ///< a --txn-* option given: no lengthening on slow links
  int max_buffer_mb = 128;        ///< split between consumer and producer queues
  int max_retries = 10;           ///< aborted transactions in a row before giving up
  int progress = -1;              ///< -1 auto, 0 off, 1 on
  double max_rate = 0;            ///< key and value bytes per second; 0: no limit
  bool follow = false;            ///< keep copying beyond the plan's end (follow mode)
  LagLimit until_lag;             ///< follow mode: stop once every partition is within it
};

/// Parses "I/N" with 1 <= I <= N; false on anything else.
bool parse_shard(const std::string& text, int* index, int* count);

/// The transactional.id of this job (and shard).
std::string transactional_id(const CopyOptions& options);
/// What ck-copy's producer must have whatever the user set: transactions for this job.
Settings producer_forced(const CopyOptions& options);
/// The consumer group in the target that holds the progress of this job.
std::string progress_group(const CopyOptions& options);
/// The commit metadata ck-copy writes with a migrated group's offset.
std::string group_marker(const CopyOptions& options);

}  // namespace ck::copy
