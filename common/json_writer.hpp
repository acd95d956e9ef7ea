// The one JSON writer: every byte of output JSON is escaped here, never by concatenation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ck {

/// True if text is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF);
/// simdjson's validator.
bool is_valid_utf8(std::string_view text);

/// Builds one JSON value (usually an object on one line) into a string.
/// Commas are inserted automatically; keys and strings are escaped.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// Writes an object key; the next call writes its value.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);  ///< Escaped string; invalid UTF-8 → U+FFFD.
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(int64_t number);
  JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  /// Inserts already-valid JSON text (e.g. an unknown field kept from input).
  JsonWriter& raw(std::string_view json);

  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void clear();

 private:
  void separate();
  void escape(std::string_view text);
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace ck
