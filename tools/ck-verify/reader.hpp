// Reading partition ranges to count (and hash) their messages: one read_committed consumer
// per cluster with every partition assigned at once, so counts are right whatever the
// offset gaps (compaction, transaction markers, aborted messages).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kafka.hpp"
#include "verifier.hpp"

namespace ck::verify {

/// Messages per block: the digest of each block is kept so a content difference can be
/// located by re-reading one block instead of holding every message's hash in memory.
inline constexpr int64_t kBlockMessages = 4096;

struct BlockHash {
  int64_t first_offset = 0;  ///< offset of the block's first message
  uint64_t hash = 0;
};

/// One partition range to read, the marks to record while reading, and what was found.
struct RangeScan {
  TopicPartition tp;
  Range range;
  int64_t max_messages = -1;          ///< stop after this many messages (-1: the whole range)
  std::vector<int64_t> offset_marks;  ///< sorted: note what lies around each offset
  std::vector<int64_t> position_marks;  ///< sorted: note the offset of the message at each index
  std::vector<MessageHash>* keep = nullptr;  ///< when set, every message's hash is kept here

  // Results.
  int64_t count = 0;
  uint64_t digest = 0;                 ///< XXH3 over the message hashes, when hashing
  std::vector<AroundOffset> around;    ///< per offset mark: the messages around it
  std::vector<int64_t> offset_at;      ///< per position mark: its offset, -1 if never reached
  std::vector<BlockHash> blocks;       ///< per kBlockMessages messages (hash when hashing)
  int64_t first_timestamp = -1;        ///< of the first message read (ms); -1: none
};

/// Creates the read_committed consumer that reads one cluster.
std::unique_ptr<KafkaClient> make_reader(const ClusterConfig& cluster, std::string* err);

/// Reads every scan's range at once (partitions must be distinct). Fails (err names the
/// cluster, topic and partition) when a partition makes no progress within timeout_ms,
/// on a partition error, or when a stop signal arrives; also, without an error of its
/// own (err left empty), when *cancel turns true: another scan running alongside failed.
bool scan_ranges(KafkaClient& consumer, const std::vector<RangeScan*>& scans, bool hash,
                 int timeout_ms, std::string* err,
                 const std::atomic<bool>* cancel = nullptr);

}  // namespace ck::verify
