// The one retry-until-deadline helper: ask again after a pause while the answer is "not
// yet", never past the deadline.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
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

/// The deadline of a wait whose length grows with the work (10,000 new partitions getting
/// their leaders, thousands of groups committed one request each): it ends `patience`
/// after the last progress, so a large job is not cut off by a fixed --timeout while the
/// cluster keeps answering, and a cluster that stops answering is still given up on after
/// --timeout.
class ProgressDeadline {
 public:
  using Clock = std::chrono::steady_clock;
  ProgressDeadline(std::chrono::milliseconds patience, Clock::time_point now)
      : patience_(patience), deadline_(now + patience) {}
  /// `done` units of work so far: more than before renews the deadline from `now`.
  void observe(int64_t done, Clock::time_point now) {
    if (done <= done_) return;
    done_ = done;
    deadline_ = now + patience_;
  }
  Clock::time_point deadline() const { return deadline_; }
  bool passed(Clock::time_point now) const { return now >= deadline_; }

 private:
  std::chrono::milliseconds patience_;
  Clock::time_point deadline_;
  int64_t done_ = 0;
};

}  // namespace ck
