#include "cli.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "exit_codes.hpp"
#include "kafka.hpp"
#include "log.hpp"
#include "strings.hpp"

namespace ck {

void add_common_options(cxxopts::Options& options, bool with_source, bool with_target) {
  auto add = options.add_options("Clusters");
  if (with_source) {
    add("s,source", "source bootstrap brokers (default: $CK_SOURCE_BROKERS)",
        cxxopts::value<std::string>(), "BROKERS");
    add("source-config", "librdkafka properties file for the source (repeatable)",
        cxxopts::value<std::vector<std::string>>(), "FILE");
    add("source-set", "librdkafka property for the source (repeatable)",
        cxxopts::value<std::vector<std::string>>(), "KEY=VALUE");
  }
  if (with_target) {
    add("t,target", "target bootstrap brokers (default: $CK_TARGET_BROKERS)",
        cxxopts::value<std::string>(), "BROKERS");
    add("target-config", "librdkafka properties file for the target (repeatable)",
        cxxopts::value<std::vector<std::string>>(), "FILE");
    add("target-set", "librdkafka property for the target (repeatable)",
        cxxopts::value<std::vector<std::string>>(), "KEY=VALUE");
  }
  add("F,config", "librdkafka properties file for every cluster (repeatable)",
      cxxopts::value<std::vector<std::string>>(), "FILE");
  add("X,set", "librdkafka property for every cluster (repeatable)",
      cxxopts::value<std::vector<std::string>>(), "KEY=VALUE");
  options.add_options("General")
      ("timeout", "deadline in seconds for every network wait",
       cxxopts::value<double>()->default_value("30"), "SECONDS")
      ("v,verbose", "more detail on stderr (repeat for debug)")
      ("q,quiet", "errors only on stderr")
      ("log-file", "also append the stderr text to FILE", cxxopts::value<std::string>(), "FILE")
      ("h,help", "print this help and exit")
      ("V,version", "print the version and exit");
}

std::string exit_status_help() {
  return "Exit status:\n"
         "  0   success\n"
         "  1   ran, but something failed or mismatched (see the records)\n"
         "  2   usage or configuration error\n"
         "  3   runtime error: cluster unreachable by the deadline, malformed input\n"
         "  4   in progress (ck-verify only): a job still copies in follow mode; what it\n"
         "      copied so far verified, the target is behind (ck-plan, ck-copy: never)\n"
         "  128+n  stopped by signal n\n";
}

namespace {

bool collect_overrides(const cxxopts::ParseResult& result, const std::string& name,
                       Settings* out, std::string* err) {
  if (!result.count(name)) return true;
  for (const auto& text : result[name].as<std::vector<std::string>>()) {
    std::pair<std::string, std::string> kv;
    if (!parse_override(text, &kv)) {
      *err = cat("option '--", name, "': expected KEY=VALUE, got '",
                 redact(text, text), "'");
      return false;
    }
    out->push_back(std::move(kv));
  }
  return true;
}

bool fill_cluster(const cxxopts::ParseResult& result, const std::string& role,
                  ClusterConfig* cluster, std::string* err) {
  if (result.count(role)) cluster->brokers = result[role].as<std::string>();
  if (result.count("config"))
    for (const auto& f : result["config"].as<std::vector<std::string>>())
      cluster->files.push_back(f);
  if (result.count(role + "-config"))
    for (const auto& f : result[role + "-config"].as<std::vector<std::string>>())
      cluster->files.push_back(f);
  return collect_overrides(result, "set", &cluster->overrides, err) &&
         collect_overrides(result, role + "-set", &cluster->overrides, err) &&
         resolve_cluster_config(cluster, err) && check_config(*cluster, err);
}

}  // namespace

ParseOutcome parse_command_line(cxxopts::Options& options, int argc, char** argv,
                                bool with_source, bool with_target,
                                cxxopts::ParseResult* result, CommonOptions* common) {
  try {
    *result = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    log::error(cat(e.what(), " (see --help)"));
    return {false, kExitUsage};
  }
  if (result->count("help")) {
    std::cout << options.help() << "\n" << exit_status_help();
    std::cout.flush();
    return {false, std::cout ? kExitOk : kExitRuntime};
  }
  if (result->count("version")) {
    std::cout << log::tool() << " " << kVersion << "\n";
    return {false, kExitOk};
  }
  if (!result->unmatched().empty()) {
    log::error(cat("unexpected argument '", result->unmatched().front(), "' (see --help)"));
    return {false, kExitUsage};
  }
  int verbose = int(result->count("verbose"));
  int level = std::min(int(log::kDebug), common->default_level + verbose);
  log::set_level(result->count("quiet") ? log::kError : log::Level(level));
  std::string err;
  if (result->count("log-file")) {
    common->log_file = (*result)["log-file"].as<std::string>();
    if (!log::set_file(common->log_file, &err)) {
      log::error(err);
      return {false, kExitUsage};
    }
  }
  double timeout_s = (*result)["timeout"].as<double>();
  if (timeout_s <= 0 || timeout_s > 86400) {
    log::error("option '--timeout': expected seconds between 0 and 86400");
    return {false, kExitUsage};
  }
  common->timeout_ms = int(timeout_s * 1000);
  if ((with_source && !fill_cluster(*result, "source", &common->source, &err)) ||
      (with_target && !fill_cluster(*result, "target", &common->target, &err))) {
    log::error(err);
    return {false, kExitUsage};
  }
  // librdkafka waits socket.timeout.ms (60 s) for a request to a frozen broker, and
  // aborting a transaction waits for those: a shorter --timeout bounds them too. Never
  // above librdkafka's 60 s, which transaction.timeout.ms (60 s) must not be below.
  // Placed first, so a socket.timeout.ms from the user's files or -X still wins.
  int socket_ms = std::clamp(common->timeout_ms, 1000, 60000);
  for (ClusterConfig* cluster : {&common->source, &common->target})
    cluster->settings.insert(cluster->settings.begin(),
                             {"socket.timeout.ms", std::to_string(socket_ms)});
  return {true, kExitOk};
}

}  // namespace ck
