// libFuzzer target: the record reader must never crash, hang or leak on any input, and
// every record it accepts must survive a write/read round trip unchanged.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "record_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  ck::RecordInput input(in, "<fuzz>", ck::BadLines::kCollect);
  ck::Record record;
  for (int i = 0; i < 1000 && input.next(&record); ++i) {
    std::string line = ck::to_json(record);
    std::istringstream again(line);
    ck::RecordInput reread(again, "<again>", ck::BadLines::kStop);
    ck::Record back;
    if (!reread.next(&back) || ck::to_json(back) != line) std::abort();
  }
  return 0;
}
