#include "resume_state.hpp"

#include <simdjson.h>
#include <xxhash.h>

#include <algorithm>

#include "json_writer.hpp"
#include "strings.hpp"

namespace ck::copy {

std::string encode_progress(const ProgressMeta& m) {
  JsonWriter w;
  w.begin_object()
      .field("v", 1)
      .field("start", m.start)
      .field("end", m.end)
      .field("target_start", m.target_start)
      .field("target_end", m.target_end)
      .field("copied", m.copied)
      .field("done", m.done)
      .end_object();
  return w.take();
}

bool decode_progress(std::string_view text, ProgressMeta* meta, std::string* err) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc) ||
      doc.type() != simdjson::dom::element_type::OBJECT) {
    *err = "progress metadata is not a JSON object";
    return false;
  }
  ProgressMeta m;
  struct Field {
    const char* name;
    int64_t ProgressMeta::*member;
  };
  static const Field kFields[] = {{"start", &ProgressMeta::start},
                                  {"end", &ProgressMeta::end},
                                  {"target_start", &ProgressMeta::target_start},
                                  {"target_end", &ProgressMeta::target_end},
                                  {"copied", &ProgressMeta::copied}};
  for (const auto& f : kFields) {
    int64_t value = 0;
    if (doc[f.name].get_int64().get(value)) {
      *err = cat("progress metadata: field \"", f.name, "\" missing or not an integer");
      return false;
    }
    m.*f.member = value;
  }
  bool done = false;
  if (doc["done"].get_bool().get(done)) {
    *err = "progress metadata: field \"done\" missing or not a boolean";
    return false;
  }
  m.done = done;
  *meta = m;
  return true;
}

void GroupResolver::reset(std::vector<GroupOffset> pending) {
  pending_ = std::move(pending);
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const GroupOffset& a, const GroupOffset& b) { return a.offset < b.offset; });
  next_ = 0;
}

void GroupResolver::on_message(int64_t source_offset, int64_t target_offset,
                               std::vector<GroupOffset>* resolved) {
  while (next_ < pending_.size() && pending_[next_].offset <= source_offset) {
    resolved->push_back({pending_[next_].group, target_offset});
    ++next_;
  }
}

void GroupResolver::on_complete(int64_t target_end, std::vector<GroupOffset>* resolved) {
  for (; next_ < pending_.size(); ++next_) resolved->push_back({pending_[next_].group, target_end});
}

int shard_of(const std::string& topic, int32_t partition, int count) {
  std::string key = topic;
  key.push_back('\0');
  key += std::to_string(partition);
  return int(XXH64(key.data(), key.size(), 0) % uint64_t(count)) + 1;
}

}  // namespace ck::copy
