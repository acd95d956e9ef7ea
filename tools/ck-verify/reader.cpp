#include "reader.hpp"

#include <chrono>
#include <cstring>
#include <optional>

#include "digest.hpp"
#include "log.hpp"
#include "partition_reader.hpp"
#include "rdkafka_ptr.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace ck::verify {

namespace {

// What one partition's reading keeps between messages. The last message counted is kept
// for the offset marks that lie after it (the message a group read last): its offset and
// hash, and in count mode the message itself while a mark is pending, hashed only when a
// mark needs it.
struct Cursor {
  RangeScan* scan = nullptr;
  SequenceDigest digest;
  SequenceDigest block;
  size_t next_offset_mark = 0;
  size_t next_position_mark = 0;
  bool done = false;
  int64_t prev_offset = -1;
  std::optional<uint64_t> prev_hash;
  MessagePtr prev;
};

void start_marks(RangeScan& s) {
  s.count = 0;
  s.digest = 0;
  s.blocks.clear();
  s.first_timestamp = -1;
  s.around.assign(s.offset_marks.size(), AroundOffset{});
  s.offset_at.assign(s.position_marks.size(), -1);
  if (s.keep) s.keep->clear();
}

uint64_t hash_message(MessageHasher& hasher, rd_kafka_message_t* m) {
  hasher.begin();
  hasher.key(m->key, m->key_len);
  hasher.value(m->payload, m->len);
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers) {
    size_t n = rd_kafka_header_cnt(headers);
    hasher.headers(n);
    for (size_t i = 0; i < n; ++i) {
      const char* name = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      rd_kafka_header_get_all(headers, i, &name, &value, &size);
      hasher.header(name, name ? std::strlen(name) : 0, value, size);
    }
  } else {
    hasher.headers(0);
  }
  rd_kafka_timestamp_type_t type;
  hasher.timestamp(rd_kafka_message_timestamp(m, &type));
  return hasher.finish();
}

bool fatal_partition_error(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
         code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
         code == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
         code == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED;
}

uint64_t prev_hash(Cursor& c, MessageHasher& hasher) {
  if (!c.prev_hash && c.prev) c.prev_hash = hash_message(hasher, c.prev.get());
  return c.prev_hash.value_or(0);
}

// Marks at or below `m` (nullptr: the range ended) see the count so far, the last message
// counted before it and `m` itself.
void pass_offset_marks(Cursor& c, rd_kafka_message_t* m, std::optional<uint64_t>& m_hash,
                       MessageHasher& hasher) {
  RangeScan& s = *c.scan;
  while (c.next_offset_mark < s.offset_marks.size() &&
         (!m || s.offset_marks[c.next_offset_mark] <= m->offset)) {
    AroundOffset& a = s.around[c.next_offset_mark++];
    a.below = s.count;
    a.before_offset = c.prev_offset;
    if (c.prev_offset >= 0) a.before_hash = prev_hash(c, hasher);
    if (!m) continue;
    if (!m_hash) m_hash = hash_message(hasher, m);
    a.at_offset = m->offset;
    a.at_hash = *m_hash;
  }
}

void pass_position_marks(Cursor& c, int64_t offset) {
  RangeScan& s = *c.scan;
  while (c.next_position_mark < s.position_marks.size() &&
         s.position_marks[c.next_position_mark] <= s.count) {
    if (s.position_marks[c.next_position_mark] == s.count)
      s.offset_at[c.next_position_mark] = offset;
    ++c.next_position_mark;
  }
}

void finish(Cursor& c, bool hash, MessageHasher& hasher) {
  RangeScan& s = *c.scan;
  std::optional<uint64_t> none;
  pass_offset_marks(c, nullptr, none, hasher);
  c.prev.reset();
  if (hash) {
    s.digest = c.digest.value();
    if (!s.blocks.empty()) s.blocks.back().hash = c.block.value();
  }
  c.done = true;
}

// Counts `m`, and keeps it as the last message counted while its hash may be asked for.
void count_message(Cursor& c, MessagePtr m, bool hash, MessageHasher& hasher) {
  RangeScan& s = *c.scan;
  std::optional<uint64_t> h;
  if (hash) h = hash_message(hasher, m.get());
  pass_offset_marks(c, m.get(), h, hasher);
  pass_position_marks(c, m->offset);
  if (s.count == 0) {
    rd_kafka_timestamp_type_t type;
    s.first_timestamp = rd_kafka_message_timestamp(m.get(), &type);
  }
  if (s.count % kBlockMessages == 0) {
    if (hash && !s.blocks.empty()) s.blocks.back().hash = c.block.value();
    c.block.reset();
    s.blocks.push_back({m->offset, 0});
  }
  if (hash) {
    c.digest.add(*h);
    c.block.add(*h);
    if (s.keep) s.keep->push_back({m->offset, *h});
  }
  ++s.count;
  c.prev_offset = m->offset;
  c.prev_hash = h;
  c.prev.reset();
  if (!h && c.next_offset_mark < s.offset_marks.size()) c.prev = std::move(m);
}

