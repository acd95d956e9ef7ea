// The one reader of plan and result streams (NDJSON records, man ck-records(5)), shared
// by ck-copy and ck-verify: a file or standard input, blank lines skipped, and a policy
// for lines that are not records.
#pragma once

#include <fstream>
#include <istream>
#include <string>
#include <vector>

#include "records.hpp"

namespace ck {

/// What to do with a line that is not a record.
enum class BadLines {
  kStop,     ///< stop reading at the first one (error() is kBadLine)
  kCollect,  ///< note it in bad_lines() and read on
};

/// Why reading stopped before the end of the input.
enum class InputError {
  kNone,
  kCannotOpen,  ///< the file could not be opened
  kReadFailed,  ///< reading failed part way (an I/O error, a directory)
  kBadLine,     ///< a line that is not a record, under BadLines::kStop
};

class RecordInput {
 public:
  /// Reads `path`; empty or "-" is standard input, named "<stdin>" in messages.
  RecordInput(const std::string& path, BadLines policy);
  /// Reads a stream already open (tests, fuzzing), named `name` in messages.
  RecordInput(std::istream& in, std::string name, BadLines policy);

  /// The next record; false at the end of the input or when reading stopped (error()).
  bool next(Record* record);

  /// Every record to the end of the input (or until reading stopped).
  std::vector<Record> read_all();

  InputError error() const { return error_; }
  /// One line for the error: "<name>: cannot open: ...", "<name>:12: field ...".
  const std::string& error_text() const { return error_text_; }
  /// Lines that were not records, one message each, under BadLines::kCollect.
  const std::vector<std::string>& bad_lines() const { return bad_lines_; }
  const std::string& name() const { return name_; }

 private:
  bool stop(InputError error, std::string text);

  std::ifstream file_;
  std::istream* in_;
  std::string name_;
  BadLines policy_;
  RecordParser parser_;
  int64_t line_ = 0;
  InputError error_ = InputError::kNone;
  std::string error_text_;
  std::vector<std::string> bad_lines_;
};

}  // namespace ck
