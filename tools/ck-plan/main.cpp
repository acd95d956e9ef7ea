// ck-plan: print one plan record per partition the source's consumer groups have not
// consumed yet (man ck-plan(1)).
#include <iostream>

#include "cli.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "run.hpp"
#include "signals.hpp"

int main(int argc, char** argv) {
  ck::log::set_tool("ck-plan");
  cxxopts::Options options(
      "ck-plan",
      "ck-plan - print one plan record per partition with unconsumed messages\n\n"
      "Scans every consumer group of the source cluster, reads their committed offsets\n"
      "and the log start, last stable offset and high watermark of each partition of\n"
      "the topics they committed on, and writes one plan record (NDJSON) per partition\n"
      "to stdout, sorted by topic and partition. start is the smallest committed offset\n"
      "(the log start when a group of the topic has no commit on the partition, unless\n"
      "--committed-only), raised to the log start (the difference is reported as\n"
      "expired); end is the last stable offset. A summary and warnings go to stderr.\n"
      "Patterns are ECMAScript regular expressions matching the whole name; excludes\n"
      "win. Internal topics (names starting with \"__\") are never planned.\n"
      "See man ck-plan(1).\n");
  options.custom_help("[OPTIONS] [> plan.ndjson]");
  ck::add_common_options(options, true, false);
  ck::plan::add_plan_options(options);
  cxxopts::ParseResult result;
  ck::CommonOptions common;
  ck::ParseOutcome outcome =
      ck::parse_command_line(options, argc, argv, true, false, &result, &common);
  if (!outcome.run) return outcome.exit_code;
  ck::plan::RunOptions plan;
  std::string err;
  if (!ck::plan::read_plan_options(result, &plan, &err)) {
    ck::log::error(err + " (see --help)");
    return ck::kExitUsage;
  }
  ck::signals::install();
  int code = ck::plan::run_plan(common, plan, std::cout);
  std::cout.flush();
  if (!std::cout && code == ck::kExitOk) {
    ck::log::error("writing the plan to stdout failed");
    return ck::kExitRuntime;
  }
  return code;
}
