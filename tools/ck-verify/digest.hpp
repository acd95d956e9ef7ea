// Per-message content hashes (XXH3-64) with a framing that makes every message's fields
// unambiguous: each byte string is length-prefixed and absent values get their own marker,
// so moving bytes between key and value, or null versus empty, changes the hash.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>

namespace ck::verify {

/// Hashes one message at a time, field by field, with no allocation per message.
/// Call begin(), then key(), value(), headers(n) followed by n header() calls, then
/// timestamp(), and finish().
class MessageHasher {
 public:
  MessageHasher();
  ~MessageHasher();
  MessageHasher(const MessageHasher&) = delete;
  MessageHasher& operator=(const MessageHasher&) = delete;

  void begin();
  /// data == nullptr means absent (null key or value); size 0 with data is empty.
  void key(const void* data, size_t size) { bytes('K', data, size); }
  void value(const void* data, size_t size) { bytes('V', data, size); }
  void headers(size_t count);
  void header(const char* name, size_t name_size, const void* value, size_t value_size);
  void timestamp(int64_t ms);
  uint64_t finish();

 private:
  void bytes(char tag, const void* data, size_t size);
  void number(uint64_t n);
  XXH3_state_t* state_;
};

/// A running XXH3-64 over a sequence of 64-bit message hashes (a partition's digest or
/// one block's).
class SequenceDigest {
 public:
  SequenceDigest();
  ~SequenceDigest();
  SequenceDigest(const SequenceDigest&) = delete;
  SequenceDigest& operator=(const SequenceDigest&) = delete;
  SequenceDigest(SequenceDigest&& other) noexcept : state_(other.state_) {
    other.state_ = nullptr;
  }

  void reset();
  void add(uint64_t message_hash);
  uint64_t value() const;

 private:
  XXH3_state_t* state_;
};

}  // namespace ck::verify
