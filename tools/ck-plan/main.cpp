// ck-plan: print one plan record per partition with unconsumed messages. (Skeleton: options only.)
#include "cli.hpp"
#include "exit_codes.hpp"
#include "log.hpp"

int main(int argc, char** argv) {
  ck::log::set_tool("ck-plan");
  cxxopts::Options options("ck-plan", "ck-plan - print one plan record per partition with unconsumed messages");
  ck::add_common_options(options, true, false);
  cxxopts::ParseResult result;
  ck::CommonOptions common;
  ck::ParseOutcome outcome =
      ck::parse_command_line(options, argc, argv, true, false, &result, &common);
  if (!outcome.run) return outcome.exit_code;
  ck::log::error("not implemented yet");
  return ck::kExitRuntime;
}
