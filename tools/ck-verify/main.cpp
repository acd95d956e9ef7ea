// ck-verify: verify a migration: counts, content and consumer group offsets. (Skeleton: options only.)
#include "cli.hpp"
#include "exit_codes.hpp"
#include "log.hpp"

int main(int argc, char** argv) {
  ck::log::set_tool("ck-verify");
  cxxopts::Options options("ck-verify", "ck-verify - verify a migration: counts, content and consumer group offsets");
  ck::add_common_options(options, true, true);
  cxxopts::ParseResult result;
  ck::CommonOptions common;
  ck::ParseOutcome outcome =
      ck::parse_command_line(options, argc, argv, true, true, &result, &common);
  if (!outcome.run) return outcome.exit_code;
  ck::log::error("not implemented yet");
  return ck::kExitRuntime;
}
