// The fields of the record format, defined once: one table (record_fields.cpp) says
// each field's name, the stage that writes it, and how it is decoded, encoded and
// cleared. Known-field detection, the reader, the writer and the stripping of an earlier
// run's results all go through it (man ck-records(5)).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "records.hpp"

namespace simdjson::dom {
class element;
}

namespace ck {

class JsonWriter;

/// The tool that writes a field: ck-plan, ck-copy or ck-verify.
enum class Stage { kPlan, kCopy, kVerify };

/// True if `name` is a field of the record format (anything else is kept in `extra`).
bool is_record_field(std::string_view name);

/// The fields a stage writes, in output order.
std::vector<std::string_view> field_names(Stage stage);

/// Clears every field the stage writes, so a record of a later stage reads as one of
/// the stage before it (ck-copy rereading results, ck-verify re-verifying).
void strip_stage(Record* record, Stage stage);

/// Decodes a known field into the record. False with problem set to
/// `field "name": what is wrong`; an unknown name is an error of the caller.
bool decode_record_field(std::string_view name, const simdjson::dom::element& value,
                         Record* record, std::string* problem);

/// Writes every field the record holds, in table order (extra fields not included).
void encode_record_fields(JsonWriter& writer, const Record& record);

}  // namespace ck
