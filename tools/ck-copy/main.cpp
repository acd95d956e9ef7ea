// ck-copy: copy planned ranges into the target cluster, exactly once (man ck-copy(1)).
#include <algorithm>
#include <iostream>
#include <string_view>

#include "cli.hpp"
#include "copier.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "options_cli.hpp"
#include "preflight.hpp"
#include "signals.hpp"
#include "translate.hpp"

int main(int argc, char** argv) {
  ck::log::set_tool("ck-copy");
  cxxopts::Options options(
      "ck-copy", "ck-copy - copy planned ranges into the target cluster, exactly once\n\n"
                 "Reads plan records (NDJSON) from stdin or --input and writes one result "
                 "record per partition to stdout.");
  options.custom_help("[OPTIONS] [< plan.ndjson]\n  ck-copy --translate --job NAME -t BROKERS "
                      "[< offsets.ndjson]");
  // --translate reads the target alone: no source to name.
  bool translate = std::any_of(argv + 1, argv + argc,
                               [](const char* a) { return std::string_view(a) == "--translate"; });
  ck::add_common_options(options, true, true);
  ck::copy::CopyOptions copy;
  ck::copy::add_copy_options(options, &copy);
  cxxopts::ParseResult result;
  ck::CommonOptions common;
  ck::ParseOutcome outcome =
      ck::parse_command_line(options, argc, argv, !translate, true, &result, &common);
  if (!outcome.run) return outcome.exit_code;
  std::string err;
  if (!ck::copy::read_copy_options(result, &copy, &err)) {
    ck::log::error(err + " (see --help)");
    return ck::kExitUsage;
  }
  ck::signals::install();
  int code = ck::kExitOk;
  if (copy.translate) {
    code = ck::copy::run_translate(copy, common, std::cout);
  } else {
    ck::RecordInput input(copy.input, ck::BadLines::kCollect);
    if (input.error() == ck::InputError::kCannotOpen) {
      ck::log::error(input.error_text());
      return ck::kExitUsage;
    }
    code = ck::copy::run_copy(copy, common, ck::copy::as_plan(input), std::cout);
    // A signal that ended a wait for a cluster (before the copy loop, which maps its own).
    if (code == ck::kExitRuntime && ck::signals::stop_requested())
      code = ck::kExitSignalBase + ck::signals::stop_signal();
  }
  std::cout.flush();
  if (!std::cout && code == ck::kExitOk) {
    ck::log::error("writing the results to stdout failed");
    return ck::kExitRuntime;
  }
  return code;
}
