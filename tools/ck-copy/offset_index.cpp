#include "offset_index.hpp"

#include <algorithm>

namespace ck::copy {

namespace {

constexpr unsigned char kVersion = 1;

void put_varint(std::string* out, int64_t value) {
  uint64_t z = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  while (z >= 0x80) {
    out->push_back(static_cast<char>((z & 0x7f) | 0x80));
    z >>= 7;
  }
  out->push_back(static_cast<char>(z));
}

bool get_varint(std::string_view* in, int64_t* value) {
  uint64_t z = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in->empty()) return false;
    auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    z |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *value = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
      return true;
    }
  }
  return false;
}

}  // namespace

bool OffsetIndex::add(int64_t source, int64_t target) { return add(IndexRun{source, target, 1}); }

bool OffsetIndex::add(const IndexRun& run) {
  if (run.count <= 0 || run.source < 0 || run.target < 0) return false;
  if (!runs_.empty()) {
    IndexRun& last = runs_.back();
    if (run.source < last.source_end() || run.target < last.target_end()) return false;
    if (run.source == last.source_end() && run.target == last.target_end()) {
      last.count += run.count;
      return true;
    }
  }
  runs_.push_back(run);
  return true;
}

int64_t OffsetIndex::messages() const {
  int64_t n = 0;
  for (const auto& r : runs_) n += r.count;
  return n;
}

std::optional<int64_t> OffsetIndex::target_of(int64_t source) const {
  // The last run starting at or before `source`.
  auto it = std::upper_bound(runs_.begin(), runs_.end(), source,
                             [](int64_t s, const IndexRun& r) { return s < r.source; });
  if (it == runs_.begin()) return std::nullopt;
  --it;
  if (source >= it->source_end()) return std::nullopt;
  return it->target + (source - it->source);
}

std::optional<int64_t> OffsetIndex::position_of(int64_t position) const {
  if (runs_.empty() || position < runs_.front().source) return std::nullopt;
  if (auto exact = target_of(position)) return exact;
  // In a gap or past the end: the first run starting after `position`, else the end.
  auto it = std::upper_bound(runs_.begin(), runs_.end(), position,
                             [](int64_t s, const IndexRun& r) { return s < r.source; });
  if (it == runs_.end()) return runs_.back().target_end();
  return it->target;
}

std::string encode_runs(const std::vector<IndexRun>& runs) {
  std::string out(1, static_cast<char>(kVersion));
  int64_t source = 0, target = 0;
  for (const auto& r : runs) {
    put_varint(&out, r.source - source);
    put_varint(&out, r.target - target);
    put_varint(&out, r.count);
    source = r.source_end();
    target = r.target_end();
  }
  return out;
}

bool decode_runs(std::string_view bytes, std::vector<IndexRun>* runs, std::string* err) {
  if (bytes.empty() || static_cast<unsigned char>(bytes.front()) != kVersion) {
    *err = "offset index record: unknown version";
    return false;
  }
  bytes.remove_prefix(1);
  std::vector<IndexRun> out;
  int64_t source = 0, target = 0;
  while (!bytes.empty()) {
    IndexRun r;
    int64_t ds = 0, dt = 0;
    if (!get_varint(&bytes, &ds) || !get_varint(&bytes, &dt) || !get_varint(&bytes, &r.count)) {
      *err = "offset index record: truncated run";
      return false;
    }
    r.source = source + ds;
    r.target = target + dt;
    if (r.count <= 0 || r.source < source || r.target < target) {
      *err = "offset index record: runs out of order";
      return false;
    }
    out.push_back(r);
    source = r.source_end();
    target = r.target_end();
  }
  *runs = std::move(out);
  return true;
}

}  // namespace ck::copy
