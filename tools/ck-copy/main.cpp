// ck-copy: copy planned ranges into the target cluster, exactly once. (Skeleton: options only.)
#include "cli.hpp"
#include "exit_codes.hpp"
#include "log.hpp"

int main(int argc, char** argv) {
  ck::log::set_tool("ck-copy");
  cxxopts::Options options("ck-copy", "ck-copy - copy planned ranges into the target cluster, exactly once");
  ck::add_common_options(options, true, true);
  cxxopts::ParseResult result;
  ck::CommonOptions common;
  ck::ParseOutcome outcome =
      ck::parse_command_line(options, argc, argv, true, true, &result, &common);
  if (!outcome.run) return outcome.exit_code;
  ck::log::error("not implemented yet");
  return ck::kExitRuntime;
}
