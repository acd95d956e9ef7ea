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

/// When a wait last made progress; stalled once nothing came within the timeout. A wait
/// whose length grows with the work (a scan, 10,000 new partitions getting their leaders,
/// thousands of groups committed one request each) is not cut off by a fixed --timeout
/// while the cluster keeps answering, and a cluster that stops answering is still given up
/// on after --timeout.
class StallWatch {
 public:
  using Clock = std::chrono::steady_clock;
  explicit StallWatch(Clock::time_point start = Clock::now()) : last_(start) {}
  void progressed(Clock::time_point now) { last_ = now; }
  /// `done` units of work so far: more than before is progress at `now`.
  void observe(int64_t done, Clock::time_point now) {
    if (done <= done_) return;
    done_ = done;
    progressed(now);
  }
  bool stalled(Clock::time_point now, std::chrono::milliseconds timeout) const {
    return now - last_ >= timeout;
  }

 private:
  Clock::time_point last_;
  int64_t done_ = 0;
};

}  // namespace ck
