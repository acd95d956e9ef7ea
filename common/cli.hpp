// Command-line pieces every tool shares: cluster options, verbosity, timeouts, help, version.
#pragma once

#include <string>

#include "cli_options.hpp"
#include "common_options.hpp"
#include "config.hpp"

namespace ck {

inline constexpr const char* kVersion = "0.1.0";

/// Adds -s/--source, --source-config, --source-set (and the target's, when wanted),
/// -F, -X, --timeout, -v, -q, --log-file, -h, -V.
void add_common_options(cxxopts::Options& options, bool with_source, bool with_target);

/// Outcome of parsing: run, or exit now with this code (help/version printed).
struct ParseOutcome {
  bool run = false;
  int exit_code = 0;
};

/// Parses argv; on a usage error prints one line on stderr and returns exit 2.
/// Applies verbosity and the log file, and resolves the cluster configurations.
ParseOutcome parse_command_line(cxxopts::Options& options, int argc, char** argv,
                                bool with_source, bool with_target,
                                cxxopts::ParseResult* result, CommonOptions* common);

/// Prints the exit-status table used at the end of every --help.
std::string exit_status_help();

}  // namespace ck
