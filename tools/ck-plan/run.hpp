// ck-plan from parsed options to records on stdout: the part main.cpp drives.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "gather.hpp"
#include "planner.hpp"

namespace ck::plan {

struct RunOptions {
  GatherOptions gather;
  PlanOptions plan;
};

/// Adds ck-plan's own options (filters, --committed-only, --concurrency).
void add_plan_options(cxxopts::Options& options);

/// Reads them back; false with *err (a usage error) on a bad pattern or number.
bool read_plan_options(const cxxopts::ParseResult& result, RunOptions* out, std::string* err);

/// Gathers, plans, writes one record per partition to out and the summary to
/// stderr. Returns the exit code (0, or 3 when the cluster could not be read).
int run_plan(const CommonOptions& common, const RunOptions& options, std::ostream& out);

}  // namespace ck::plan
