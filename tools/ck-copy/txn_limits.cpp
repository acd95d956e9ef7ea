#include "txn_limits.hpp"

#include <algorithm>
#include <limits>

namespace ck::copy {

namespace {

int64_t scaled(int64_t value, double factor) {
  double v = double(value) * factor;
  return v >= double(std::numeric_limits<int64_t>::max()) ? std::numeric_limits<int64_t>::max()
                                                          : int64_t(v);
}

}  // namespace

TxnLimits scale_txn_limits(const TxnLimits& base, int64_t commit_ms, int64_t max_ms) {
  int64_t want_ms = std::min(commit_ms * kTxnPerCommit, max_ms);
  if (base.ms <= 0 || want_ms <= base.ms) return base;
  double factor = double(want_ms) / double(base.ms);
  return {scaled(base.messages, factor), scaled(base.bytes, factor), want_ms};
}

}  // namespace ck::copy
