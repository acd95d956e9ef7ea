// ck-testkit: test-only helper that makes and inspects Kafka data for the end-to-end
// tests, the demo and the benchmarks. Not installed; not part of the product.
#include <librdkafka/rdkafka.h>
#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base64.hpp"
#include "cli_options.hpp"
#include "json_writer.hpp"
#include "kafka.hpp"
#include "log.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace {

using ck::cat;
using ck::KafkaClient;
constexpr int kTimeoutMs = 30000;

struct Args {
  std::string cmd, brokers, topic, group, txn, txn_id;
  int partition = -1, partitions = 1;
  int64_t count = 0, size = 100, seed = 1, from = -1, to = -1, offset = -1;
  int64_t txn_size = 0, key_every = 1, max = -1, idle_ms = 3000, hold_s = 0;
  bool uncommitted = false;
  std::vector<std::string> configs;
  ck::Settings client_settings;  // -F files then -X overrides, for every client (SASL, SSL)
};

int die(const std::string& message) {
  ck::log::error(message);
  return 1;
}

std::unique_ptr<KafkaClient> client(const Args& a, rd_kafka_type_t type, ck::Settings extra,
                                    std::string* err, const KafkaClient::Customize& c = nullptr) {
  ck::ClusterConfig cluster{"test", a.brokers, {}, {}, a.client_settings};
  auto k = KafkaClient::create(cluster, type, {}, extra, err, c);
  if (k && !k->wait_ready(kTimeoutMs, err)) return nullptr;
  return k;
}

// ------------------------------------------------------------ producing

struct DeliveryCount {
  int64_t ok = 0, failed = 0;
  std::string last_error;
};

class Producer {
 public:
  bool open(const Args& a, bool transactional, std::string* err) {
    ck::Settings s = {{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "5"}};
    if (transactional)
      s.push_back({"transactional.id", a.txn_id.empty() ? cat("ck-testkit-", getpid()) : a.txn_id});
    k_ = client(a, RD_KAFKA_PRODUCER, s, err, [](rd_kafka_conf_t* conf) {
      rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t* rk, const rd_kafka_message_t* m, void*) {
        auto* counts = static_cast<DeliveryCount*>(ck::client_of(rk)->user);
        if (m->err) {
          counts->failed++;
          counts->last_error = rd_kafka_err2str(m->err);
        } else {
          counts->ok++;
        }
      });
    });
    if (!k_) return false;
    k_->user = &counts_;
    if (transactional) return check(rd_kafka_init_transactions(k_->get(), kTimeoutMs), err);
    return true;
  }
  bool check(rd_kafka_error_t* e, std::string* err) {
    if (!e) return true;
    *err = rd_kafka_error_string(e);
    rd_kafka_error_destroy(e);
    return false;
  }
  bool begin(std::string* err) { return check(rd_kafka_begin_transaction(k_->get()), err); }
  bool end(bool commit, std::string* err) {
    return check(commit ? rd_kafka_commit_transaction(k_->get(), kTimeoutMs)
                        : rd_kafka_abort_transaction(k_->get(), kTimeoutMs),
                 err);
  }
  bool send(const std::string& topic, int partition, const std::string* key,
            const std::string* value, const std::vector<std::pair<std::string, std::unique_ptr<std::string>>>& headers,
            int64_t timestamp, std::string* err) {
    rd_kafka_headers_t* hdrs = rd_kafka_headers_new(headers.size());
    for (const auto& [name, v] : headers)
      rd_kafka_header_add(hdrs, name.data(), ssize_t(name.size()), v ? v->data() : nullptr,
                          v ? ssize_t(v->size()) : 0);
    for (;;) {
      rd_kafka_resp_err_t code = rd_kafka_producev(
          k_->get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(key ? key->data() : nullptr, key ? key->size() : 0),
          RD_KAFKA_V_VALUE(value ? const_cast<char*>(value->data()) : nullptr,
                           value ? value->size() : 0),
          RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_TIMESTAMP(timestamp), RD_KAFKA_V_END);
      if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(k_->get(), 50);
        continue;
      }
      if (code) {
        rd_kafka_headers_destroy(hdrs);
        *err = rd_kafka_err2str(code);
        return false;
      }
      rd_kafka_poll(k_->get(), 0);
      return true;
    }
  }
  bool flush(std::string* err) {
    rd_kafka_flush(k_->get(), kTimeoutMs);
    if (rd_kafka_outq_len(k_->get()) > 0) {
      *err = "messages not delivered within the deadline";
      return false;
    }
    if (counts_.failed) {
      *err = cat(counts_.failed, " messages failed: ", counts_.last_error);
      return false;
    }
    return true;
  }
  int64_t delivered() const { return counts_.ok; }

 private:
  std::unique_ptr<KafkaClient> k_;
  DeliveryCount counts_;
};

