#include "progress_line.hpp"

#include <unistd.h>

#include <cstdio>

#include "log.hpp"
#include "strings.hpp"

namespace ck::copy {

namespace {

std::string count_text(double n) {
  char buf[32];
  if (n >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
  else if (n >= 1e4)
    std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

}  // namespace

std::string progress_text(const Totals& t, double seconds) {
  double rate = seconds > 0 ? double(t.messages) / seconds : 0;
  std::string text = cat(count_text(double(t.messages)), " msgs ", human_bytes(double(t.bytes)),
                         " ", count_text(rate), " msg/s");
  if (t.follow) {
    text += cat(" ", lag_text(t.lag));
    if (!t.worst.empty()) text += cat(", worst ", t.worst, " ", lag_text(t.worst_lag));
    return text;
  }
  // The estimate counts offsets, which may include gaps: the ETA is an upper bound.
  if (rate > 0 && t.estimate > t.messages)
    text += cat(" ETA ", human_duration(double(t.estimate - t.messages) / rate));
  return text;
}

ProgressReporter::ProgressReporter(int mode, bool quiet) {
  enabled_ = mode == 1 || (mode == -1 && !quiet);
  live_ = enabled_ && isatty(STDERR_FILENO);
}

void ProgressReporter::update(const Totals& totals) {
  if (!enabled_) return;
  auto now = Clock::now();
  auto interval = live_ ? std::chrono::milliseconds(500) : std::chrono::milliseconds(10000);
  if (now - last_ < interval) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - started_).count();
  std::string text = progress_text(totals, seconds);
  if (live_) {
    std::fprintf(stderr, "\r%s: %s\033[K", log::tool().c_str(), text.c_str());
    std::fflush(stderr);
    line_shown_ = true;
  } else {
    log::info(text);
  }
}

void ProgressReporter::clear() {
  if (!line_shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  line_shown_ = false;
}

void ProgressReporter::summary(const Totals& t, bool dry_run) {
  clear();
  double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  if (dry_run) {
    log::info(cat("dry run: ", plural(t.copied_partitions, "partition"), " to copy (up to ",
                  plural(t.estimate, "message"), "), ", t.skipped, " skipped, ", t.failed,
                  " invalid; nothing written"));
    return;
  }
  log::info(cat(plural(t.copied_partitions, "partition"), " copied, ", t.skipped, " skipped, ",
                t.failed, " failed", t.stopped ? cat(", ", t.stopped, " stopped") : std::string(),
                t.interrupted ? cat(", ", t.interrupted, " interrupted") : std::string(),
                "; ", plural(t.messages, "message"), ", ", human_bytes(double(t.bytes)), " in ",
                human_duration(seconds), " (", plural(t.commits, "transaction"), ", ", t.aborts,
                " aborted and retried)"));
}

}  // namespace ck::copy
