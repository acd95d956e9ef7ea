// What the options every tool shares resolve to; cli.hpp binds them to the command line.
#pragma once

#include <string>

#include "config.hpp"

namespace ck {

/// What the shared options resolved to.
struct CommonOptions {
  ClusterConfig source{"source", {}, {}, {}, {}};
  ClusterConfig target{"target", {}, {}, {}, {}};
  int timeout_ms = 30000;   ///< deadline for each network wait
  std::string log_file;
  int default_level = 2;    ///< log::Level before -v/-q: 2 (info) shows summaries
};

}  // namespace ck
