#include "group_rules.hpp"

#include <algorithm>

#include "strings.hpp"

namespace ck::verify {

const char* to_string(GroupVerdict verdict) {
  switch (verdict) {
    case GroupVerdict::kOk: return "ok";
    case GroupVerdict::kAhead: return "ahead";
    case GroupVerdict::kBehind: return "behind";
    case GroupVerdict::kMissing: return "missing";
    case GroupVerdict::kBeyondEnd: return "beyond-end";
    case GroupVerdict::kContentDiffers: return "content-differs";
    case GroupVerdict::kUnderivable: return "underivable";
    case GroupVerdict::kNotYetCopied: return "not-yet-copied";
    case GroupVerdict::kNotYetPlaced: return "not-yet-placed";
  }
  return "?";
}

std::vector<GroupFacts> record_groups(const Record& record) {
  std::vector<GroupFacts> out;
  auto entry = [&](const std::string& group) -> GroupFacts& {
    for (auto& f : out)
      if (f.group == group) return f;
    out.push_back(GroupFacts{});
    out.back().group = group;
    return out.back();
  };
  for (const auto& g : record.groups) {
    GroupFacts& f = entry(g.group);
    f.planned = true;
    f.plan_offset = g.offset;
  }
  for (const auto& g : record.groups_without_commit) entry(g).planned = true;
  for (const auto& g : record.copy.target_groups) entry(g.group).claimed = g.offset;
  return out;
}

int64_t group_position(int64_t group_source_offset, const Range& source,
                       int64_t messages_below, int64_t source_count) {
  // Below the range (its unread messages expired) it reads the first migrated message;
  // at or past the end it has read them all.
  if (group_source_offset <= source.start) return 0;
  if (group_source_offset >= source.end) return source_count;
  return std::clamp<int64_t>(messages_below, 0, source_count);
}

int64_t expected_target_offset(int64_t position, int64_t target_count,
                               int64_t offset_at_position, const Range& target) {
  if (position >= target_count || offset_at_position < 0) return target.end;
  return offset_at_position;
}

namespace {

bool within(int64_t offset, const Range& r) { return offset >= r.start && offset <= r.end; }

// The source offset the position comes from: the plan's; for a group the plan does not
// name (a claim added by hand), the source's offset now. -1: the range's start.
int64_t derivation_offset(const GroupFacts& f, const AroundOffset** around) {
  *around = &f.at_plan;
  if (f.planned) return f.plan_offset;
  *around = &f.at_now;
  return f.source_now.value_or(-1);
}

// Stale: the group's committed source offset is not the plan's any more (consumers read
// on the source after the plan). Measured in messages when both offsets lie in the range
// read, else in offsets. A group deleted from the source since has not moved.
void judge_staleness(const GroupFacts& f, const RangesRead& r, GroupCheck* c) {
  if (!f.planned || !f.source_now || *f.source_now == f.plan_offset) return;
  int64_t now = *f.source_now;
  c->stale = true;
  if (f.plan_offset < 0) return;
  if (within(now, r.source) && within(f.plan_offset, r.source)) {
    c->moved = f.at_now.below - f.at_plan.below;
    c->moved_in_messages = true;
  } else {
    c->moved = now - f.plan_offset;
  }
}

// At its position by count: the last message it read and the next one it reads must be
// the same messages on both sides, and as many messages left to read.
std::string content_difference(const AroundOffset& source, const AroundOffset& target,
                               const GroupCheck& c) {
  std::vector<std::string> parts;
  auto differ = [](int64_t so, uint64_t sh, int64_t to, uint64_t th) {
    return (so < 0) != (to < 0) || (so >= 0 && sh != th);
  };
  auto offset = [](int64_t o) { return o < 0 ? std::string("none") : std::to_string(o); };
  if (differ(source.before_offset, source.before_hash, target.before_offset, target.before_hash))
    parts.push_back(cat("the last message read (source offset ", offset(source.before_offset),
                        ", target offset ", offset(target.before_offset), ") differs"));
  if (differ(source.at_offset, source.at_hash, target.at_offset, target.at_hash))
    parts.push_back(cat("the next message (source offset ", offset(source.at_offset),
                        ", target offset ", offset(target.at_offset), ") differs"));
  if (c.source_remaining != c.remaining)
    parts.push_back(cat("messages left to read: source ", c.source_remaining, ", target ",
                        c.remaining));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// Where the committed offset stands against the position (committed is set).
void judge_position(const GroupFacts& f, const RangesRead& r, const AroundOffset& source,
                    GroupCheck* c) {
  int64_t committed = *f.committed;
  int64_t end = std::max(r.target_end_offset, r.target.end);
  if (committed > end) {
    c->verdict = GroupVerdict::kBeyondEnd;
    return;
  }
  if (committed < r.target.start) {
    c->before_range = true;
    c->remaining = r.target_count;
    c->delta = -c->position;
    c->verdict = GroupVerdict::kBehind;
    return;
  }
  int64_t at = committed > r.target.end ? r.target_count : f.at_committed.below;
  c->past_range = committed > r.target.end;
  c->remaining = r.target_count - at;
  c->delta = at - c->position;
  if (c->delta < 0) {
    c->verdict = GroupVerdict::kBehind;
  } else if (c->delta > 0 || c->past_range) {
    c->verdict = GroupVerdict::kAhead;
  } else {
    c->differs = content_difference(source, f.at_committed, *c);
    c->verdict = c->differs.empty() ? GroupVerdict::kOk : GroupVerdict::kContentDiffers;
  }
}

// The target offset of the position, where reading already found it: at the committed
// offset or the claim when either sits at the position, or the range's end.
int64_t known_expected(const GroupFacts& f, const RangesRead& r, const GroupCheck& c) {
  if (c.position >= r.target_count) return r.target.end;
  for (auto [offset, around] : {std::pair{f.committed.value_or(-1), &f.at_committed},
                                std::pair{f.claimed, &f.at_claimed}})
    if (offset >= r.target.start && offset <= r.target.end && around->below == c.position)
      return expected_target_offset(c.position, r.target_count, around->at_offset, r.target);
  return -1;
}

}  // namespace

GroupCheck check_group(const GroupFacts& f, const RangesRead& r, AheadRule rule) {
  GroupCheck c;
  c.group = f.group;
  c.source_offset = f.planned ? f.plan_offset : -1;
  c.source_committed = f.source_now.value_or(-1);
  c.claimed = f.claimed;
  c.committed = f.committed.value_or(-1);
  judge_staleness(f, r, &c);
  const AroundOffset* source = nullptr;
  int64_t from = derivation_offset(f, &source);
  if (!f.planned && from < 0) {
    c.verdict = GroupVerdict::kUnderivable;
  } else if (r.following && from > r.source.end) {
    c.verdict = GroupVerdict::kNotYetCopied;
  } else {
    c.position = from < 0 ? 0 : group_position(from, r.source, source->below, r.source_count);
    c.source_remaining = r.source_count - c.position;
    c.expected = known_expected(f, r, c);
    if (f.committed)
      judge_position(f, r, *source, &c);
    else
      c.verdict = r.following ? GroupVerdict::kNotYetPlaced : GroupVerdict::kMissing;
  }
  c.position_ok = c.verdict == GroupVerdict::kOk ||
                  (c.verdict == GroupVerdict::kAhead && rule == AheadRule::kAllowed);
  return c;
}

namespace {

std::string messages(int64_t n) { return plural(n, "message"); }

// "(committed target offset 39, expected 40 from source offset 40; ck-copy claimed 40)"
std::string position_note(const GroupCheck& g, bool with_committed) {
  std::string from = g.source_offset >= 0 ? cat("source offset ", g.source_offset)
                     : g.source_committed >= 0 && g.position >= 0
                         ? cat("source offset ", g.source_committed, " (not in the plan)")
                         : std::string("the range's start (no source commit in the plan)");
  std::string text = "(";
  if (with_committed) text += cat("committed target offset ", g.committed, ", ");
  text += cat("expected ", g.expected, " from ", from);
  if (g.claimed >= 0) text += cat("; ck-copy claimed ", g.claimed);
  return text + ")";
}

std::string position_problem(const GroupCheck& g) {
  switch (g.verdict) {
    case GroupVerdict::kBehind:
      if (g.before_range)
        return cat("behind: would re-read ", messages(g.position),
                   " of the copied range and what lies before the range's start ",
                   position_note(g, true));
      return cat("behind: would re-read ", messages(-g.delta), " ", position_note(g, true));
    case GroupVerdict::kAhead:
      return cat("ahead: would skip ", messages(g.delta),
                 g.past_range ? " and sits past the copied range's end " : " ",
                 position_note(g, true));
    case GroupVerdict::kMissing:
      return cat("missing: no committed offset in the target ", position_note(g, false));
    case GroupVerdict::kBeyondEnd:
      return cat("beyond the end: committed target offset ", g.committed,
                 " is past the target partition's end ", position_note(g, false));
    case GroupVerdict::kContentDiffers:
      return cat("content differs at its position: ", g.differs, " ", position_note(g, true));
    case GroupVerdict::kUnderivable:
      return cat("cannot derive its position: no committed source offset in the plan or the "
                 "source", g.claimed >= 0 ? cat(" (ck-copy claimed ", g.claimed, ")") : "");
    case GroupVerdict::kOk:
    case GroupVerdict::kNotYetCopied:
    case GroupVerdict::kNotYetPlaced:
      break;
  }
  return "";
}

std::string stale_problem(const GroupCheck& g) {
  auto offset = [](int64_t o) { return o < 0 ? std::string("none") : std::to_string(o); };
  std::string text = cat("stale: its committed source offset moved from ",
                         offset(g.source_offset), " to ", offset(g.source_committed),
                         " since the plan");
  if (g.moved_in_messages)
    text += cat(" (", g.moved < 0 ? "back " : "", messages(std::abs(g.moved)), ")");
  else if (g.moved != 0)
    text += cat(" (", g.moved > 0 ? "+" : "", g.moved, " offsets)");
  return text;
}

}  // namespace

std::string describe_group_pending(const std::string& where, const GroupCheck& g) {
  std::string head = cat(where, ": group ", g.group, ": ");
  std::string moved = g.stale ? cat(" (moved on the source since the plan, to ",
                                    g.source_committed, ")") : "";
  if (g.verdict == GroupVerdict::kNotYetCopied)
    return cat(head, "not yet copied: its source offset ",
               g.source_offset >= 0 ? g.source_offset : g.source_committed,
               " lies beyond what the job has copied so far", moved);
  if (g.verdict == GroupVerdict::kNotYetPlaced)
    return cat(head, "not yet placed: the job still follows the source; its final run "
               "without --follow places it", moved);
  return "";
}

std::vector<std::string> describe_group_problems(const std::string& where, const GroupCheck& g) {
  std::vector<std::string> out;
  if (g.pending()) return out;
  std::string head = cat(where, ": group ", g.group, ": ");
  if (g.stale) out.push_back(head + stale_problem(g));
  if (!g.position_ok) out.push_back(head + position_problem(g));
  return out;
}

}  // namespace ck::verify
