#include "record_fields.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>

#include "json_writer.hpp"
#include "strings.hpp"

namespace ck {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Decodes the value of one field (or of a part of one: "groups.g"), with one error text
// per problem; `problem` is set on failure.
class FieldReader {
 public:
  FieldReader(std::string name, std::string* problem)
      : name_(std::move(name)), problem_(problem) {}

  FieldReader at(std::string_view part) const { return {cat(name_, ".", part), problem_}; }

  bool integer(element value, int64_t min, int64_t* out) const {
    if (value.type() == element_type::UINT64) return fail("out of range");
    if (value.type() != element_type::INT64) return fail("expected integer");
    int64_t number = int64_t(value);
    if (number < min) return fail(cat("must be >= ", min, ", got ", number));
    *out = number;
    return true;
  }

  // A non-negative integer, or null for `if_null`.
  bool offset(element value, int64_t if_null, int64_t* out) const {
    if (!value.is_null()) return integer(value, 0, out);
    *out = if_null;
    return true;
  }

  bool int32(element value, int64_t min, int32_t* out) const {
    int64_t n = 0;
    if (!integer(value, min, &n)) return false;
    if (n > INT32_MAX) return fail("out of range");
    *out = int32_t(n);
    return true;
  }

  bool string(element value, bool allow_null, std::string* out) const {
    if (allow_null && value.is_null()) {
      out->clear();
      return true;
    }
    if (value.type() != element_type::STRING)
      return fail(allow_null ? "expected string or null" : "expected string");
    *out = std::string(std::string_view(value));
    return true;
  }

  bool boolean(element value, bool* out) const {
    if (value.type() != element_type::BOOL) return fail("expected true or false");
    *out = bool(value);
    return true;
  }

  bool groups(element value, std::vector<GroupOffset>* out) const {
    if (value.type() != element_type::OBJECT) return fail("expected object");
    out->clear();
    for (auto [group, offset] : simdjson::dom::object(value)) {
      GroupOffset g{std::string(group), -1};
      if (!at(group).offset(offset, -1, &g.offset)) return false;
      out->push_back(std::move(g));
    }
    return true;
  }

  bool groups_left(element value, std::vector<GroupLeft>* out) const {
    if (value.type() != element_type::OBJECT) return fail("expected object");
    out->clear();
    for (auto [group, reason] : simdjson::dom::object(value)) {
      GroupLeft g{std::string(group), {}};
      if (!at(group).string(reason, false, &g.reason)) return false;
      out->push_back(std::move(g));
    }
    return true;
  }

  bool strings(element value, std::vector<std::string>* out) const {
    if (value.type() != element_type::ARRAY) return fail("expected array");
    out->clear();
    for (element item : simdjson::dom::array(value)) {
      if (item.type() != element_type::STRING) return fail("expected array of strings");
      out->emplace_back(std::string_view(item));
    }
    return true;
  }

  bool fail(const std::string& what) const {
    *problem_ = cat("field \"", name_, "\": ", what);
    return false;
  }

