#include "job_progress.hpp"

#include <simdjson.h>

#include "json_writer.hpp"
#include "strings.hpp"

namespace ck {

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
      .field("follow", m.follow)
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
  // Absent in the progress of jobs older than the field: they did not follow.
  simdjson::dom::element follow;
  if (!doc["follow"].get(follow) && follow.get_bool().get(m.follow)) {
    *err = "progress metadata: field \"follow\" not a boolean";
    return false;
  }
  *meta = m;
  return true;
}

std::string job_progress_group(const std::string& job) { return cat("ck-migrate.", job, ".progress"); }

}  // namespace ck
