// libFuzzer target: the properties parser and override splitter never crash, and what
// they accept has a non-empty key without surrounding white space.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  ck::Settings settings;
  std::string err;
  if (ck::parse_properties(text, "<fuzz>", &settings, &err)) {
    for (const auto& [key, value] : settings)
      if (key.empty() || key.front() == ' ' || key.back() == ' ') std::abort();
  } else if (err.find("<fuzz>:") != 0) {
    std::abort();  // every error names the source and line
  }
  std::pair<std::string, std::string> kv;
  if (ck::parse_override(text, &kv) && kv.first.empty()) std::abort();
  (void)ck::redact(text, text);
  return 0;
}
