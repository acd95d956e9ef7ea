#include "reader.hpp"

#include <chrono>
#include <cstring>
#include <map>

#include "digest.hpp"
#include "fetch_waker.hpp"
#include "log.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace ck::verify {

namespace {

using Clock = std::chrono::steady_clock;

// What one partition's reading keeps between messages.
struct Cursor {
  RangeScan* scan = nullptr;
  SequenceDigest digest;
  SequenceDigest block;
  size_t next_offset_mark = 0;
  size_t next_position_mark = 0;
  bool done = false;
};

void start_marks(RangeScan& s) {
  s.count = 0;
  s.digest = 0;
  s.blocks.clear();
  s.below.assign(s.offset_marks.size(), 0);
  s.offset_at.assign(s.position_marks.size(), -1);
  if (s.keep) s.keep->clear();
}

// Called before a message at `offset` is counted: marks at or below it see the count so far.
void pass_marks(Cursor& c, int64_t offset) {
  RangeScan& s = *c.scan;
  while (c.next_offset_mark < s.offset_marks.size() &&
         s.offset_marks[c.next_offset_mark] <= offset)
    s.below[c.next_offset_mark++] = s.count;
  while (c.next_position_mark < s.position_marks.size() &&
         s.position_marks[c.next_position_mark] <= s.count) {
    if (s.position_marks[c.next_position_mark] == s.count)
      s.offset_at[c.next_position_mark] = offset;
    ++c.next_position_mark;
  }
}

void finish(Cursor& c, bool hash) {
  RangeScan& s = *c.scan;
  while (c.next_offset_mark < s.offset_marks.size()) s.below[c.next_offset_mark++] = s.count;
  if (hash) {
    s.digest = c.digest.value();
    if (!s.blocks.empty()) s.blocks.back().hash = c.block.value();
  }
  c.done = true;
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

void count_message(Cursor& c, rd_kafka_message_t* m, bool hash, MessageHasher& hasher) {
  RangeScan& s = *c.scan;
  pass_marks(c, m->offset);
  if (hash) {
    uint64_t h = hash_message(hasher, m);
    c.digest.add(h);
    if (s.count % kBlockMessages == 0) {
      if (!s.blocks.empty()) s.blocks.back().hash = c.block.value();
      c.block.reset();
      s.blocks.push_back({m->offset, 0});
    }
    c.block.add(h);
    if (s.keep) s.keep->push_back({m->offset, h});
  }
  ++s.count;
}

bool fatal_partition_error(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
         code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
         code == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
         code == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED;
}

void pause_partition(rd_kafka_t* rk, const TopicPartition& tp) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, tp.topic.c_str(), tp.partition);
  rd_kafka_pause_partitions(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
}

// Finds a message's cursor: per-topic vectors indexed by partition, the last topic cached
// because fetches return runs of one partition.
class CursorIndex {
 public:
  void add(const TopicPartition& tp, size_t cursor) {
    auto& v = by_topic_[tp.topic];
    if (v.size() <= size_t(tp.partition)) v.resize(tp.partition + 1, -1);
    v[tp.partition] = int64_t(cursor);
  }
  int64_t find(rd_kafka_topic_t* rkt, int32_t partition) {
    if (rkt != last_rkt_) {
      auto it = by_topic_.find(rd_kafka_topic_name(rkt));
      last_ = it == by_topic_.end() ? nullptr : &it->second;
      last_rkt_ = rkt;
    }
    if (!last_ || partition < 0 || size_t(partition) >= last_->size()) return -1;
    return (*last_)[partition];
  }

 private:
  std::map<std::string, std::vector<int64_t>, std::less<>> by_topic_;
  rd_kafka_topic_t* last_rkt_ = nullptr;
  std::vector<int64_t>* last_ = nullptr;
};

}  // namespace

