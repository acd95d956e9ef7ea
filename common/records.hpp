// The NDJSON record every tool reads and writes (man ck-records(5)).
// One record per topic partition; later stages add fields and keep the rest.
// The fields themselves are defined once, in record_fields.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "topic_partition.hpp"

namespace ck {

inline constexpr int kSchemaVersion = 1;

/// A consumer group's committed offset on one partition ("next offset to read").
struct GroupOffset {
  std::string group;
  int64_t offset = -1;
  bool operator==(const GroupOffset&) const = default;
};

/// A group ck-copy left where it was, and why.
struct GroupLeft {
  std::string group;
  std::string reason;
  bool operator==(const GroupLeft&) const = default;
};

/// ck-copy's results. A record is copied (or refused, skipped...) when `status` is set;
/// the other fields are written only with it.
struct CopyFields {
  std::string status;          ///< "copied", "skipped", "failed", "dry-run", "stopped"
  int64_t copied = -1;         ///< messages written to the target for this record
  int64_t target_start = -1;   ///< target offset of the first copied message
  int64_t target_end = -1;     ///< target offset after the last copied message
  std::vector<GroupOffset> target_groups;  ///< committed target offsets per group
  std::vector<GroupLeft> groups_left;      ///< groups ck-copy did not place
  std::string error;
  bool operator==(const CopyFields&) const = default;
};

/// One group check of ck-verify, as the verify record carries it.
/// Offsets of -1 are written as null.
struct GroupCheckFields {
  std::string group;
  int64_t expected = -1;   ///< target offset derived from the source for its position
  int64_t committed = -1;  ///< committed target offset; -1: no commit
  int64_t remaining = -1;  ///< migrated messages left to read in the target; -1: unknown
  std::string verdict;     ///< "ok", "ahead", "behind", "missing", "beyond-end", ...
  int64_t position = -1;   ///< messages of the copied sequence it had read in the source
  int64_t claimed = -1;    ///< ck-copy's target_groups entry
  int64_t source_offset = -1;     ///< its committed source offset in the plan
  int64_t source_committed = -1;  ///< its committed source offset now
  int64_t delta = 0;       ///< messages ahead of its position (negative: behind)
  bool stale = false;      ///< the source offset moved since the plan
  bool operator==(const GroupCheckFields&) const = default;
};

/// Where the content first differs; -1 where that side has no message (null).
struct DifferenceFields {
  int64_t position = -1;
  int64_t source_offset = -1;
  int64_t target_offset = -1;
  bool operator==(const DifferenceFields&) const = default;
};

/// ck-verify's results. A record is verified when `verdict` is set; the other fields
/// are written only with it.
struct VerifyFields {
  std::string verdict;        ///< "ok", "skipped", "mismatch", ...; empty: not verified
  bool ok = false;            ///< the data and every group are in order
  int64_t source_count = -1;  ///< messages read in the source range; -1 not read
  int64_t target_count = -1;  ///< messages read in the target range; -1 not read
  int64_t target_range_start = -1;  ///< the target range checked ("target_range")
  int64_t target_range_end = -1;
  std::string reason_missing;
  std::string source_digest;  ///< 16 hex digits with --content; empty without
  std::string target_digest;
  bool has_difference = false;  ///< with digests: first_difference is an object, not null
  DifferenceFields first_difference;
  std::vector<GroupCheckFields> group_checks;
  std::vector<std::string> problems;
  int64_t behind = -1;        ///< messages the target is behind while the job follows; -1 not
  bool operator==(const VerifyFields&) const = default;
};

/// One partition's record. Plan fields are always present; copy and verify
/// results fill their typed sections. Fields this build does not know are kept
/// verbatim in `extra` and written back unchanged.
struct Record {
  int version = kSchemaVersion;
  std::string type = "plan";  ///< "plan", "copy" or "verify"
  std::string topic;
  int32_t partition = -1;
  int32_t partitions = -1;     ///< the topic's partition count in the source; -1 unknown
  std::string action = "copy"; ///< "copy" or "skip"
  std::string reason;          ///< why skipped ("all consumed", "expired", ...); empty if copied
  int64_t start = -1;          ///< first source offset to copy (inclusive)
  int64_t end = -1;            ///< source offset to stop at (exclusive)
  int64_t log_start = -1;      ///< source log start offset when planned; -1 unknown
  int64_t high_watermark = -1; ///< source high watermark when planned; -1 unknown
  int64_t expired = 0;         ///< unconsumed messages lost to retention before planning
  std::vector<GroupOffset> groups;  ///< committed source offsets, one per group
  std::vector<std::string> groups_without_commit;  ///< groups of the topic with no commit here

  CopyFields copy;      ///< filled by ck-copy
  VerifyFields verify;  ///< filled by ck-verify

  /// Unknown fields: key and the value's JSON text, in input order.
  std::vector<std::pair<std::string, std::string>> extra;

  // Where it was read (not written out).
  std::string source_name;
  int64_t line = 0;

  bool to_copy() const { return action == "copy"; }
  /// "topic t partition 3" for messages.
  std::string where() const { return describe(topic, partition); }
  /// "input:line: topic t partition 3": the prefix of every message about the record.
  std::string location() const;
};

/// Writes the record as one JSON line (no newline) with every known field.
std::string to_json(const Record& record);

/// Decodes NDJSON lines into records, validating each with simdjson's DOM parser.
class RecordParser {
 public:
  RecordParser();
  ~RecordParser();

  /// Parses line `line` of `source_name`. On a bad line, false with err
  /// `<source>:<line>: [topic t partition p: ]field "x": problem`.
  bool parse(const std::string& text, const std::string& source_name, int64_t line,
             Record* record, std::string* err);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck
