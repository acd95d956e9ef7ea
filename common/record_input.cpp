#include "record_input.hpp"

#include <cerrno>
#include <cstring>
#include <iostream>

#include "strings.hpp"

namespace ck {

namespace {
bool is_stdin(const std::string& path) { return path.empty() || path == "-"; }
}  // namespace

RecordInput::RecordInput(const std::string& path, BadLines policy)
    : in_(&std::cin), name_(is_stdin(path) ? "<stdin>" : path), policy_(policy) {
  if (is_stdin(path)) return;
  errno = 0;
  file_.open(path);
  in_ = &file_;
  if (!file_) stop(InputError::kCannotOpen, cat(path, ": cannot open: ", std::strerror(errno)));
}

RecordInput::RecordInput(std::istream& in, std::string name, BadLines policy)
    : in_(&in), name_(std::move(name)), policy_(policy) {}

bool RecordInput::stop(InputError error, std::string text) {
  error_ = error;
  error_text_ = std::move(text);
  return false;
}

bool RecordInput::next(Record* record) {
  if (error_ != InputError::kNone) return false;
  std::string text, err;
  for (;;) {
    errno = 0;
    if (!std::getline(*in_, text)) break;
    ++line_;
    if (trim(text).empty()) continue;
    if (parser_.parse(text, name_, line_, record, &err)) return true;
    if (policy_ == BadLines::kStop) return stop(InputError::kBadLine, err);
    bad_lines_.push_back(err);
  }
  if (in_->bad())
    return stop(InputError::kReadFailed,
                cat(name_, ": cannot read: ", errno ? std::strerror(errno) : "I/O error"));
  return false;
}

std::vector<Record> RecordInput::read_all() {
  std::vector<Record> records;
  Record record;
  while (next(&record)) records.push_back(std::move(record));
  return records;
}

}  // namespace ck
