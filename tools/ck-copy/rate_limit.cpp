#include "rate_limit.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace ck::copy {

RateLimit::RateLimit(double bytes_per_second, double burst_bytes)
    : rate_(bytes_per_second),
      burst_(burst_bytes > 0 ? burst_bytes : bytes_per_second),
      tokens_(burst_) {}

double RateLimit::take(int64_t bytes, double now) {
  if (rate_ <= 0) return 0;
  if (last_ >= 0 && now > last_) tokens_ = std::min(burst_, tokens_ + (now - last_) * rate_);
  last_ = std::max(last_, now);
  tokens_ -= static_cast<double>(bytes);
  return tokens_ >= 0 ? 0 : -tokens_ / rate_;
}

bool parse_rate(const char* text, double* bytes_per_second) {
  if (text == nullptr || *text == '\0') return false;
  char* end = nullptr;
  double value = std::strtod(text, &end);
  if (end == text || !(value > 0)) return false;
  std::string_view unit(end);
  double scale = 1;
  if (!unit.empty()) {
    switch (unit.front()) {
      case 'k': case 'K': scale = 1024.0; unit.remove_prefix(1); break;
      case 'M': scale = 1024.0 * 1024; unit.remove_prefix(1); break;
      case 'G': scale = 1024.0 * 1024 * 1024; unit.remove_prefix(1); break;
      default: break;
    }
  }
  if (!(unit.empty() || unit == "B" || unit == "B/s" || unit == "/s")) return false;
  *bytes_per_second = value * scale;
  return true;
}

}  // namespace ck::copy
