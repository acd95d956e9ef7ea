#include "digest.hpp"

#include <new>

namespace ck::verify {

namespace {
XXH3_state_t* new_state() {
  XXH3_state_t* state = XXH3_createState();
  if (!state) throw std::bad_alloc();
  XXH3_64bits_reset(state);
  return state;
}

// Fixed little-endian encoding so digests agree between hosts.
void put_u64(unsigned char* out, uint64_t n) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(n >> (8 * i));
}
}  // namespace

MessageHasher::MessageHasher() : state_(new_state()) {}
MessageHasher::~MessageHasher() { XXH3_freeState(state_); }

void MessageHasher::begin() { XXH3_64bits_reset(state_); }

void MessageHasher::number(uint64_t n) {
  unsigned char buf[8];
  put_u64(buf, n);
  XXH3_64bits_update(state_, buf, sizeof buf);
}

void MessageHasher::bytes(char tag, const void* data, size_t size) {
  // Tag, then presence, then length and bytes: null and "" hash differently.
  unsigned char head[2] = {static_cast<unsigned char>(tag),
                           static_cast<unsigned char>(data ? 1 : 0)};
  XXH3_64bits_update(state_, head, sizeof head);
  if (!data) return;
  number(size);
  if (size) XXH3_64bits_update(state_, data, size);
}

void MessageHasher::headers(size_t count) {
  unsigned char tag = 'H';
  XXH3_64bits_update(state_, &tag, 1);
  number(count);
}

void MessageHasher::header(const char* name, size_t name_size, const void* value,
                           size_t value_size) {
  bytes('n', name ? name : "", name_size);
  bytes('v', value, value_size);
}

void MessageHasher::timestamp(int64_t ms) {
  unsigned char tag = 'T';
  XXH3_64bits_update(state_, &tag, 1);
  number(static_cast<uint64_t>(ms));
}

uint64_t MessageHasher::finish() { return XXH3_64bits_digest(state_); }

SequenceDigest::SequenceDigest() : state_(new_state()) {}
SequenceDigest::~SequenceDigest() {
  if (state_) XXH3_freeState(state_);
}
void SequenceDigest::reset() { XXH3_64bits_reset(state_); }
void SequenceDigest::add(uint64_t message_hash) {
  unsigned char buf[8];
  put_u64(buf, message_hash);
  XXH3_64bits_update(state_, buf, sizeof buf);
}
uint64_t SequenceDigest::value() const { return XXH3_64bits_digest(state_); }

}  // namespace ck::verify
