// Follow mode's pure decisions: where a partition's copy stands against the source's end,
// how far behind that is (messages and seconds), and when --until-lag lets the run stop.
// No Kafka calls: the caller passes offsets and the time.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "options.hpp"
#include "records.hpp"

namespace ck::copy {

/// Follow mode copies every planned partition: a record skipped only because its range
/// was empty when planned (everything consumed, or no messages) is copied from its start.
void follow_empty_ranges(std::vector<Record>* records);

/// The source offset up to which the target holds every message of a partition
/// (committed): the committed `next`, or the reader's end-of-partition offset when the
/// reader stopped there with nothing produced since the last commit (the end may lie
/// past transaction markers, which are not copied). eof_offset < 0: no end seen.
int64_t follow_position(int64_t committed_next, int64_t produced_next, int64_t eof_offset);

/// How far one partition, or the job, is behind the source.
struct Lag {
  bool known = false;    ///< the source's end was seen (false: not yet fetched)
  int64_t messages = 0;  ///< offsets between the copied position and the source's end
  double seconds = 0;    ///< how long ago the source's end was at the copied position
  bool at_least = false; ///< the position has not reached any end seen yet: `seconds`
                         ///< counts from the first look, a lower bound
};

/// One partition's lag over time. The oldest message not yet copied (at the copied
/// position) was written after the last moment the source's end was at or below that
/// position: the lag in seconds is the time since then, an upper bound on that message's
/// age within one observation interval. Before the position reaches any end observed
/// (a backlog older than the run), it counts from the first observation: a lower bound.
class LagClock {
 public:
  /// now_seconds: any monotonic clock, not decreasing.
  void observe(int64_t source_end, int64_t position, double now_seconds);
  Lag lag(double now_seconds) const;

 private:
  struct Seen {
    double at;
    int64_t end;
  };
  bool known_ = false;
  int64_t messages_ = 0;
  int64_t position_ = 0;
  double first_ = -1;
  std::deque<Seen> seen_;  // ends observed above the position's, oldest first, thinned
};

/// The job's lag: messages summed, seconds of the worst partition; `worst` is the index
/// of the partition furthest behind in seconds, then messages (-1 when none is known).
struct JobLag {
  Lag total;
  int worst = -1;
};
JobLag job_lag(const std::vector<Lag>& partitions);

/// --until-lag: every partition known and within the limit (an unset limit: never); a
/// duration limit also needs each lag's seconds to be more than a lower bound.
bool within_lag(const LagLimit& limit, const std::vector<Lag>& partitions);

/// "lag 1200 msgs 3.4s" for the progress line (">3.4s" for a lower bound).
std::string lag_text(const Lag& lag);

}  // namespace ck::copy