bool read_bytes(simdjson::dom::object obj, const char* name, std::unique_ptr<std::string>* out,
                std::string* err) {
  simdjson::dom::element v;
  out->reset();
  if (!obj[name].get(v)) {
    if (v.is_null()) return true;
    *out = std::make_unique<std::string>(std::string_view(v));
    return true;
  }
  std::string b64 = cat(name, "_b64");
  if (!obj[b64].get(v)) {
    auto bytes = std::make_unique<std::string>();
    if (!ck::testing::base64_decode(std::string_view(v), bytes.get())) {
      *err = cat("bad base64 in ", b64);
      return false;
    }
    *out = std::move(bytes);
  }
  return true;
}

int cmd_produce(const Args& a) {
  Producer p;
  std::string err;
  bool txn = !a.txn.empty();
  if (!p.open(a, txn, &err) || (txn && !p.begin(&err))) return die(err);
  simdjson::dom::parser parser;
  std::string line;
  int64_t n = 0;
  while (std::getline(std::cin, line)) {
    if (ck::trim(line).empty()) continue;
    simdjson::dom::object obj;
    if (parser.parse(line).get(obj)) return die(cat("stdin:", n + 1, ": not a JSON object"));
    int64_t part = 0, ts = 0;
    simdjson::dom::element e;
    if (!obj["partition"].get(e)) part = int64_t(e);
    if (!obj["timestamp"].get(e) && !e.is_null()) ts = int64_t(e);
    std::unique_ptr<std::string> key, value;
    if (!read_bytes(obj, "key", &key, &err) || !read_bytes(obj, "value", &value, &err))
      return die(err);
    std::vector<std::pair<std::string, std::unique_ptr<std::string>>> headers;
    simdjson::dom::array harr;
    if (!obj["headers"].get(harr)) {
      for (simdjson::dom::element h : harr) {
        simdjson::dom::array pair = h;
        std::string hname(std::string_view(pair.at(0)));
        std::unique_ptr<std::string> hv;
        if (!pair.at(1).is_null()) hv = std::make_unique<std::string>(std::string_view(pair.at(1)));
        headers.emplace_back(std::move(hname), std::move(hv));
      }
    }
    if (!p.send(a.topic, int(part), key.get(), value.get(), headers, ts, &err)) return die(err);
    ++n;
  }
  if (!p.flush(&err) || (txn && !p.end(a.txn == "commit", &err))) return die(err);
  std::cerr << "ck-testkit: produced " << n << " messages\n";
  return 0;
}

