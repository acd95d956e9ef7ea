// The NDJSON record every tool reads and writes (man ck-records(5)).
// One record per topic partition; later stages add fields and keep the rest.
#pragma once

#include <cstdint>
#include <istream>
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

/// One partition's record. Plan fields are always present; copy and verify
/// results fill the later fields. Fields this build does not know are kept
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

  // Filled by ck-copy.
  std::string status;          ///< "copied", "skipped", "failed", "dry-run", "stopped"
  int64_t copied = -1;         ///< messages written to the target for this record
  int64_t target_start = -1;   ///< target offset of the first copied message
  int64_t target_end = -1;     ///< target offset after the last copied message
  std::vector<GroupOffset> target_groups;  ///< committed target offsets per group
  std::string error;

  /// Unknown fields: key and the value's JSON text, in input order.
  std::vector<std::pair<std::string, std::string>> extra;

  // Where it was read (not written out).
  std::string source_name;
  int64_t line = 0;

  bool to_copy() const { return action == "copy"; }
  /// "topic t partition 3" for messages.
  std::string where() const;
  /// Drops extra fields of that name (a tool that writes a field of its own).
  void erase_extra(const std::string& key);
};

/// Writes the record as one JSON line (no newline) with every known field.
std::string to_json(const Record& record);

/// Reads NDJSON records line by line, validating each with simdjson's DOM parser.
/// Blank lines are skipped. Errors read `<source>:<line>: field "x": problem`.
class RecordReader {
 public:
  RecordReader(std::istream& in, std::string source_name);
  ~RecordReader();

  /// Reads the next record. Returns false at the end of input (err empty)
  /// or on a bad line (err set; reading may go on with the next line).
  bool next(Record* record, std::string* err);

  /// Parses one line; used by next() and by tests.
  bool parse_line(const std::string& text, Record* record, std::string* err);

  int64_t line() const { return line_; }

 private:
  struct Impl;
  std::istream& in_;
  std::string source_name_;
  int64_t line_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck
