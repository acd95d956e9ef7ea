#include "records.hpp"

#include <simdjson.h>

#include <algorithm>
#include <set>

#include "json_writer.hpp"
#include "strings.hpp"

namespace ck {

std::string Record::where() const { return describe(topic, partition); }

void Record::erase_extra(const std::string& key) {
  extra.erase(std::remove_if(extra.begin(), extra.end(),
                             [&](const auto& kv) { return kv.first == key; }),
              extra.end());
}

namespace {

void write_groups(JsonWriter& w, const char* name,
                  const std::vector<GroupOffset>& groups) {
  w.key(name).begin_object();
  for (const auto& g : groups) {
    w.key(g.group);
    if (g.offset < 0)
      w.null();
    else
      w.value(g.offset);
  }
  w.end_object();
}

void write_optional(JsonWriter& w, const char* name, int64_t value) {
  if (value >= 0) w.field(name, value);
}

}  // namespace

std::string to_json(const Record& r) {
  JsonWriter w;
  w.begin_object();
  w.field("v", r.version).field("type", r.type);
  w.field("topic", r.topic).field("partition", r.partition);
  write_optional(w, "partitions", r.partitions);
  w.field("action", r.action);
  if (r.reason.empty())
    w.key("reason").null();
  else
    w.field("reason", r.reason);
  w.field("start", r.start).field("end", r.end);
  write_optional(w, "log_start", r.log_start);
  write_optional(w, "high_watermark", r.high_watermark);
  w.field("expired", r.expired);
  w.field("span", std::max<int64_t>(0, r.end - r.start));
  write_groups(w, "groups", r.groups);
  w.key("groups_without_commit").begin_array();
  for (const auto& g : r.groups_without_commit) w.value(g);
  w.end_array();
  if (!r.status.empty()) {
    w.field("status", r.status);
    write_optional(w, "copied", r.copied);
    if (r.target_start >= 0) w.field("target_start", r.target_start);
    if (r.target_end >= 0) w.field("target_end", r.target_end);
    write_groups(w, "target_groups", r.target_groups);
    if (!r.error.empty()) w.field("error", r.error);
  }
  for (const auto& [key, json] : r.extra) w.key(key).raw(json);
  w.end_object();
  return w.take();
}

// ---------------------------------------------------------------- reader

struct RecordReader::Impl {
  simdjson::dom::parser parser;
};

RecordReader::RecordReader(std::istream& in, std::string source_name)
    : in_(in), source_name_(std::move(source_name)), impl_(new Impl) {}

RecordReader::~RecordReader() = default;

bool RecordReader::next(Record* record, std::string* err) {
  std::string text;
  err->clear();
  while (std::getline(in_, text)) {
    ++line_;
    if (trim(text).empty()) continue;
    return parse_line(text, record, err);
  }
  if (in_.bad()) *err = cat(source_name_, ": read error");
  return false;
}

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

const std::set<std::string, std::less<>> kKnownFields = {
    "v",       "type",          "topic",        "partition",
    "partitions", "action",     "reason",       "start",
    "end",     "log_start",     "high_watermark", "expired",
    "span",    "groups",        "groups_without_commit", "status",
    "copied",  "target_start",  "target_end",   "target_groups",
    "error"};

// Field decoding with one error text per problem; `problem` is set on failure.
class FieldReader {
 public:
  explicit FieldReader(std::string* problem) : problem_(problem) {}

  bool integer(std::string_view name, element value, int64_t min,
               int64_t* out) {
    int64_t number;
    if (value.type() == element_type::INT64) {
      number = int64_t(value);
    } else if (value.type() == element_type::UINT64) {
      return fail(name, "out of range");
    } else {
      return fail(name, "expected integer");
    }
    if (number < min) return fail(name, cat("must be >= ", min, ", got ", number));
    *out = number;
    return true;
  }

  bool string(std::string_view name, element value, bool allow_null,
              std::string* out) {
    if (allow_null && value.is_null()) {
      out->clear();
      return true;
    }
    if (value.type() != element_type::STRING)
      return fail(name, allow_null ? "expected string or null" : "expected string");
    *out = std::string(std::string_view(value));
    return true;
  }

  bool groups(std::string_view name, element value,
              std::vector<GroupOffset>* out) {
    if (value.type() != element_type::OBJECT) return fail(name, "expected object");
    out->clear();
    for (auto [group, offset] : simdjson::dom::object(value)) {
      GroupOffset g{std::string(group), -1};
      std::string inner = cat(name, ".", group);
      if (!offset.is_null() && !integer(inner, offset, 0, &g.offset)) return false;
      out->push_back(std::move(g));
    }
    return true;
  }

