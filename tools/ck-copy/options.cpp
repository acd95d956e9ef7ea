#include "options.hpp"

#include "strings.hpp"

namespace ck::copy {

void add_copy_options(cxxopts::Options& options) {
  options.add_options("Copy")
      ("i,input", "read plan records from FILE instead of stdin",
       cxxopts::value<std::string>(), "FILE")
      ("job", "job name: transactional id ck-migrate.NAME and progress group "
       "ck-migrate.NAME.progress in the target", cxxopts::value<std::string>(), "NAME")
      ("shard", "copy only the records of shard I of N (1-based; by hash of topic and "
       "partition)", cxxopts::value<std::string>(), "I/N")
      ("n,dry-run", "check everything and print what would be copied; write nothing")
      ("append", "also write into target partitions that already hold other messages")
      ("create-topics", "create missing target topics like the source's")
      ("replication-factor", "replication factor of created topics (default: broker's)",
       cxxopts::value<int>(), "N")
      ("skip-invalid", "report invalid records as failed and copy the rest")
      ("no-group-offsets", "do not commit the plan's consumer groups in the target")
      ("force-group-offsets", "also move groups that are active or already committed "
       "in the target")
      ("txn-size", "messages per transaction (default 100000)", cxxopts::value<int64_t>(),
       "N")
      ("txn-bytes", "payload bytes per transaction (default 67108864)",
       cxxopts::value<int64_t>(), "BYTES")
      ("txn-ms", "milliseconds per transaction (default 1000)", cxxopts::value<int>(), "MS")
      ("max-buffer-mb", "memory for consumer and producer queues (default 128)",
       cxxopts::value<int>(), "MB")
      ("max-retries", "aborted transactions in a row before giving up (default 10)",
       cxxopts::value<int>(), "N")
      ("progress", "show progress on stderr (default: when not --quiet)")
      ("no-progress", "no progress lines on stderr");
}

bool parse_shard(const std::string& text, int* index, int* count) {
  auto parts = split(text, '/');
  int64_t i = 0, n = 0;
  if (parts.size() != 2 || !parse_int64(parts[0], &i) || !parse_int64(parts[1], &n))
    return false;
  if (n < 1 || n > 1000000 || i < 1 || i > n) return false;
  *index = int(i);
  *count = int(n);
  return true;
}

namespace {

template <typename T>
bool positive(const cxxopts::ParseResult& r, const char* name, T* out, std::string* err) {
  if (!r.count(name)) return true;
  T v = r[name].as<T>();
  if (v < 1) {
    *err = cat("option '--", name, "': expected a positive number, got ", v);
    return false;
  }
  *out = v;
  return true;
}

}  // namespace

bool read_copy_options(const cxxopts::ParseResult& r, CopyOptions* o, std::string* err) {
  if (r.count("input")) o->input = r["input"].as<std::string>();
  if (r.count("job")) o->job = r["job"].as<std::string>();
  if (o->job.empty() || o->job.size() > 200) {
    *err = "option '--job': expected a name of 1 to 200 characters";
    return false;
  }
  if (r.count("shard") &&
      !parse_shard(r["shard"].as<std::string>(), &o->shard_index, &o->shard_count)) {
    *err = cat("option '--shard': expected I/N with 1 <= I <= N, got '",
               r["shard"].as<std::string>(), "'");
    return false;
  }
  o->dry_run = r.count("dry-run") > 0;
  o->append = r.count("append") > 0;
  o->create_topics = r.count("create-topics") > 0;
  o->skip_invalid = r.count("skip-invalid") > 0;
  o->group_offsets = r.count("no-group-offsets") == 0;
  o->force_group_offsets = r.count("force-group-offsets") > 0;
  if (r.count("progress") && r.count("no-progress")) {
    *err = "options '--progress' and '--no-progress' exclude each other";
    return false;
  }
  if (r.count("progress")) o->progress = 1;
  if (r.count("no-progress")) o->progress = 0;
  return positive(r, "replication-factor", &o->replication_factor, err) &&
         positive(r, "txn-size", &o->txn_messages, err) &&
         positive(r, "txn-bytes", &o->txn_bytes, err) &&
         positive(r, "txn-ms", &o->txn_ms, err) &&
         positive(r, "max-buffer-mb", &o->max_buffer_mb, err) &&
         positive(r, "max-retries", &o->max_retries, err);
}

std::string transactional_id(const CopyOptions& o) {
  std::string id = cat("ck-migrate.", o.job);
  if (o.shard_count > 0) id += cat(".shard-", o.shard_index, "-of-", o.shard_count);
  return id;
}

std::string progress_group(const CopyOptions& o) { return cat("ck-migrate.", o.job, ".progress"); }

std::string group_marker(const CopyOptions& o) { return cat("ck-migrate:", o.job); }

}  // namespace ck::copy
