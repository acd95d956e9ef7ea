// What people see on stderr while ck-copy runs: a live progress line on a terminal,
// a plain line every 10 s otherwise, and a summary at the end.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "follow.hpp"

namespace ck::copy {

/// Totals of the run so far.
struct Totals {
  int64_t messages = 0;        ///< copied in committed transactions
  int64_t bytes = 0;           ///< key + value bytes of those
  int64_t estimate = 0;        ///< offsets still to go at the start (upper bound on messages)
  int copied_partitions = 0;
  int skipped = 0;
  int failed = 0;
  int stopped = 0;
  int interrupted = 0;
  int aborts = 0;              ///< aborted transactions (retried)
  int commits = 0;
  bool follow = false;         ///< follow mode: the lag is shown
  Lag lag;                     ///< the job's: messages summed, seconds of the worst partition
  std::string worst;           ///< "topic t partition p" of the partition furthest behind
  Lag worst_lag;
};

/// Renders "1.2M msgs 340 MiB 85.1k msg/s ETA 12s" (pure, for tests); in follow mode
/// "... lag 1200 msgs 0.8s, worst topic t partition 3 lag 800 msgs 0.8s" instead of an ETA.
std::string progress_text(const Totals& totals, double seconds);

class ProgressReporter {
 public:
  /// mode: -1 auto (live on a terminal, else every 10 s), 0 off, 1 on.
  ProgressReporter(int mode, bool quiet);
  /// Called often; prints when due.
  void update(const Totals& totals);
  /// Clears a live line before other stderr text and at the end.
  void clear();
  /// The summary lines.
  void summary(const Totals& totals, bool dry_run);

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_ = false;
  bool live_ = false;
  bool line_shown_ = false;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

}  // namespace ck::copy
