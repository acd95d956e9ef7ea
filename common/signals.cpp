#include "signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace ck::signals {
namespace {
std::atomic<int> g_signal{0};

void on_signal(int signo) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, signo)) {
    // Second signal: the user means it. Leave without cleanup; the target stays
    // consistent because every write is transactional.
    _exit(128 + signo);
  }
}
}  // namespace

void install() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() { return g_signal.load() != 0; }
int stop_signal() { return g_signal.load(); }

}  // namespace ck::signals