int cmd_gen(const Args& a) {
  Producer p;
  std::string err;
  bool txn = !a.txn.empty();
  if (!p.open(a, txn, &err)) return die(err);
  int64_t txn_size = a.txn_size > 0 ? a.txn_size : a.count;
  std::string value(size_t(a.size), 'x');
  uint64_t state = uint64_t(a.seed) * 6364136223846793005ULL + 1442695040888963407ULL;
  // Deterministic (the same for every call on the same day, so two clusters can get
  // identical messages) yet recent enough for the default 7-day retention: the start of
  // yesterday (UTC), one millisecond per message.
  const int64_t day_ms = 86400000;
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  const int64_t base_ts = (now_ms / day_ms - 1) * day_ms + a.seed * 1000000;
  for (int64_t i = 0; i < a.count; ++i) {
    if (txn && i % txn_size == 0 && !p.begin(&err)) return die(err);
    for (auto& c : value) {  // cheap deterministic bytes ('a'..0x80: not UTF-8, so dumps use base64)
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      c = char('a' + (state >> 59));
    }
    std::string key = cat("k", a.key_every > 1 ? i % a.key_every : i);
    std::vector<std::pair<std::string, std::unique_ptr<std::string>>> headers;
    headers.emplace_back("i", std::make_unique<std::string>(std::to_string(i)));
    if (!p.send(a.topic, a.partition < 0 ? 0 : a.partition, &key, &value, headers, base_ts + i, &err))
      return die(err);
    if (txn && (i + 1) % txn_size == 0) {
      if (!p.flush(&err) || !p.end(a.txn == "commit", &err)) return die(err);
    }
  }
  if (!p.flush(&err)) return die(err);
  if (txn && a.count % txn_size != 0 && !p.end(a.txn == "commit", &err)) return die(err);
  return 0;
}

int cmd_open_txn(const Args& a) {
  Producer p;
  std::string err;
  if (!p.open(a, true, &err) || !p.begin(&err)) return die(err);
  std::string value = "open";
  std::vector<std::pair<std::string, std::unique_ptr<std::string>>> headers;
  for (int64_t i = 0; i < a.count; ++i)
    if (!p.send(a.topic, a.partition < 0 ? 0 : a.partition, nullptr, &value, headers, 0, &err))
      return die(err);
  if (!p.flush(&err)) return die(err);
  std::cout << "open" << std::endl;  // the caller waits for this line
  for (int64_t s = 0; s < a.hold_s * 10 && !ck::signals::stop_requested(); ++s)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  _exit(0);  // leave without committing or aborting: the transaction stays open
}

// ------------------------------------------------------------ reading

void write_message(const rd_kafka_message_t* m) {
  ck::JsonWriter w;
  w.begin_object().field("topic", rd_kafka_topic_name(m->rkt)).field("partition", m->partition)
      .field("offset", int64_t(m->offset));
  ck::testing::bytes_field(w, "key", m->key, m->key_len);
  ck::testing::bytes_field(w, "value", m->payload, m->len);
  w.key("headers").begin_array();
  rd_kafka_headers_t* hdrs = nullptr;
  if (!rd_kafka_message_headers(m, &hdrs)) {
    const char* name;
    const void* v;
    size_t size;
    for (size_t i = 0; !rd_kafka_header_get_all(hdrs, i, &name, &v, &size); ++i) {
      w.begin_array().value(name);
      if (v && !ck::is_valid_utf8(std::string_view(static_cast<const char*>(v), size)))
        w.begin_object().field("b64", ck::testing::base64_encode(std::string_view(static_cast<const char*>(v), size))).end_object();
      else if (v)
        w.value(std::string_view(static_cast<const char*>(v), size));
      else
        w.null();
      w.end_array();
    }
  }
  w.end_array();
  rd_kafka_timestamp_type_t tstype;
  int64_t ts = rd_kafka_message_timestamp(m, &tstype);
  w.field("timestamp", ts)
      .field("timestamp_type", tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? "log_append" : "create");
  w.end_object();
  std::cout << w.str() << '\n';
}

std::unique_ptr<KafkaClient> consumer(const Args& a, bool committed, const std::string& group,
                                      std::string* err) {
  return client(a, RD_KAFKA_CONSUMER,
                {{"group.id", group.empty() ? "ck-testkit" : group},
                 {"enable.auto.commit", "false"},
                 {"enable.partition.eof", "true"},
                 {"auto.offset.reset", group.empty() ? "earliest" : "latest"},
                 {"isolation.level", committed ? "read_committed" : "read_uncommitted"}},
                err);
}