  bool strings(std::string_view name, element value,
               std::vector<std::string>* out) {
    if (value.type() != element_type::ARRAY) return fail(name, "expected array");
    out->clear();
    for (element item : simdjson::dom::array(value)) {
      if (item.type() != element_type::STRING)
        return fail(name, "expected array of strings");
      out->emplace_back(std::string_view(item));
    }
    return true;
  }

  bool fail(std::string_view name, const std::string& what) {
    *problem_ = cat("field \"", name, "\": ", what);
    return false;
  }

 private:
  std::string* problem_;
};

bool decode_field(FieldReader& f, std::string_view key, element value,
                  Record* r) {
  int64_t n = 0;
  if (key == "v") {
    if (!f.integer(key, value, 1, &n)) return false;
    if (n > kSchemaVersion)
      return f.fail(key, cat("unsupported schema version ", n,
                             " (this build reads up to ", kSchemaVersion, ")"));
    r->version = int(n);
    return true;
  }
  if (key == "type") return f.string(key, value, false, &r->type);
  if (key == "topic") return f.string(key, value, false, &r->topic);
  if (key == "partition" || key == "partitions") {
    if (!f.integer(key, value, key == "partition" ? 0 : 1, &n)) return false;
    if (n > INT32_MAX) return f.fail(key, "out of range");
    (key == "partition" ? r->partition : r->partitions) = int32_t(n);
    return true;
  }
  if (key == "action") {
    if (!f.string(key, value, false, &r->action)) return false;
    if (r->action != "copy" && r->action != "skip")
      return f.fail(key, "expected \"copy\" or \"skip\"");
    return true;
  }
  if (key == "reason") return f.string(key, value, true, &r->reason);
  if (key == "status") return f.string(key, value, true, &r->status);
  if (key == "error") return f.string(key, value, true, &r->error);
  if (key == "groups") return f.groups(key, value, &r->groups);
  if (key == "target_groups") return f.groups(key, value, &r->target_groups);
  if (key == "groups_without_commit")
    return f.strings(key, value, &r->groups_without_commit);
  if (key == "span") return f.integer(key, value, 0, &n);  // derived; checked only
  struct IntField {
    const char* name;
    int64_t Record::*member;
  };
  static const IntField kInts[] = {
      {"start", &Record::start},         {"end", &Record::end},
      {"log_start", &Record::log_start}, {"high_watermark", &Record::high_watermark},
      {"expired", &Record::expired},     {"copied", &Record::copied},
      {"target_start", &Record::target_start}, {"target_end", &Record::target_end}};
  for (const auto& field : kInts) {
    if (key != field.name) continue;
    if (value.is_null() && key != "start" && key != "end") {
      r->*field.member = key == "expired" ? 0 : -1;
      return true;
    }
    return f.integer(key, value, 0, &(r->*field.member));
  }
  return true;
}

}  // namespace

bool RecordReader::parse_line(const std::string& text, Record* record,
                              std::string* err) {
  *record = Record();
  record->source_name = source_name_;
  record->line = line_;
  std::string prefix = cat(source_name_, ":", line_, ": ");
  element doc;
  auto error = impl_->parser.parse(text).get(doc);
  if (error) {
    *err = prefix + "not valid JSON: " + simdjson::error_message(error);
    return false;
  }
  if (doc.type() != element_type::OBJECT) {
    *err = prefix + "expected a JSON object";
    return false;
  }
  std::string problem;
  FieldReader f(&problem);
  bool has_v = false, has_topic = false, has_partition = false;
  bool has_start = false, has_end = false;
  for (auto [key, value] : simdjson::dom::object(doc)) {
    if (kKnownFields.count(key) == 0) {
      record->extra.emplace_back(std::string(key), simdjson::minify(value));
      continue;
    }
    if (!decode_field(f, key, value, record)) break;
    has_v |= key == "v";
    has_topic |= key == "topic";
    has_partition |= key == "partition";
    has_start |= key == "start";
    has_end |= key == "end";
  }
  if (problem.empty()) {
    const char* missing = !has_v           ? "v"
                          : !has_topic     ? "topic"
                          : !has_partition ? "partition"
                          : !has_start     ? "start"
                          : !has_end       ? "end"
                                           : nullptr;
    if (missing) problem = cat("field \"", missing, "\": missing");
  }
  if (problem.empty() && record->topic.empty())
    problem = "field \"topic\": must not be empty";
  if (has_topic && has_partition) prefix += record->where() + ": ";
  if (problem.empty() && record->end < record->start)
    problem = cat("field \"end\": ", record->end, " is below start ",
                  record->start);
  if (problem.empty() && record->partitions >= 0 &&
      record->partition >= record->partitions)
    problem = cat("field \"partition\": ", record->partition,
                  " is beyond the topic's ", plural(record->partitions, "partition"));
  if (!problem.empty()) {
    *err = prefix + problem;
    return false;
  }
  return true;
}

}  // namespace ck
