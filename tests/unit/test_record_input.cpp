// The one input reader: policies for bad lines, and the errors that stop it, as values.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "record_input.hpp"

using namespace ck;

namespace {

std::string record(int partition) {
  return R"({"v":1,"topic":"t","partition":)" + std::to_string(partition) +
         R"(,"start":0,"end":5})";
}

// Two records, a line that is not JSON, a record with a bad field, one more record.
const std::string kMixed = record(0) + "\n\n" + record(1) + "\nnot json\n" +
                           R"({"v":1,"topic":"t","partition":2,"start":"x","end":5})" + "\n" +
                           record(3) + "\n";

}  // namespace

TEST_CASE("kStop stops at the first bad line and says where", "[input]") {
  std::istringstream in(kMixed);
  RecordInput input(in, "plan.ndjson", BadLines::kStop);
  std::vector<Record> records = input.read_all();
  REQUIRE(records.size() == 2);
  CHECK(records[1].line == 3);
  CHECK(input.error() == InputError::kBadLine);
  CHECK(input.error_text().rfind("plan.ndjson:4: not valid JSON: ", 0) == 0);
  CHECK(input.bad_lines().empty());
  Record r;
  CHECK_FALSE(input.next(&r));  // stays stopped
  CHECK(input.error() == InputError::kBadLine);
}

TEST_CASE("kCollect notes every bad line and reads on", "[input]") {
  std::istringstream in(kMixed);
  RecordInput input(in, "<stdin>", BadLines::kCollect);
  std::vector<Record> records = input.read_all();
  REQUIRE(records.size() == 3);
  CHECK(records[2].partition == 3);
  CHECK(records[2].line == 6);
  CHECK(input.error() == InputError::kNone);
  REQUIRE(input.bad_lines().size() == 2);
  CHECK(input.bad_lines()[0].rfind("<stdin>:4: not valid JSON", 0) == 0);
  CHECK(input.bad_lines()[1] ==
        R"(<stdin>:5: topic t partition 2: field "start": expected integer)");
}

TEST_CASE("the last line needs no newline; blank and white lines are skipped", "[input]") {
  std::istringstream in(" \t\n" + record(0) + "\r\n\n" + record(1));
  RecordInput input(in, "p", BadLines::kStop);
  std::vector<Record> records = input.read_all();
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 2);
  CHECK(records[1].line == 4);
  CHECK(input.error() == InputError::kNone);
}

TEST_CASE("an empty input is no error: the tools decide what it means", "[input]") {
  std::istringstream in("\n\n");
  RecordInput input(in, "<stdin>", BadLines::kStop);
  CHECK(input.read_all().empty());
  CHECK(input.error() == InputError::kNone);
}

TEST_CASE("a file that cannot be opened or read is a typed error", "[input]") {
  RecordInput missing("/nonexistent/plan.ndjson", BadLines::kCollect);
  CHECK(missing.error() == InputError::kCannotOpen);
  CHECK(missing.error_text() ==
        "/nonexistent/plan.ndjson: cannot open: No such file or directory");
  Record r;
  CHECK_FALSE(missing.next(&r));

  RecordInput directory("/", BadLines::kCollect);  // opens, but reading fails
  CHECK(directory.read_all().empty());
  CHECK(directory.error() == InputError::kReadFailed);
  CHECK(directory.error_text() == "/: cannot read: Is a directory");
}

TEST_CASE("a path reads the file, '-' and empty read standard input", "[input]") {
  char path[] = "/tmp/ck-record-input-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  {
    std::ofstream out(path);
    out << record(7) << "\n";
  }
  RecordInput file(path, BadLines::kStop);
  std::vector<Record> records = file.read_all();
  REQUIRE(records.size() == 1);
  CHECK(records[0].location() == std::string(path) + ":1: topic t partition 7");
  std::remove(path);
  close(fd);
  CHECK(RecordInput("-", BadLines::kStop).name() == "<stdin>");
  CHECK(RecordInput("", BadLines::kStop).name() == "<stdin>");
}
