#include "options_cli.hpp"

#include "rate_limit.hpp"
#include "strings.hpp"

namespace ck::copy {

void add_copy_options(cxxopts::Options& options, CopyOptions* o) {
  options.add_options("Copy")
      ("i,input", "read plan records from FILE instead of stdin",
       cxxopts::value<std::string>(o->input), "FILE")
      ("job", "job name: transactional id ck-migrate.NAME and progress group "
       "ck-migrate.NAME.progress in the target", cxxopts::value<std::string>(o->job), "NAME")
      ("index-topic", "offset index topic in the target, created compacted if missing "
       "(default ck-migrate.index)", cxxopts::value<std::string>(o->index_topic), "TOPIC")
      ("shard", "copy only the records of shard I of N (1-based; by hash of topic and "
       "partition)", cxxopts::value<std::string>(), "I/N")
      ("n,dry-run", "check everything and print what would be copied; write nothing",
       cxxopts::value<bool>(o->dry_run))
      ("translate", "translate source offsets to target offsets through the job's offset "
       "index: NDJSON {topic,partition,offset} in, the same with target_offset out; only "
       "the target cluster is needed", cxxopts::value<bool>(o->translate))
      ("append", "also write into target partitions that already hold other messages",
       cxxopts::value<bool>(o->append))
      ("create-topics", "create missing target topics like the source's",
       cxxopts::value<bool>(o->create_topics))
      ("replication-factor", "replication factor of created topics (default: broker's)",
       cxxopts::value<int>(o->replication_factor), "N")
      ("skip-invalid", "report invalid records as failed and copy the rest",
       cxxopts::value<bool>(o->skip_invalid))
      ("no-group-offsets", "do not commit the plan's consumer groups in the target")
      ("force-group-offsets", "also move groups that are active, of unknown state or "
       "already committed in the target", cxxopts::value<bool>(o->force_group_offsets))
      ("txn-size", "messages per transaction (default 100000)",
       cxxopts::value<int64_t>(o->txn_messages), "N")
      ("txn-bytes", "payload bytes per transaction (default 67108864)",
       cxxopts::value<int64_t>(o->txn_bytes), "BYTES")
      ("txn-ms", "milliseconds per transaction (default 1000; without any --txn-* option, "
       "lengthened while commits are slow, see ck-copy(1) Long links)",
       cxxopts::value<int>(o->txn_ms), "MS")
      ("max-buffer-mb", "memory for consumer and producer queues (default 128)",
       cxxopts::value<int>(o->max_buffer_mb), "MB")
      ("max-retries", "aborted transactions in a row before giving up (default 10)",
       cxxopts::value<int>(o->max_retries), "N")
      ("max-rate", "copy at most RATE key and value bytes per second (e.g. 20M, 500k; "
       "k, M, G are powers of 1024)", cxxopts::value<std::string>(), "RATE")
      ("follow", "keep copying new messages beyond the plan's end until a signal or "
       "--until-lag (places no groups: the final run without --follow does)",
       cxxopts::value<bool>(o->follow))
      ("until-lag", "with --follow: stop once every partition is within LAG messages, or "
       "a duration such as 2s or 500ms, of its end", cxxopts::value<std::string>(), "LAG")
      ("progress", "show progress on stderr (default: when not --quiet)")
      ("no-progress", "no progress lines on stderr");
}

namespace {

template <typename T>
bool positive(const cxxopts::ParseResult& r, const char* name, T value, std::string* err) {
  if (!r.count(name) || value >= 1) return true;
  *err = cat("option '--", name, "': expected a positive number, got ", value);
  return false;
}

// --max-rate and --until-lag, the options given as text.
bool read_rate_and_lag(const cxxopts::ParseResult& r, CopyOptions* o, std::string* err) {
  if (r.count("max-rate") && !parse_rate(r["max-rate"].as<std::string>().c_str(), &o->max_rate)) {
    *err = cat("option '--max-rate': expected bytes per second such as 20M or 500k, got '",
               r["max-rate"].as<std::string>(), "'");
    return false;
  }
  if (!r.count("until-lag")) return true;
  if (!o->follow) {
    *err = "option '--until-lag' needs '--follow'";
    return false;
  }
  if (!parse_lag_limit(r["until-lag"].as<std::string>(), &o->until_lag)) {
    *err = cat("option '--until-lag': expected a number of messages or a duration such as "
               "2s, got '", r["until-lag"].as<std::string>(), "'");
    return false;
  }
  return true;
}

}  // namespace

bool read_copy_options(const cxxopts::ParseResult& r, CopyOptions* o, std::string* err) {
  if (o->job.empty() || o->job.size() > 200) {
    *err = "option '--job': expected a name of 1 to 200 characters";
    return false;
  }
  if (o->index_topic.empty()) {
    *err = "option '--index-topic': expected a topic name";
    return false;
  }
  if (r.count("shard") &&
      !parse_shard(r["shard"].as<std::string>(), &o->shard_index, &o->shard_count)) {
    *err = cat("option '--shard': expected I/N with 1 <= I <= N, got '",
               r["shard"].as<std::string>(), "'");
    return false;
  }
  o->group_offsets = r.count("no-group-offsets") == 0;
  o->txn_fixed = r.count("txn-size") || r.count("txn-bytes") || r.count("txn-ms");
  if (r.count("progress") && r.count("no-progress")) {
    *err = "options '--progress' and '--no-progress' exclude each other";
    return false;
  }
  if (r.count("progress")) o->progress = 1;
  if (r.count("no-progress")) o->progress = 0;
  if (o->follow && o->dry_run) {
    *err = "options '--follow' and '--dry-run' exclude each other";
    return false;
  }
  return read_rate_and_lag(r, o, err) &&
         positive(r, "replication-factor", o->replication_factor, err) &&
         positive(r, "txn-size", o->txn_messages, err) &&
         positive(r, "txn-bytes", o->txn_bytes, err) &&
         positive(r, "txn-ms", o->txn_ms, err) &&
         positive(r, "max-buffer-mb", o->max_buffer_mb, err) &&
         positive(r, "max-retries", o->max_retries, err);
}

}  // namespace ck::copy