// One message for cursor c: counted, the end of its range, or a partition error (false
// with err set when fatal). *progress turns true when the range moved on.
bool read_message(Cursor& c, MessagePtr m, bool hash, MessageHasher& hasher,
                  KafkaClient& consumer, bool* progress, std::string* err) {
  RangeScan& s = *c.scan;
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    // The log (up to the last stable offset) ends inside the range.
    finish(c, hash, hasher);
  } else if (m->err) {
    if (fatal_partition_error(m->err)) {
      *err = cat(describe(s.tp), ": ", consumer.describe(), ": ",
                 rd_kafka_message_errstr(m.get()));
      return false;
    }
    log::debug(consumer.failure(rd_kafka_message_errstr(m.get())));
    return true;
  } else {
    // Below the start only after a reset to the log start: not part of the range.
    RangePlace place = range_place(m->offset, s.range.start, s.range.end);
    if (place == RangePlace::kBeyond) {
      finish(c, hash, hasher);
    } else if (place != RangePlace::kBefore) {
      count_message(c, std::move(m), hash, hasher);
      if (place == RangePlace::kLast || (s.max_messages >= 0 && s.count >= s.max_messages))
        finish(c, hash, hasher);
    }
  }
  *progress = true;
  return true;
}

// Sets the cursors up; returns where to start reading each range that holds anything
// (the others are finished at once) and indexes their cursors.
std::vector<std::pair<TopicPartition, int64_t>> start_cursors(
    const std::vector<RangeScan*>& scans, std::vector<Cursor>& cursors, bool hash,
    MessageHasher& hasher, PartitionIndex<Cursor*>& index) {
  std::vector<std::pair<TopicPartition, int64_t>> from;
  for (size_t i = 0; i < scans.size(); ++i) {
    cursors[i].scan = scans[i];
    start_marks(*scans[i]);
    if (scans[i]->range.start >= scans[i]->range.end || scans[i]->max_messages == 0) {
      finish(cursors[i], hash, hasher);
      continue;
    }
    index.add(scans[i]->tp, &cursors[i]);
    from.push_back({scans[i]->tp, scans[i]->range.start});
  }
  return from;
}

std::string no_progress(KafkaClient& consumer, const std::vector<Cursor>& cursors,
                        int timeout_ms) {
  for (const auto& c : cursors) {
    if (c.done) continue;
    return consumer.failure(cat(describe(c.scan->tp), ": no progress reading [",
                                c.scan->range.start, ",", c.scan->range.end, ") within ",
                                timeout_ms, " ms (", plural(c.scan->count, "message"), " read)"));
  }
  return consumer.failure(cat("no progress within ", timeout_ms, " ms"));
}

}  // namespace

std::unique_ptr<KafkaClient> make_reader(const ClusterConfig& cluster, std::string* err) {
  // Fetch responses of at most 4 MiB (1 MiB per partition, librdkafka's default): 2.0.2
  // receives each response into a buffer of its own size, and one of 32-50 MiB is a fresh
  // mapping whose pages fault in during the copy and go again after it. On 256 MiB of 1 KiB
  // messages 50 MiB fetches took 4.3 CPU s and 11-26 s, 4 MiB ones 0.5 CPU s and 1.1-5 s
  // (docs/performance.md). The user may tune these.
  Settings defaults = {{"fetch.max.bytes", "4194304"},
                       {"max.partition.fetch.bytes", "1048576"},
                       {"queued.max.messages.kbytes", "65536"},
                       {"fetch.wait.max.ms", "100"}};
  // Semantics the counts rely on: committed data only, nothing committed by us, an EOF
  // event to end ranges that end at the log end, and a reset to the log start when a
  // range starts below it (expired or deleted records are simply not there).
  Settings forced = {{"group.id", "ck-migrate.verify"},
                     {"isolation.level", "read_committed"},
                     {"enable.auto.commit", "false"},
                     {"enable.auto.offset.store", "false"},
                     {"enable.partition.eof", "true"},
                     {"auto.offset.reset", "earliest"}};
  return KafkaClient::create(cluster, RD_KAFKA_CONSUMER, defaults, forced, err);
}

bool scan_ranges(KafkaClient& consumer, const std::vector<RangeScan*>& scans, bool hash,
                 int timeout_ms, std::string* err, const std::atomic<bool>* cancel) {
  std::vector<Cursor> cursors(scans.size());
  MessageHasher hasher;
  PartitionIndex<Cursor*> index;
  auto from = start_cursors(scans, cursors, hash, hasher, index);
  size_t remaining = from.size();
  PartitionReader reader(consumer);
  if (!reader.assign(from, err)) return false;
  std::vector<TopicPartition> reading;
  for (const auto& [tp, offset] : from) reading.push_back(tp);
  if (remaining > 0) reader.wake(reading);
  constexpr size_t kBatch = 1024;
  rd_kafka_message_t* batch[kBatch];
  StallWatch stall;
  bool ok = true;
  while (remaining > 0 && ok) {
    if (signals::stop_requested()) {
      *err = "stopped by signal";
      return false;
    }
    if (cancel && *cancel) return false;
    ssize_t n = reader.read(batch, kBatch, 200);
    bool progress = false;
    for (ssize_t k = 0; k < n; ++k) {
      MessagePtr m(batch[k]);
      if (!ok) continue;  // destroyed unread after a fatal error
      Cursor* c = m->rkt ? index.find(m->rkt, m->partition) : nullptr;
      if (!c || c->done) {
        if (!m->rkt && m->err) log::debug(consumer.failure(rd_kafka_message_errstr(m.get())));
        continue;
      }
      ok = read_message(*c, std::move(m), hash, hasher, consumer, &progress, err);
      if (c->done && --remaining > 0) reader.pause(c->scan->tp);
    }
    auto now = StallWatch::Clock::now();
    if (progress) {
      stall.progressed(now);
    } else if (stall.stalled(now, std::chrono::milliseconds(timeout_ms))) {
      *err = no_progress(consumer, cursors, timeout_ms);
      return false;
    }
  }
  return ok;
}

}  // namespace ck::verify
