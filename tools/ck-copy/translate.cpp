#include "translate.hpp"

#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "exit_codes.hpp"
#include "index_records.hpp"
#include "index_topic.hpp"
#include "json_writer.hpp"
#include "log.hpp"
#include "strings.hpp"

namespace ck::copy {

std::string OffsetLine::location() const {
  return cat(source_name, ":", line, ": ", describe(topic, partition));
}

bool parse_offset_line(std::string_view text, const std::string& source_name, int64_t line,
                       OffsetLine* out, std::string* err) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string where = cat(source_name, ":", line, ": ");
  if (parser.parse(text.data(), text.size()).get(doc) ||
      doc.type() != simdjson::dom::element_type::OBJECT) {
    *err = where + "expected a JSON object with topic, partition and offset";
    return false;
  }
  OffsetLine l;
  l.source_name = source_name;
  l.line = line;
  std::string_view topic;
  int64_t partition = -1;
  if (doc["topic"].get_string().get(topic) || topic.empty() ||
      doc["partition"].get_int64().get(partition) || partition < 0 || partition > INT32_MAX) {
    *err = where + "expected \"topic\" (a string) and \"partition\" (an integer >= 0)";
    return false;
  }
  l.topic = std::string(topic);
  l.partition = int32_t(partition);
  if (doc["offset"].get_int64().get(l.offset) || l.offset < 0) {
    *err = cat(l.location(), ": expected \"offset\" (an integer >= 0)");
    return false;
  }
  for (auto [key, value] : simdjson::dom::object(doc))
    l.fields.emplace_back(std::string(key), simdjson::minify(value));
  *out = std::move(l);
  return true;
}

std::string translated_json(const OffsetLine& l, int64_t target_offset) {
  JsonWriter w;
  w.begin_object();
  for (const auto& [key, json] : l.fields)
    if (key != "target_offset") w.key(key).raw(json);
  w.field("target_offset", target_offset).end_object();
  return w.take();
}

namespace {

// Every line of the input; malformed ones reported. An exit status when the input cannot
// be read (2: it cannot be opened, 3: reading failed), else -1.
int read_lines(const std::string& path, std::vector<OffsetLine>* lines, bool* malformed) {
  std::ifstream file;
  std::istream* in = &std::cin;
  std::string name = "<stdin>";
  if (!path.empty() && path != "-") {
    file.open(path);
    if (!file) return log::error(cat(path, ": cannot open")), kExitUsage;
    in = &file;
    name = path;
  }
  std::string text, err;
  for (int64_t n = 1; std::getline(*in, text); ++n) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    OffsetLine l;
    if (parse_offset_line(text, name, n, &l, &err)) lines->push_back(std::move(l));
    else log::error(err), *malformed = true;
  }
  if (in->bad()) return log::error(cat(name, ": reading failed")), kExitRuntime;
  return -1;
}

}  // namespace

int run_translate(const CopyOptions& o, const CommonOptions& common, std::ostream& out) {
  std::vector<OffsetLine> lines;
  bool malformed = false;
  if (int code = read_lines(o.input, &lines, &malformed); code >= 0) return code;
  std::vector<TopicPartition> wanted;
  for (const auto& l : lines) wanted.push_back({l.topic, l.partition});
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::map<TopicPartition, OffsetIndex> indexes;
  std::string err;
  if (!read_index(common.target, o.index_topic, o.job, wanted, common.timeout_ms, &indexes,
                  &err))
    return log::error(cat("reading the offset index ", o.index_topic, ": ", err)), kExitRuntime;
  bool untranslated = false;
  for (const auto& l : lines) {
    std::optional<int64_t> target = translate(indexes[{l.topic, l.partition}], l.offset, &err);
    if (target) {
      out << translated_json(l, *target) << '\n';
    } else {
      log::error(cat(l.location(), ": ", err, " (job ", o.job, ")"));
      untranslated = true;
    }
  }
  out.flush();
  if (malformed) return kExitRuntime;
  return untranslated ? kExitFailed : kExitOk;
}

}  // namespace ck::copy
