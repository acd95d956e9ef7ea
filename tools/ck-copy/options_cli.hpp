// ck-copy's options on the command line (cxxopts), read into CopyOptions.
#pragma once

#include <string>

#include "cli_options.hpp"
#include "options.hpp"

namespace ck::copy {

/// Adds ck-copy's options to the parser; values are bound to *bound as they are parsed.
void add_copy_options(cxxopts::Options& options, CopyOptions* bound);

/// Completes and checks *o from the parse (flags, --shard, positive numbers); false with
/// a one-line *err for a bad value (exit 2).
bool read_copy_options(const cxxopts::ParseResult& result, CopyOptions* o, std::string* err);

}  // namespace ck::copy