 private:
  std::string name_;
  std::string* problem_;
};

bool decode_version(const FieldReader& f, element value, Record& r) {
  int64_t n = 0;
  if (!f.integer(value, 1, &n)) return false;
  if (n > kSchemaVersion)
    return f.fail(cat("unsupported schema version ", n, " (this build reads up to ",
                      kSchemaVersion, ")"));
  r.version = int(n);
  return true;
}

bool decode_action(const FieldReader& f, element value, Record& r) {
  if (!f.string(value, false, &r.action)) return false;
  if (r.action != "copy" && r.action != "skip") return f.fail("expected \"copy\" or \"skip\"");
  return true;
}

bool decode_target_range(const FieldReader& f, element value, Record& r) {
  if (value.type() != element_type::ARRAY || simdjson::dom::array(value).size() != 2)
    return f.fail("expected [start, end]");
  simdjson::dom::array range(value);
  return f.integer(range.at(0), 0, &r.verify.target_range_start) &&
         f.integer(range.at(1), 0, &r.verify.target_range_end);
}

bool decode_difference(const FieldReader& f, element value, Record& r) {
  r.verify.has_difference = !value.is_null();
  r.verify.first_difference = {};
  if (value.is_null()) return true;
  if (value.type() != element_type::OBJECT) return f.fail("expected object or null");
  DifferenceFields& d = r.verify.first_difference;
  for (auto [key, v] : simdjson::dom::object(value)) {
    int64_t* out = key == "position"        ? &d.position
                   : key == "source_offset" ? &d.source_offset
                   : key == "target_offset" ? &d.target_offset
                                            : nullptr;
    if (out && !f.at(key).offset(v, -1, out)) return false;
  }
  return true;
}

bool decode_group_check(const FieldReader& f, element value, GroupCheckFields* g) {
  if (value.type() != element_type::OBJECT) return f.fail("expected object");
  for (auto [key, v] : simdjson::dom::object(value)) {
    FieldReader part = f.at(key);
    bool ok = key == "group"              ? part.string(v, false, &g->group)
              : key == "verdict"          ? part.string(v, false, &g->verdict)
              : key == "expected"         ? part.offset(v, -1, &g->expected)
              : key == "committed"        ? part.offset(v, -1, &g->committed)
              : key == "remaining"        ? part.offset(v, -1, &g->remaining)
              : key == "position"         ? part.offset(v, -1, &g->position)
              : key == "claimed"          ? part.offset(v, -1, &g->claimed)
              : key == "source_offset"    ? part.offset(v, -1, &g->source_offset)
              : key == "source_committed" ? part.offset(v, -1, &g->source_committed)
              : key == "delta"            ? part.integer(v, INT64_MIN, &g->delta)
              : key == "stale"            ? part.boolean(v, &g->stale)
                                          : true;
    if (!ok) return false;
  }
  return true;
}

bool decode_group_checks(const FieldReader& f, element value, Record& r) {
  if (value.type() != element_type::ARRAY) return f.fail("expected array");
  r.verify.group_checks.clear();
  for (element item : simdjson::dom::array(value)) {
    GroupCheckFields g;
    if (!decode_group_check(f.at(std::to_string(r.verify.group_checks.size())), item, &g))
      return false;
    r.verify.group_checks.push_back(std::move(g));
  }
  return true;
}

// ------------------------------------------------------------------ encoding helpers

void offset_or_null(JsonWriter& w, std::string_view name, int64_t value) {
  if (value < 0)
    w.key(name).null();
  else
    w.field(name, value);
}

void write_difference(JsonWriter& w, const VerifyFields& v) {
  w.key("first_difference");
  if (!v.has_difference) {
    w.null();
    return;
  }
  w.begin_object().field("position", v.first_difference.position);
  offset_or_null(w, "source_offset", v.first_difference.source_offset);
  offset_or_null(w, "target_offset", v.first_difference.target_offset);
  w.end_object();
}

void write_group_checks(JsonWriter& w, const std::vector<GroupCheckFields>& checks) {
  w.key("group_checks").begin_array();
  for (const auto& g : checks) {
    w.begin_object().field("group", g.group);
    offset_or_null(w, "expected", g.expected);
    offset_or_null(w, "committed", g.committed);
    offset_or_null(w, "remaining", g.remaining);
    w.field("verdict", g.verdict);
    offset_or_null(w, "position", g.position);
    offset_or_null(w, "claimed", g.claimed);
    offset_or_null(w, "source_offset", g.source_offset);
    offset_or_null(w, "source_committed", g.source_committed);
    w.field("delta", g.delta).field("stale", g.stale).end_object();
  }
  w.end_array();
}

// ------------------------------------------------------------------ codecs

using Decode = bool (*)(const FieldReader&, element, Record&);
using Encode = void (*)(JsonWriter&, std::string_view name, const Record&);
using Clear = void (*)(Record&);

/// How one field is read, written (only when the record holds it) and cleared.
struct Codec {
  Decode decode;
  Encode encode;
  Clear clear;
};

// When a field is written: plan fields always; copy fields once ck-copy set a status;
// verify fields once ck-verify set a verdict.
bool always(const Record&) { return true; }
bool copied(const Record& r) { return !r.copy.status.empty(); }
bool verified(const Record& r) { return !r.verify.verdict.empty(); }
using When = bool (*)(const Record&);

// A member of the record or of its copy or verify section.
template <typename T>
T& part(Record& r, T Record::*m) { return r.*m; }
template <typename T>
T& part(Record& r, T CopyFields::*m) { return r.copy.*m; }
template <typename T>
T& part(Record& r, T VerifyFields::*m) { return r.verify.*m; }
template <typename T>
const T& part(const Record& r, T Record::*m) { return r.*m; }
template <typename T>
const T& part(const Record& r, T CopyFields::*m) { return r.copy.*m; }
template <typename T>
const T& part(const Record& r, T VerifyFields::*m) { return r.verify.*m; }

// A string that must be present (not null), always written.
template <auto M>
constexpr Codec kName = {
    [](const FieldReader& f, element v, Record& r) { return f.string(v, false, &part(r, M)); },
    [](JsonWriter& w, std::string_view name, const Record& r) { w.field(name, part(r, M)); },
    [](Record& r) { part(r, M) = Record().*M; }};

// A string or null, written when not empty.
template <auto M, When when>
constexpr Codec kText = {
    [](const FieldReader& f, element v, Record& r) { return f.string(v, true, &part(r, M)); },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (when(r) && !part(r, M).empty()) w.field(name, part(r, M));
    },
    [](Record& r) { part(r, M).clear(); }};

