// A small fan-out helper for independent requests.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <future>
#include <vector>

namespace ck {

/// Runs `work(i)` for i in [0, n) on up to `threads` threads; true when every call was.
template <typename Work>
bool run_parallel(size_t n, size_t threads, Work work) {
  std::atomic<size_t> next{0};
  std::atomic<bool> ok{true};
  std::vector<std::future<void>> workers;
  for (size_t t = 0; t < std::min(n, threads); ++t)
    workers.push_back(std::async(std::launch::async, [&] {
      for (size_t i; (i = next.fetch_add(1)) < n;)
        if (!work(i)) ok = false;
    }));
  for (auto& w : workers) w.get();
  return ok;
}

}  // namespace ck
