// The copy itself: preflight against both clusters, then one read_committed consumer
// feeding one transactional producer, with each partition's progress committed in
// the target inside the same transaction as the messages (exactly once, resumable).
#pragma once

#include <ostream>

#include "common_options.hpp"
#include "options.hpp"
#include "preflight.hpp"

namespace ck::copy {

/// Runs the whole copy of `input`; result records go to `out` as partitions finish,
/// people's text to stderr. Returns the exit code (exit_codes.hpp; 128+n on signal n).
int run_copy(const CopyOptions& options, const CommonOptions& common, PlanInput input,
             std::ostream& out);

}  // namespace ck::copy
