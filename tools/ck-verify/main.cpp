// ck-verify: verify a migration: message counts, content digests and consumer group
// offsets in the target, against the records ck-plan or ck-copy wrote. Silent and exit 0
// when all is well (for cron); a report on stderr and exit 1 otherwise, or exit 4 while a
// job still follows the source and what it copied so far is in order.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "record_input.hpp"
#include "records.hpp"
#include "report.hpp"
#include "session.hpp"
#include "signals.hpp"
#include "strings.hpp"

namespace {

struct Options {
  std::string input;       // empty or "-": stdin
  bool json = false;
  bool allow_empty = false;  // no records at all is a success
  std::string prometheus;  // file to write, empty: none
  ck::verify::VerifyOptions verify;
};

void add_options(cxxopts::Options& options) {
  options.positional_help("").custom_help("[OPTION...] [< RECORDS]");
  options.add_options("Verification")
      ("i,input", "read plan or copy records from FILE instead of stdin",
       cxxopts::value<std::string>(), "FILE")
      ("c,content", "also compare content digests (key, value, headers, timestamp)")
      ("allow-empty", "succeed on an input without records (by default it fails: exit 1)")
      ("exact-groups", "every group must sit exactly at its migrated position: ahead is a "
       "problem too (at the cutover, before clients switch)")
      ("job", "the ck-copy job (as its --job) whose progress tells a copy still following "
       "the source: its missing tail is reported, exit 4", cxxopts::value<std::string>()
       ->default_value("default"), "NAME")
      ("json", "write one verify record per input record on stdout (NDJSON)")
      ("prometheus", "write a Prometheus text file for node_exporter's textfile collector",
       cxxopts::value<std::string>(), "FILE");
}

// A report line: "ck-verify: <text>" on stderr whatever the verbosity (problems are the
// output cron mails), and in the log file.
void say(const std::string& text) {
  ck::log::raw(ck::cat(ck::log::tool(), ": ", text, "\n"), ck::log::kError);
}

// Reads every record first: a malformed line stops the run before any cluster is touched.
int read_records(const Options& options, std::vector<ck::Record>* records) {
  ck::RecordInput input(options.input, ck::BadLines::kStop);
  *records = input.read_all();
  switch (input.error()) {
    case ck::InputError::kNone:
      break;
    case ck::InputError::kCannotOpen:
      ck::log::error(input.error_text());
      return ck::kExitUsage;
    case ck::InputError::kReadFailed:
    case ck::InputError::kBadLine:
      ck::log::error(input.error_text());
      return ck::kExitRuntime;
  }
  // No records is no proof: in `ck-copy | ck-verify` a ck-copy that died before its
  // first result would otherwise pass for a clean migration.
  if (records->empty() && !options.allow_empty) {
    say(ck::cat(input.name(),
                  ": no records: nothing verified (--allow-empty when that is expected)"));
    return ck::kExitFailed;
  }
  return ck::kExitOk;
}

// The report on stderr (problems always, the rest with -v) and the --json records; the
// exit status of a run that read every record.
int report(const Options& options, const std::vector<ck::verify::PartitionResult>& results) {
  for (const auto& r : results) {
    for (const auto& line : ck::verify::describe_problems(r)) say(line);
    for (const auto& line : ck::verify::describe_in_progress(r)) say(line);
    if (r.ok() && !r.in_progress()) ck::log::info(ck::verify::describe_ok(r));
  }
  ck::verify::RunSummary summary = ck::verify::summarize(results);
  ck::log::info(ck::cat(ck::plural(summary.partitions, "partition"), " verified, ",
                        summary.partitions_ok, " ok; ",
                        ck::plural(summary.source_messages, "message"),
                        " in the source ranges, ", summary.target_messages, " in the target; ",
                        summary.groups_ok, " of ", ck::plural(summary.groups, "group check"),
                        " ok"));
  int code = ck::kExitOk;
  switch (ck::verify::outcome_of(results)) {
    case ck::verify::Outcome::kOk: break;
    case ck::verify::Outcome::kFailed: code = ck::kExitFailed; break;
    case ck::verify::Outcome::kInProgress:
      say(ck::verify::summarize_in_progress(results));
      code = ck::kExitInProgress;
      break;
  }
  if (options.json) {
    for (const auto& r : results) std::cout << ck::to_json(ck::verify::verify_record(r)) << '\n';
    std::cout.flush();
    if (!std::cout) {
      say("cannot write to stdout");
      code = ck::kExitRuntime;
    }
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  ck::log::set_tool("ck-verify");
  ck::signals::install();
  cxxopts::Options options(
      "ck-verify", "ck-verify - verify a migration: counts, content and consumer group offsets");
  add_options(options);
  ck::add_common_options(options, true, true);
  cxxopts::ParseResult result;
  ck::CommonOptions common;
  common.default_level = ck::log::kWarn;  // cron: silent unless -v
  ck::ParseOutcome outcome =
      ck::parse_command_line(options, argc, argv, true, true, &result, &common);
  if (!outcome.run) return outcome.exit_code;
  Options opts;
  if (result.count("input")) opts.input = result["input"].as<std::string>();
  if (result.count("prometheus")) opts.prometheus = result["prometheus"].as<std::string>();
  opts.json = result.count("json") > 0;
  opts.allow_empty = result.count("allow-empty") > 0;
  opts.verify.content = result.count("content") > 0;
  if (result.count("exact-groups")) opts.verify.ahead = ck::verify::AheadRule::kExact;
  opts.verify.job = result["job"].as<std::string>();

  auto started = std::chrono::steady_clock::now();
  std::vector<ck::Record> records;
  std::vector<ck::verify::PartitionResult> results;
  std::string err;
  int code = read_records(opts, &records);
  if (code == ck::kExitUsage) return code;
  if (code == ck::kExitOk &&
      !ck::verify::verify_records(records, opts.verify, common, &results, &err)) {
    ck::log::error(err);
    results.clear();
    code = ck::kExitRuntime;
  }
  if (ck::signals::stop_requested()) code = ck::kExitSignalBase + ck::signals::stop_signal();

  if (code == ck::kExitOk) code = report(opts, results);
  if (!opts.prometheus.empty()) {
    double now = std::chrono::duration<double>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                      .count();
    std::string text = ck::verify::render_prometheus(results, code, now, took);
    if (!ck::verify::write_file_atomically(opts.prometheus, text, &err)) {
      say(err);
      if (code == ck::kExitOk || code == ck::kExitFailed || code == ck::kExitInProgress)
        code = ck::kExitRuntime;
    }
  }
  return code;
}