// An offset or count that must be present, always written.
template <int64_t Record::*M>
constexpr Codec kOffset = {
    [](const FieldReader& f, element v, Record& r) { return f.integer(v, 0, &(r.*M)); },
    [](JsonWriter& w, std::string_view name, const Record& r) { w.field(name, r.*M); },
    [](Record& r) { r.*M = -1; }};

// An offset or count that may be unknown (-1: absent or null), written when known.
template <auto M, When when>
constexpr Codec kOptionalOffset = {
    [](const FieldReader& f, element v, Record& r) { return f.offset(v, -1, &part(r, M)); },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (when(r) && part(r, M) >= 0) w.field(name, part(r, M));
    },
    [](Record& r) { part(r, M) = -1; }};

// {group: offset or null}.
template <auto M, When when>
constexpr Codec kGroups = {
    [](const FieldReader& f, element v, Record& r) { return f.groups(v, &part(r, M)); },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (!when(r)) return;
      w.key(name).begin_object();
      for (const auto& g : part(r, M)) offset_or_null(w, g.group, g.offset);
      w.end_object();
    },
    [](Record& r) { part(r, M).clear(); }};

// An array of strings.
template <auto M, When when>
constexpr Codec kStrings = {
    [](const FieldReader& f, element v, Record& r) { return f.strings(v, &part(r, M)); },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (!when(r)) return;
      w.key(name).begin_array();
      for (const auto& s : part(r, M)) w.value(s);
      w.end_array();
    },
    [](Record& r) { part(r, M).clear(); }};

constexpr Codec kVersion = {
    decode_version,
    [](JsonWriter& w, std::string_view name, const Record& r) { w.field(name, r.version); },
    [](Record& r) { r.version = kSchemaVersion; }};

constexpr Codec kPartition = {
    [](const FieldReader& f, element v, Record& r) { return f.int32(v, 0, &r.partition); },
    [](JsonWriter& w, std::string_view name, const Record& r) { w.field(name, r.partition); },
    [](Record& r) { r.partition = -1; }};

constexpr Codec kPartitions = {
    [](const FieldReader& f, element v, Record& r) { return f.int32(v, 1, &r.partitions); },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (r.partitions >= 0) w.field(name, r.partitions);
    },
    [](Record& r) { r.partitions = -1; }};

constexpr Codec kAction = {
    decode_action,
    [](JsonWriter& w, std::string_view name, const Record& r) { w.field(name, r.action); },
    [](Record& r) { r.action = "copy"; }};

// Why a partition is skipped: null when it is not.
constexpr Codec kReason = {
    [](const FieldReader& f, element v, Record& r) { return f.string(v, true, &r.reason); },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (r.reason.empty()) w.key(name).null(); else w.field(name, r.reason);
    },
    [](Record& r) { r.reason.clear(); }};

constexpr Codec kExpired = {
    [](const FieldReader& f, element v, Record& r) { return f.offset(v, 0, &r.expired); },
    [](JsonWriter& w, std::string_view name, const Record& r) { w.field(name, r.expired); },
    [](Record& r) { r.expired = 0; }};

// Derived from start and end, for people: checked on input, never stored.
constexpr Codec kSpan = {
    [](const FieldReader& f, element v, Record&) {
      int64_t ignored = 0;
      return f.integer(v, 0, &ignored);
    },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      w.field(name, std::max<int64_t>(0, r.end - r.start));
    },
    [](Record&) {}};

// {group: reason}, written when there is one.
constexpr Codec kGroupsLeft = {
    [](const FieldReader& f, element v, Record& r) {
      return f.groups_left(v, &r.copy.groups_left);
    },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (!copied(r) || r.copy.groups_left.empty()) return;
      w.key(name).begin_object();
      for (const auto& g : r.copy.groups_left) w.field(g.group, g.reason);
      w.end_object();
    },
    [](Record& r) { r.copy.groups_left.clear(); }};

// [start, end] of the target range checked.
constexpr Codec kTargetRange = {
    decode_target_range,
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (!verified(r) || r.verify.target_range_start < 0) return;
      w.key(name).begin_array().value(r.verify.target_range_start);
      w.value(r.verify.target_range_end).end_array();
    },
    [](Record& r) { r.verify.target_range_start = r.verify.target_range_end = -1; }};

constexpr Codec kOk = {
    [](const FieldReader& f, element v, Record& r) { return f.boolean(v, &r.verify.ok); },
    [](JsonWriter& w, std::string_view name, const Record& r) {
      if (verified(r)) w.field(name, r.verify.ok);
    },
    [](Record& r) { r.verify.ok = false; }};

