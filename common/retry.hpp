// The one retry-until-deadline helper: ask again after a pause while the answer is "not
// yet", never past the deadline.
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace ck {

/// Calls attempt(left_ms) until it returns true (done, whether it succeeded or failed for
/// good); left_ms is the time to the deadline, at least 100 ms. Between attempts it waits
/// `pause`. Returns false when the deadline passed with the last attempt still asking to
/// be retried (the caller reports that attempt's error).
template <typename Attempt>
bool retry_until_deadline(std::chrono::steady_clock::time_point deadline,
                          std::chrono::milliseconds pause, Attempt&& attempt) {
  using Clock = std::chrono::steady_clock;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (attempt(int(std::max<int64_t>(left.count(), 100)))) return true;
    if (Clock::now() >= deadline) return false;
    if (pause.count() > 0) std::this_thread::sleep_for(pause);
  }
}

}  // namespace ck