std::unique_ptr<KafkaClient> make_reader(const ClusterConfig& cluster, std::string* err) {
  // Large fetches: verification reads whole backlogs; the user may tune these.
  Settings defaults = {{"fetch.max.bytes", "52428800"},
                       {"max.partition.fetch.bytes", "8388608"},
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
  CursorIndex index;
  size_t remaining = 0;
  std::vector<TopicPartition> reading;
  rd_kafka_topic_partition_list_t* assignment =
      rd_kafka_topic_partition_list_new(int(scans.size()) + 1);
  for (size_t i = 0; i < scans.size(); ++i) {
    cursors[i].scan = scans[i];
    start_marks(*scans[i]);
    if (scans[i]->range.start >= scans[i]->range.end || scans[i]->max_messages == 0) {
      finish(cursors[i], hash);
      continue;
    }
    index.add(scans[i]->tp, i);
    rd_kafka_topic_partition_list_add(assignment, scans[i]->tp.topic.c_str(),
                                      scans[i]->tp.partition)
        ->offset = scans[i]->range.start;
    reading.push_back(scans[i]->tp);
    ++remaining;
  }
  rd_kafka_t* rk = consumer.get();
  rd_kafka_resp_err_t code = rd_kafka_assign(rk, assignment);
  // A pause from an earlier scan outlives the assignment in librdkafka: lift it.
  if (!code) rd_kafka_resume_partitions(rk, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  if (code) {
    *err = consumer.failure(cat("assigning partitions: ", rd_kafka_err2str(code)));
    return false;
  }
  FetchWaker waker(consumer, std::move(reading));
  MessageHasher hasher;
  rd_kafka_queue_t* queue = rd_kafka_queue_get_consumer(rk);
  const size_t kBatch = 1024;
  std::vector<rd_kafka_message_t*> batch(kBatch);
  auto last_progress = Clock::now();
  bool ok = true;
  while (remaining > 0 && ok) {
    if (signals::stop_requested()) {
      *err = "stopped by signal";
      ok = false;
      break;
    }
    if (cancel && *cancel) {
      ok = false;
      break;
    }
    ssize_t n = consume_ready(queue, 200, batch.data(), kBatch);
    bool progress = false;
    for (ssize_t k = 0; k < n; ++k) {
      rd_kafka_message_t* m = batch[k];
      int64_t at = m->rkt ? index.find(m->rkt, m->partition) : -1;
      if (at >= 0 && !cursors[at].done) {
        Cursor& c = cursors[at];
        RangeScan& s = *c.scan;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          // The log (up to the last stable offset) ends inside the range.
          finish(c, hash);
        } else if (m->err) {
          if (fatal_partition_error(m->err)) {
            *err = cat(describe(s.tp), ": ",
                       consumer.describe(), ": ", rd_kafka_message_errstr(m));
            ok = false;
          } else {
            log::debug(consumer.failure(rd_kafka_message_errstr(m)));
          }
        } else if (m->offset >= s.range.end) {
          finish(c, hash);
        } else if (m->offset >= s.range.start) {
          // Below the start only after a reset to the log start: not part of the range.
          count_message(c, m, hash, hasher);
          if (m->offset + 1 >= s.range.end ||
              (s.max_messages >= 0 && s.count >= s.max_messages))
            finish(c, hash);
        }
        progress = progress || !m->err || c.done;
        if (c.done) {
          --remaining;
          if (remaining > 0) pause_partition(rk, s.tp);
        }
      } else if (!m->rkt && m->err) {
        log::debug(consumer.failure(rd_kafka_message_errstr(m)));
      }
      rd_kafka_message_destroy(m);
    }
    if (progress) {
      last_progress = Clock::now();
    } else if (Clock::now() - last_progress > std::chrono::milliseconds(timeout_ms)) {
      for (const auto& c : cursors) {
        if (c.done) continue;
        *err = consumer.failure(cat(describe(c.scan->tp), ": no progress reading [",
                                    c.scan->range.start, ",", c.scan->range.end, ") within ",
                                    timeout_ms, " ms (", plural(c.scan->count, "message"), " read)"));
        break;
      }
      ok = false;
    }
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_assign(rk, nullptr);
  return ok;
}

}  // namespace ck::verify
