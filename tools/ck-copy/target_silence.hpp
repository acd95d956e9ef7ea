// How long the target has owed ck-copy an answer. Every wait on the target (deliveries,
// the commit, the abort after a failed commit, the purge after it) ends once the target
// has been silent for --timeout: one clock for the whole give-up path, so a dead target
// costs --timeout once, not once per step. Pure: the caller passes the time.
#pragma once

#include <algorithm>
#include <chrono>

namespace ck::copy {

class TargetSilence {
 public:
  using Clock = std::chrono::steady_clock;

  TargetSilence(std::chrono::milliseconds limit, Clock::time_point now)
      : limit_(limit), last_(now) {}

  /// The target answered (a delivery report, success or a broker's error). No clock
  /// read: it is called per message; observe() turns it into a time.
  void answered() { answered_ = true; }
  /// The target answered at `now` (a transactional call that returned).
  void heard(Clock::time_point now) {
    last_ = std::max(last_, now);
    answered_ = false;
  }
  /// After a poll: `owed` says whether anything sent to the target is still unanswered.
  /// Owing nothing counts as silence of length zero: an idle target is not a dead one.
  void observe(bool owed, Clock::time_point now) {
    if (answered_ || !owed) heard(now);
  }
  /// When the target will have been silent for the limit.
  Clock::time_point deadline() const { return last_ + limit_; }
  /// `own` (a step's own deadline) cut short where the target has been silent too long.
  Clock::time_point bound(Clock::time_point own) const { return std::min(own, deadline()); }

 private:
  std::chrono::milliseconds limit_;
  Clock::time_point last_;
  bool answered_ = false;
};

}  // namespace ck::copy
