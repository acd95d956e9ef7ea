// What ck-verify writes: the "verify" result record (NDJSON), and the Prometheus text file
// for node_exporter's textfile collector.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "records.hpp"
#include "verifier.hpp"

namespace ck::verify {

/// The input record with type "verify" and the verification fields added (any earlier
/// verification fields replaced, so re-verifying a verify record does not repeat them).
Record verify_record(const PartitionResult& result);

/// A label value escaped per the text exposition format: backslash, quote, newline.
std::string escape_label_value(std::string_view value);

/// Totals over a run, for the summary line and the metrics.
struct RunSummary {
  int64_t partitions = 0;
  int64_t partitions_ok = 0;
  int64_t problems = 0;
  int64_t source_messages = 0;
  int64_t target_messages = 0;
  int64_t groups = 0;
  int64_t groups_ok = 0;
};
RunSummary summarize(const std::vector<PartitionResult>& results);

/// The Prometheus text file: HELP and TYPE for each metric, then its samples.
/// `exit_code` is the run's (after a runtime error `results` may be empty).
std::string render_prometheus(const std::vector<PartitionResult>& results, int exit_code,
                              double now_seconds, double duration_seconds);

/// Writes path.tmp.<pid> then renames it over path, so a collector never reads half a
/// file. False with err naming the file.
bool write_file_atomically(const std::string& path, const std::string& text, std::string* err);

}  // namespace ck::verify
