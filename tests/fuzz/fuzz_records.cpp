// libFuzzer target: the record reader must never crash, hang or leak on any input, and
// every record it accepts must survive a write/read round trip unchanged.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  ck::RecordReader reader(in, "<fuzz>");
  ck::Record record;
  std::string err;
  for (int i = 0; i < 1000; ++i) {
    bool ok = reader.next(&record, &err);
    if (!ok && err.empty()) break;  // end of input
    if (!ok) continue;              // a reported bad line: reading goes on
    std::string line = ck::to_json(record);
    std::istringstream again(line);
    ck::RecordReader reread(again, "<again>");
    ck::Record back;
    std::string err2;
    if (!reread.next(&back, &err2) || ck::to_json(back) != line) std::abort();
  }
  return 0;
}
