#include <catch2/catch.hpp>

#include "json_writer.hpp"
#include "../tools/base64.hpp"

using ck::JsonWriter;

TEST_CASE("strings are escaped, control characters as \\u00XX") {
  JsonWriter w;
  w.begin_object().field("k\"ey", std::string_view("a\"b\\c\n\t\x01\x7f")).end_object();
  CHECK(w.str() == R"({"k\"ey":"a\"b\\c\n\t\u0001\u007f"})");
}

TEST_CASE("valid UTF-8 passes through, invalid bytes become U+FFFD in plain strings") {
  JsonWriter w;
  w.begin_array().value(std::string_view("h\xc3\xa9llo")).value(std::string_view("a\xff" "b")).end_array();
  CHECK(w.str() == "[\"h\xc3\xa9llo\",\"a\\ufffdb\"]");
  // A surrogate and an overlong: each byte of the bad sequence is replaced.
  w.clear();
  w.value(std::string_view("a\xed\xa0\x80" "b\xc0\xaf\xe2\x82\xac"));
  CHECK(w.str() == "\"a\\ufffd\\ufffd\\ufffdb\\ufffd\\ufffd\xe2\x82\xac\"");
}

TEST_CASE("message bytes: UTF-8 as text, other bytes as base64, absent as null") {
  JsonWriter w;
  const char binary[] = {'\x00', '\xff', '\x10'};
  w.begin_object();
  ck::testing::bytes_field(w, "key", "abc", 3);
  ck::testing::bytes_field(w, "value", binary, sizeof binary);
  ck::testing::bytes_field(w, "none", nullptr, 0);
  w.end_object();
  CHECK(w.str() == R"({"key":"abc","value_b64":"AP8Q","none":null})");
}

TEST_CASE("utf8 validation rejects overlongs, surrogates and truncation") {
  CHECK(ck::is_valid_utf8("plain"));
  CHECK(ck::is_valid_utf8("\xe2\x82\xac"));        // euro sign
  CHECK(ck::is_valid_utf8("\xf0\x9f\x98\x80"));    // emoji
  CHECK_FALSE(ck::is_valid_utf8("\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(ck::is_valid_utf8("\xed\xa0\x80"));  // surrogate
  CHECK_FALSE(ck::is_valid_utf8("\xe2\x82"));      // truncated
  CHECK_FALSE(ck::is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
}

TEST_CASE("base64 round trip and rejects") {
  for (std::string s : {std::string(""), std::string("f"), std::string("fo"), std::string("foo"),
                        std::string("foob"), std::string("\x00\x01\xfe\xff", 4)}) {
    std::string back;
    REQUIRE(ck::testing::base64_decode(ck::testing::base64_encode(s), &back));
    CHECK(back == s);
  }
  std::string out;
  CHECK(ck::testing::base64_encode("foobar") == "Zm9vYmFy");
  CHECK_FALSE(ck::testing::base64_decode("abc", &out));
  CHECK_FALSE(ck::testing::base64_decode("ab!=", &out));
  CHECK_FALSE(ck::testing::base64_decode("a=bc", &out));
}

TEST_CASE("nested containers get commas in the right places") {
  JsonWriter w;
  w.begin_object().key("a").begin_array().value(1).value(2).end_array()
      .key("b").begin_object().end_object().field("c", true).key("d").null().end_object();
  CHECK(w.str() == R"({"a":[1,2],"b":{},"c":true,"d":null})");
}