// Written with the digests (--content): null when the contents are the same.
constexpr Codec kFirstDifference = {
    decode_difference,
    [](JsonWriter& w, std::string_view, const Record& r) {
      if (verified(r) && !r.verify.source_digest.empty()) write_difference(w, r.verify);
    },
    [](Record& r) {
      r.verify.has_difference = false;
      r.verify.first_difference = {};
    }};

constexpr Codec kGroupChecks = {
    decode_group_checks,
    [](JsonWriter& w, std::string_view, const Record& r) {
      if (verified(r)) write_group_checks(w, r.verify.group_checks);
    },
    [](Record& r) { r.verify.group_checks.clear(); }};

// ------------------------------------------------------------------ the table

struct Field {
  const char* name;
  Stage stage;
  Codec codec;
};

// The record format (man ck-records(5)); output order is table order.
const Field kFields[] = {
    {"v", Stage::kPlan, kVersion},
    {"type", Stage::kPlan, kName<&Record::type>},
    {"topic", Stage::kPlan, kName<&Record::topic>},
    {"partition", Stage::kPlan, kPartition},
    {"partitions", Stage::kPlan, kPartitions},
    {"action", Stage::kPlan, kAction},
    {"reason", Stage::kPlan, kReason},
    {"start", Stage::kPlan, kOffset<&Record::start>},
    {"end", Stage::kPlan, kOffset<&Record::end>},
    {"log_start", Stage::kPlan, kOptionalOffset<&Record::log_start, always>},
    {"high_watermark", Stage::kPlan, kOptionalOffset<&Record::high_watermark, always>},
    {"expired", Stage::kPlan, kExpired},
    {"span", Stage::kPlan, kSpan},
    {"groups", Stage::kPlan, kGroups<&Record::groups, always>},
    {"groups_without_commit", Stage::kPlan, kStrings<&Record::groups_without_commit, always>},

    {"status", Stage::kCopy, kText<&CopyFields::status, always>},
    {"copied", Stage::kCopy, kOptionalOffset<&CopyFields::copied, copied>},
    {"target_start", Stage::kCopy, kOptionalOffset<&CopyFields::target_start, copied>},
    {"target_end", Stage::kCopy, kOptionalOffset<&CopyFields::target_end, copied>},
    {"target_groups", Stage::kCopy, kGroups<&CopyFields::target_groups, copied>},
    {"groups_left", Stage::kCopy, kGroupsLeft},
    {"error", Stage::kCopy, kText<&CopyFields::error, copied>},

    {"source_count", Stage::kVerify, kOptionalOffset<&VerifyFields::source_count, verified>},
    {"target_count", Stage::kVerify, kOptionalOffset<&VerifyFields::target_count, verified>},
    {"target_range", Stage::kVerify, kTargetRange},
    {"verdict", Stage::kVerify, kText<&VerifyFields::verdict, always>},
    {"ok", Stage::kVerify, kOk},
    {"reason_missing", Stage::kVerify, kText<&VerifyFields::reason_missing, verified>},
    {"source_digest", Stage::kVerify, kText<&VerifyFields::source_digest, verified>},
    {"target_digest", Stage::kVerify, kText<&VerifyFields::target_digest, verified>},
    {"first_difference", Stage::kVerify, kFirstDifference},
    {"group_checks", Stage::kVerify, kGroupChecks},
    {"problems", Stage::kVerify, kStrings<&VerifyFields::problems, verified>},
    {"behind", Stage::kVerify, kOptionalOffset<&VerifyFields::behind, verified>},
};

const Field* find_field(std::string_view name) {
  for (const Field& f : kFields)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace

bool is_record_field(std::string_view name) { return find_field(name) != nullptr; }

std::vector<std::string_view> field_names(Stage stage) {
  std::vector<std::string_view> names;
  for (const Field& f : kFields)
    if (f.stage == stage) names.emplace_back(f.name);
  return names;
}

void strip_stage(Record* record, Stage stage) {
  for (const Field& f : kFields)
    if (f.stage == stage) f.codec.clear(*record);
}

bool decode_record_field(std::string_view name, const element& value, Record* record,
                         std::string* problem) {
  const Field* field = find_field(name);
  if (!field) {
    *problem = cat("field \"", name, "\": not a field of the record format");
    return false;
  }
  return field->codec.decode(FieldReader(field->name, problem), value, *record);
}

void encode_record_fields(JsonWriter& writer, const Record& record) {
  for (const Field& f : kFields) f.codec.encode(writer, f.name, record);
}

}  // namespace ck