int cmd_dump(const Args& a) {
  std::string err;
  auto k = consumer(a, !a.uncommitted, "", &err);
  if (!k) return die(err);
  std::map<std::string, int32_t> counts;
  if (!ck::fetch_partition_counts(*k, kTimeoutMs, &counts, &err)) return die(err);
  if (!counts.count(a.topic)) return die(cat("no topic ", a.topic));
  std::vector<ck::TopicPartition> tps;
  for (int p = 0; p < counts[a.topic]; ++p)
    if (a.partition < 0 || p == a.partition) tps.push_back({a.topic, p});
  std::map<ck::TopicPartition, int64_t> ends;
  if (!ck::query_offsets(*k, tps, RD_KAFKA_OFFSET_END, kTimeoutMs, &ends, &err)) return die(err);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(int(tps.size()));
  int remaining = 0;
  std::map<int, int64_t> stop;
  for (const auto& tp : tps) {
    int64_t end = a.to >= 0 ? std::min(a.to, ends[tp]) : ends[tp];
    int64_t from = a.from >= 0 ? a.from : RD_KAFKA_OFFSET_BEGINNING;
    if (a.from >= 0 && a.from >= end) continue;
    stop[tp.partition] = end;
    rd_kafka_topic_partition_list_add(list, tp.topic.c_str(), tp.partition)->offset = from;
    ++remaining;
  }
  rd_kafka_assign(k->get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  while (remaining > 0) {
    if (std::chrono::steady_clock::now() > deadline) return die("dump: timed out");
    rd_kafka_message_t* m = rd_kafka_consumer_poll(k->get(), 200);
    if (!m) continue;
    auto it = stop.find(m->partition);
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (it != stop.end() && m->offset >= it->second) { stop.erase(it); --remaining; }
    } else if (m->err) {
      std::string e = rd_kafka_message_errstr(m);
      rd_kafka_message_destroy(m);
      return die(e);
    } else if (it != stop.end()) {
      if (m->offset < it->second) write_message(m);
      if (m->offset + 1 >= it->second) { stop.erase(it); --remaining; }
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(k->get());
  return 0;
}

int cmd_consume(const Args& a) {
  std::string err;
  auto k = consumer(a, true, a.group, &err);
  if (!k) return die(err);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, a.topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(k->get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  auto now = [] { return std::chrono::steady_clock::now(); };
  auto hold_until = now() + std::chrono::seconds(a.hold_s);
  auto last = now();
  int64_t n = 0;
  bool assigned = false;
  while (!ck::signals::stop_requested()) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(k->get(), 100);
    if (m && !m->err) {
      write_message(m);
      ++n;
      last = now();
      rd_kafka_commit_message(k->get(), m, 0);
    }
    if (m) rd_kafka_message_destroy(m);
    rd_kafka_topic_partition_list_t* asg = nullptr;
    if (!assigned && !rd_kafka_assignment(k->get(), &asg)) {
      if (asg->cnt > 0) {
        assigned = true;
        last = now();
        std::cerr << "ck-testkit: joined group " << a.group << std::endl;
      }
      rd_kafka_topic_partition_list_destroy(asg);
    }
    if (a.max >= 0 && n >= a.max) break;
    if (now() < hold_until) continue;
    if (assigned && now() - last > std::chrono::milliseconds(a.idle_ms)) break;
    if (!assigned && now() - last > std::chrono::milliseconds(kTimeoutMs)) return die("no assignment");
  }
  std::cout.flush();
  rd_kafka_consumer_close(k->get());
  return 0;
}

int cmd_offsets(const Args& a) {
  std::string err;
  auto committed = consumer(a, true, "", &err);
  auto all = committed ? consumer(a, false, "", &err) : nullptr;
  if (!all) return die(err);
  std::map<std::string, int32_t> counts;
  if (!ck::fetch_partition_counts(*committed, kTimeoutMs, &counts, &err)) return die(err);
  if (!counts.count(a.topic)) return die(cat("no topic ", a.topic));
  std::vector<ck::TopicPartition> tps;
  for (int p = 0; p < counts[a.topic]; ++p) tps.push_back({a.topic, p});
  std::map<ck::TopicPartition, int64_t> start, lso, hwm;
  if (!ck::query_offsets(*committed, tps, RD_KAFKA_OFFSET_BEGINNING, kTimeoutMs, &start, &err) ||
      !ck::query_offsets(*committed, tps, RD_KAFKA_OFFSET_END, kTimeoutMs, &lso, &err) ||
      !ck::query_offsets(*all, tps, RD_KAFKA_OFFSET_END, kTimeoutMs, &hwm, &err))
    return die(err);
  for (const auto& tp : tps) {
    ck::JsonWriter w;
    w.begin_object().field("partition", tp.partition).field("log_start", start[tp])
        .field("high_watermark", hwm[tp]).field("last_stable", lso[tp]).end_object();
    std::cout << w.str() << '\n';
  }
  return 0;
}

int cmd_admin(const Args& a) {
  std::string err;
  auto k = client(a, RD_KAFKA_PRODUCER, {}, &err);
  if (!k) return die(err);
  if (a.cmd == "create") {
    ck::NewTopic t{a.topic, a.partitions, -1, {}};
    for (const auto& c : a.configs) {
      std::pair<std::string, std::string> kv;
      if (!ck::parse_override(c, &kv)) return die(cat("bad config ", c));
      t.configs[kv.first] = kv.second;
    }
    if (!ck::create_topics(*k, {t}, kTimeoutMs, true, &err)) return die(err);
    return 0;
  }
  if (a.cmd == "delete-records") {
    if (!ck::delete_records(*k, {{{a.topic, a.partition}, a.offset}}, kTimeoutMs, &err))
      return die(err);
    return 0;
  }
  if (a.cmd == "commit" && a.group.empty()) {
    // Bulk form (benchmark setup): stdin lines "GROUP TOPIC PARTITION OFFSET", consecutive
    // lines of one group committed in one request, on this one connection.
    std::string line, group;
    std::vector<ck::CommittedOffset> batch;
    auto flush = [&] {
      bool ok = batch.empty() || ck::alter_group_offsets(*k, group, batch, kTimeoutMs, &err);
      batch.clear();
      return ok;
    };
    while (std::getline(std::cin, line)) {
      std::istringstream in(line);
      std::string g, t;
      int32_t p = -1;
      int64_t o = -1;
      if (!(in >> g >> t >> p >> o)) return die(cat("commit: bad stdin line: ", line));
      if (g != group && !flush()) return die(err);
      group = g;
      batch.push_back({{t, p}, o, ""});
    }
    if (!flush()) return die(err);
    return 0;
  }
  if (a.cmd == "commit") {
    if (!ck::alter_group_offsets(*k, a.group, {{{a.topic, a.partition}, a.offset, ""}},
                                 kTimeoutMs, &err))
      return die(err);
    return 0;
  }
  if (a.cmd == "group-offsets") {
    std::map<std::string, std::vector<ck::CommittedOffset>> out;
    if (!ck::list_group_offsets(*k, {a.group}, kTimeoutMs, 1, false, &out, &err)) return die(err);
    for (const auto& c : out[a.group]) {
      ck::JsonWriter w;
      w.begin_object().field("topic", c.tp.topic).field("partition", c.tp.partition)
          .field("offset", c.offset).field("metadata", c.metadata).end_object();
      std::cout << w.str() << '\n';
    }
    return 0;
  }
  return die(cat("unknown command ", a.cmd));
}

}  // namespace

int main(int argc, char** argv) {
  ck::log::set_tool("ck-testkit");
  ck::signals::install();
  cxxopts::Options o("ck-testkit",
                     "ck-testkit COMMAND: create produce gen dump offsets delete-records commit "
                     "group-offsets open-txn consume (test helper)");
  o.add_options()("cmd", "command", cxxopts::value<std::string>())
      ("b,brokers", "brokers", cxxopts::value<std::string>())
      ("t,topic", "topic", cxxopts::value<std::string>())
      ("g,group", "group", cxxopts::value<std::string>())
      ("p,partition", "partition (create: partition count)", cxxopts::value<int>())
      ("n,count", "messages", cxxopts::value<int64_t>())
      ("size", "value bytes", cxxopts::value<int64_t>())
      ("seed", "seed", cxxopts::value<int64_t>())
      ("from", "first offset", cxxopts::value<int64_t>())
      ("to", "end offset (exclusive)", cxxopts::value<int64_t>())
      ("o,offset", "offset", cxxopts::value<int64_t>())
      ("txn", "commit|abort", cxxopts::value<std::string>())
      ("transactional-id", "id", cxxopts::value<std::string>())
      ("txn-size", "messages per transaction", cxxopts::value<int64_t>())
      ("key-every", "keys cycle over N values", cxxopts::value<int64_t>())
      ("max", "stop after N messages", cxxopts::value<int64_t>())
      ("idle-ms", "stop after this long without messages", cxxopts::value<int64_t>())
      ("hold", "seconds", cxxopts::value<int64_t>())
      ("uncommitted", "read_uncommitted")
      ("c,config", "topic config key=value", cxxopts::value<std::vector<std::string>>())
      ("F,properties", "librdkafka properties file for every client (repeatable)",
       cxxopts::value<std::vector<std::string>>())
      ("X,set", "librdkafka key=value for every client (repeatable)",
       cxxopts::value<std::vector<std::string>>())
      ("h,help", "help");
  o.parse_positional({"cmd"});
  Args a;
  try {
    auto r = o.parse(argc, argv);
    if (r.count("help") || !r.count("cmd")) {
      std::cout << o.help();
      return r.count("help") ? 0 : 2;
    }
    a.cmd = r["cmd"].as<std::string>();
    if (!r.count("brokers")) return die("-b BROKERS is required"), 2;
    a.brokers = r["brokers"].as<std::string>();
    auto get = [&](const char* n, auto* v) {
      if (r.count(n)) *v = r[n].as<std::decay_t<decltype(*v)>>();
    };
    get("topic", &a.topic);
    get("group", &a.group);
    get("partition", &a.partition);
    a.partitions = a.partition > 0 ? a.partition : 1;
    get("count", &a.count);
    get("size", &a.size);
    get("seed", &a.seed);
    get("from", &a.from);
    get("to", &a.to);
    get("offset", &a.offset);
    get("txn", &a.txn);
    get("transactional-id", &a.txn_id);
    get("txn-size", &a.txn_size);
    get("key-every", &a.key_every);
    get("max", &a.max);
    get("idle-ms", &a.idle_ms);
    get("hold", &a.hold_s);
    get("config", &a.configs);
    a.uncommitted = r.count("uncommitted") > 0;
    std::string err;
    if (r.count("properties"))
      for (const auto& f : r["properties"].as<std::vector<std::string>>())
        if (!ck::load_properties_file(f, &a.client_settings, &err)) return die(err), 2;
    if (r.count("set"))
      for (const auto& x : r["set"].as<std::vector<std::string>>()) {
        std::pair<std::string, std::string> kv;
        if (!ck::parse_override(x, &kv)) return die(cat("-X: expected key=value")), 2;
        a.client_settings.push_back(std::move(kv));
      }
  } catch (const std::exception& e) {
    return die(e.what()), 2;
  }
  if (a.cmd == "produce") return cmd_produce(a);
  if (a.cmd == "gen") return cmd_gen(a);
  if (a.cmd == "open-txn") return cmd_open_txn(a);
  if (a.cmd == "dump") return cmd_dump(a);
  if (a.cmd == "consume") return cmd_consume(a);
  if (a.cmd == "offsets") return cmd_offsets(a);
  return cmd_admin(a);
}
