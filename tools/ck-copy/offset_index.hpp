// The offset index of a job: for one partition, which target offset each copied source
// offset landed at, as runs that are consecutive on both sides. A source with no gaps copied
// in one transaction is one run; a new run starts at every gap on either side (compaction or
// transaction markers in the source, the commit marker ck-copy's own transactions leave in
// the target). ck-copy writes the runs of each transaction into the target inside that same
// transaction, so the index is exactly as durable as the data, and translates any copied
// source offset later without rereading the data. Pure: no Kafka calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ck::copy {

/// Source offsets [source, source + count) landed at target offsets [target, target + count).
struct IndexRun {
  int64_t source = 0;
  int64_t target = 0;
  int64_t count = 0;
  int64_t source_end() const { return source + count; }
  int64_t target_end() const { return target + count; }
  bool operator==(const IndexRun&) const = default;
};

/// The runs of one partition, in source order.
class OffsetIndex {
 public:
  /// One copied message (source and target offsets both above the last one added);
  /// false, leaving the index as it was, when either goes backwards.
  bool add(int64_t source, int64_t target);
  /// A run read back from the target; merged with the last run when it continues it on both
  /// sides. False when it overlaps what the index holds.
  bool add(const IndexRun& run);

  const std::vector<IndexRun>& runs() const { return runs_; }
  bool empty() const { return runs_.empty(); }
  int64_t messages() const;
  /// Source offset after the last copied message; -1 when empty.
  int64_t source_end() const { return runs_.empty() ? -1 : runs_.back().source_end(); }

  /// The target offset of the copied message at `source`; nullopt when that source offset was
  /// not copied (a gap, or outside the index).
  std::optional<int64_t> target_of(int64_t source) const;
  /// Where a consumer whose next source offset is `position` continues in the target: the
  /// target offset of the first copied message at or after `position`, or, past the last
  /// copied message, the offset after it. nullopt when `position` lies before the index.
  std::optional<int64_t> position_of(int64_t position) const;

 private:
  std::vector<IndexRun> runs_;
};

/// The runs one transaction adds for one partition, as an index record value: a version
/// byte, then per run three zigzag varints (source and target relative to the previous run's
/// ends, count). A gap-free run costs 4-12 bytes.
std::string encode_runs(const std::vector<IndexRun>& runs);
/// Parses encode_runs's bytes; false with *err on anything else.
bool decode_runs(std::string_view bytes, std::vector<IndexRun>* runs, std::string* err);

}  // namespace ck::copy
