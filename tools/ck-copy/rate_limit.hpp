// A byte-rate limit (token bucket with debt): the copy takes what it is about to fetch or
// produce and waits for as long as take() says, so that over any stretch longer than the
// burst the job moves at most `bytes_per_second`. Pure: the caller passes the time.
#pragma once

#include <cstdint>

namespace ck::copy {

class RateLimit {
 public:
  /// bytes_per_second <= 0: no limit. burst_bytes: how much may go at once after a pause
  /// (at least one second's worth is sensible; the default is one second's worth).
  explicit RateLimit(double bytes_per_second, double burst_bytes = 0);

  bool limited() const { return rate_ > 0; }
  /// Accounts for `bytes` sent at `now_seconds` (monotonic, non-decreasing) and returns how
  /// many seconds to wait before sending more: 0 while the bucket holds enough.
  double take(int64_t bytes, double now_seconds);

 private:
  double rate_;
  double burst_;
  double tokens_;
  double last_ = -1;
};

/// Parses a rate such as "20M", "500k", "1.5G" or "1048576" (bytes per second; k, M, G are
/// powers of 1024, with an optional "B", "B/s" or "/s"). False on anything else or <= 0.
bool parse_rate(const char* text, double* bytes_per_second);

}  // namespace ck::copy
