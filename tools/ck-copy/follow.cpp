#include "follow.hpp"

#include <algorithm>
#include <cstdio>

#include "strings.hpp"

namespace ck::copy {

void follow_empty_ranges(std::vector<Record>* records) {
  for (Record& r : *records)
    if (r.action == "skip" && r.start >= 0 && r.start >= r.end) {
      r.action = "copy";
      r.reason.clear();
    }
}

int64_t follow_position(int64_t committed_next, int64_t produced_next, int64_t eof_offset) {
  bool nothing_since_commit = produced_next <= committed_next;
  if (nothing_since_commit && eof_offset > committed_next) return eof_offset;
  return committed_next;
}

void LagClock::observe(int64_t source_end, int64_t position, double now_seconds) {
  if (first_ < 0) first_ = now_seconds;
  known_ = true;
  position_ = position;
  messages_ = std::max<int64_t>(0, source_end - position);
  // An entry says "the end was `end` until `at`". Leaving one out only makes the lag
  // larger (an upper bound still): a new end is kept once per 1/128 of the lag's span.
  if (!seen_.empty() && seen_.back().end == source_end) {
    seen_.back().at = now_seconds;
  } else if (seen_.empty() || (source_end > seen_.back().end &&
                               now_seconds - seen_.back().at >=
                                   (now_seconds - seen_.front().at) / 128)) {
    seen_.push_back({now_seconds, source_end});
  }
  // Keep the last observation at or below the position: the moment the lag counts from.
  while (seen_.size() >= 2 && seen_[1].end <= position) seen_.pop_front();
  constexpr size_t kMaxSeen = 512;
  if (seen_.size() > kMaxSeen) {
    std::deque<Seen> thinned;
    for (size_t i = 0; i < seen_.size(); i += 2) thinned.push_back(seen_[i]);
    seen_.swap(thinned);
  }
}

Lag LagClock::lag(double now_seconds) const {
  if (!known_) return {};
  if (messages_ == 0) return {true, 0, 0, false};
  bool reached = seen_.front().end <= position_;
  double since = reached ? seen_.front().at : first_;
  return {true, messages_, std::max(0.0, now_seconds - since), !reached};
}

JobLag job_lag(const std::vector<Lag>& partitions) {
  JobLag job;
  for (size_t i = 0; i < partitions.size(); ++i) {
    const Lag& p = partitions[i];
    if (!p.known) continue;
    job.total.known = true;
    job.total.messages += p.messages;
    const Lag* worst = job.worst < 0 ? nullptr : &partitions[size_t(job.worst)];
    if (!worst || p.seconds > worst->seconds ||
        (p.seconds == worst->seconds && p.messages > worst->messages)) {
      job.worst = int(i);
    }
  }
  if (job.worst >= 0) job.total.seconds = partitions[size_t(job.worst)].seconds;
  return job;
}

bool within_lag(const LagLimit& limit, const std::vector<Lag>& partitions) {
  if (!limit.set()) return false;
  for (const Lag& p : partitions) {
    if (!p.known) return false;
    if (limit.messages >= 0 && p.messages > limit.messages) return false;
    if (limit.seconds >= 0 && (p.at_least || p.seconds > limit.seconds)) return false;
  }
  return true;
}

std::string lag_text(const Lag& lag) {
  if (!lag.known) return "lag unknown";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%s%.1fs", lag.at_least ? ">" : "", lag.seconds);
  return cat("lag ", plural(lag.messages, "msg"), " ", seconds);
}

}  // namespace ck::copy
