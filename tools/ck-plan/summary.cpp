#include "summary.hpp"

#include <set>
#include <string_view>

#include "strings.hpp"

namespace ck::plan {

namespace {

struct Tally {
  int64_t to_copy = 0;
  int64_t skipped = 0;
  int64_t messages = 0;
  int64_t expired = 0;
  std::set<std::string_view> groups;  // names owned by the records

  void add(const Record& r) {
    if (r.to_copy()) {
      ++to_copy;
      messages += r.end - r.start;
    } else {
      ++skipped;
    }
    expired += r.expired;
    for (const auto& g : r.groups) groups.insert(g.group);
    groups.insert(r.groups_without_commit.begin(), r.groups_without_commit.end());
  }

  void add(const Tally& t) {
    to_copy += t.to_copy;
    skipped += t.skipped;
    messages += t.messages;
    expired += t.expired;
    groups.insert(t.groups.begin(), t.groups.end());
  }
};

// "a, b, c and 4 more": a topic read by hundreds of groups stays on one line.
std::string name_list(const std::set<std::string_view>& names) {
  const size_t kShown = 5;
  std::string text;
  size_t i = 0;
  for (const auto& n : names) {
    if (i == kShown) break;
    text += cat(i++ ? ", " : "", n);
  }
  if (names.size() > kShown) text += cat(" and ", names.size() - kShown, " more");
  return text;
}

std::string tally_line(const Tally& t) {
  return cat(plural(t.to_copy, "partition", "partitions"), " to copy, ", t.skipped,
             " skipped, up to ", plural(t.messages, "message", "messages"), ", ", t.expired,
             " expired");
}

}  // namespace

std::string summarize(const std::string& cluster, const std::vector<Record>& records,
                      size_t groups_scanned) {
  std::string text = cat("ck-plan: plan for the ", cluster, ": ",
                         plural(int64_t(groups_scanned), "group", "groups"), " scanned\n");
  Tally total;
  int64_t topics = 0;
  for (size_t i = 0; i < records.size();) {
    Tally topic;
    size_t j = i;
    for (; j < records.size() && records[j].topic == records[i].topic; ++j)
      topic.add(records[j]);
    total.add(topic);
    ++topics;
    text += cat("ck-plan:   topic ", records[i].topic, ": ", tally_line(topic), "; ",
                plural(int64_t(topic.groups.size()), "group", "groups"), ": ",
                name_list(topic.groups), "\n");
    i = j;
  }
  text += cat("ck-plan: total: ", plural(topics, "topic", "topics"), ", ", tally_line(total),
              ", ", plural(int64_t(total.groups.size()), "group", "groups"), " involved\n");
  return text;
}

}  // namespace ck::plan
