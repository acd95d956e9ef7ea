#include "records.hpp"

#include <simdjson.h>

#include <algorithm>

#include "json_writer.hpp"
#include "record_fields.hpp"
#include "strings.hpp"

namespace ck {

std::string Record::location() const { return cat(source_name, ":", line, ": ", where()); }

std::string to_json(const Record& r) {
  JsonWriter w;
  w.begin_object();
  encode_record_fields(w, r);
  for (const auto& [key, json] : r.extra) w.key(key).raw(json);
  w.end_object();
  return w.take();
}

// ---------------------------------------------------------------- parser

struct RecordParser::Impl {
  simdjson::dom::parser parser;
};

RecordParser::RecordParser() : impl_(new Impl) {}
RecordParser::~RecordParser() = default;

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The rules across fields, once every field decoded.
std::string check_record(const Record& r, const std::vector<std::string_view>& seen) {
  auto has = [&](std::string_view name) {
    return std::find(seen.begin(), seen.end(), name) != seen.end();
  };
  for (const char* required : {"v", "topic", "partition", "start", "end"})
    if (!has(required)) return cat("field \"", required, "\": missing");
  if (r.topic.empty()) return "field \"topic\": must not be empty";
  if (r.end < r.start) return cat("field \"end\": ", r.end, " is below start ", r.start);
  if (r.partitions >= 0 && r.partition >= r.partitions)
    return cat("field \"partition\": ", r.partition, " is beyond the topic's ",
               plural(r.partitions, "partition"));
  return {};
}

}  // namespace

bool RecordParser::parse(const std::string& text, const std::string& source_name,
                         int64_t line, Record* record, std::string* err) {
  *record = Record();
  record->source_name = source_name;
  record->line = line;
  element doc;
  auto error = impl_->parser.parse(text).get(doc);
  std::string problem;
  if (error)
    problem = cat("not valid JSON: ", simdjson::error_message(error));
  else if (doc.type() != element_type::OBJECT)
    problem = "expected a JSON object";
  std::vector<std::string_view> seen;
  if (problem.empty()) {
    for (auto [key, value] : simdjson::dom::object(doc)) {
      if (!is_record_field(key)) {
        record->extra.emplace_back(std::string(key), simdjson::minify(value));
        continue;
      }
      if (!decode_record_field(key, value, record, &problem)) break;
      seen.push_back(key);
    }
  }
  if (problem.empty()) problem = check_record(*record, seen);
  if (problem.empty()) return true;
  bool named = std::count(seen.begin(), seen.end(), "topic") &&
               std::count(seen.begin(), seen.end(), "partition");
  *err = cat(named ? record->location() : cat(source_name, ":", line), ": ", problem);
  return false;
}

}  // namespace ck
