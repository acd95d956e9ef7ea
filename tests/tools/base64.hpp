// Base64 for the test tools: ck-testkit dumps message bytes that are not UTF-8 as
// base64 (ripgrep's habit) and reads them back; no production tool needs it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "json_writer.hpp"

namespace ck::testing {

inline const char kB64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with padding).
inline std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) |
                 uint8_t(bytes[i + 2]);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= uint8_t(bytes[i + 1]) << 8;
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kB64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

/// Decodes standard base64; false on a bad character or length.
inline bool base64_decode(std::string_view text, std::string* bytes) {
  if (text.size() % 4 != 0) return false;
  bytes->clear();
  bytes->reserve(text.size() / 4 * 3);
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (size_t i = 0; i < text.size(); i += 4) {
    int pad = 0;
    uint32_t n = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      int v;
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
        v = 0;
      } else {
        if (pad) return false;  // data after padding
        v = value_of(c);
        if (v < 0) return false;
      }
      n = (n << 6) | uint32_t(v);
    }
    bytes->push_back(char(n >> 16));
    if (pad < 2) bytes->push_back(char((n >> 8) & 0xFF));
    if (pad < 1) bytes->push_back(char(n & 0xFF));
  }
  return true;
}

/// Message data: `"name":"text"` when UTF-8, `"name_b64":"..."` when not,
/// `"name":null` when absent.
inline void bytes_field(JsonWriter& w, std::string_view name, const void* data, size_t size) {
  if (!data) {
    w.key(name).null();
    return;
  }
  std::string_view bytes(static_cast<const char*>(data), size);
  if (is_valid_utf8(bytes))
    w.field(name, bytes);
  else
    w.field(std::string(name) + "_b64", std::string_view(base64_encode(bytes)));
}

}  // namespace ck::testing
