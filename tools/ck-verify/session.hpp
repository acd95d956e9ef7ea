// One verification run against both clusters: classify the records, look up the groups'
// committed offsets on both sides, read the source and target ranges, and draw the
// verdicts.
#pragma once

#include <string>
#include <vector>

#include "common_options.hpp"
#include "records.hpp"
#include "verifier.hpp"

namespace ck::verify {

struct VerifyOptions {
  bool content = false;     ///< also compare content digests
  AheadRule ahead = AheadRule::kAllowed;  ///< --exact-groups: kExact
  std::string job = "default";  ///< --job: the ck-copy job whose progress tells it follows
};

/// Verifies every record; results[i] belongs to records[i] (and points at it). Returns
/// false with err on a runtime error: a cluster unreachable by the deadline, a read that
/// stalls past the timeout, a stop signal. Mismatches are results, not errors.
bool verify_records(const std::vector<Record>& records, const VerifyOptions& options,
                    const CommonOptions& common, std::vector<PartitionResult>* results,
                    std::string* err);

}  // namespace ck::verify
