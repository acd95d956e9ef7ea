// ck-netem: a user-space stand-in for netem (kernel traffic shaping is not available on
// the test machines) for the tests and benchmarks of long links.
//
//   ck-netem proxy --listen 127.0.0.1:P --to 127.0.0.1:Q --rtt-ms N
//       forwards every connection to Q, delaying each chunk by N/2 ms in each direction;
//       order is kept and bandwidth is not limited (the delay is a timestamp, not a sleep
//       per chunk). Put it in front of a broker whose advertised listener is P.
//   ck-netem echo --listen 127.0.0.1:P
//       sends back what it receives (the other end for `probe`).
//   ck-netem probe --to 127.0.0.1:P [--pings N] [--bulk-mb M]
//       measures the round trip (median of N one-byte pings) and the echoed throughput of
//       M MiB; prints one JSON line.
// Loopback addresses only: the test machines may send traffic nowhere else.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ck-netem: %s\n", what.c_str());
  std::exit(2);
}

// "127.0.0.1:9092" -> sockaddr; loopback only.
sockaddr_in parse_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) die("expected HOST:PORT, got '" + text + "'");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  std::string host = text.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) die("bad IPv4 address '" + host + "'");
  if ((ntohl(a.sin_addr.s_addr) >> 24) != 127) die("only loopback addresses: '" + host + "'");
  int port = std::atoi(text.c_str() + colon + 1);
  if (port <= 0 || port > 65535) die("bad port in '" + text + "'");
  a.sin_port = htons(uint16_t(port));
  return a;
}

void no_delay(int fd) {
  // Nagle's algorithm with delayed ACKs would add tens of ms to small requests: the
  // only delay here must be the one asked for.
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int listen_on(const sockaddr_in& a) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 || listen(fd, 64) != 0)
    die(std::string("cannot listen: ") + std::strerror(errno));
  return fd;
}

int connect_to(const sockaddr_in& a) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  no_delay(fd);
  return fd;
}

bool send_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    data += w;
    n -= size_t(w);
  }
  return true;
}

// One direction of a proxied connection: chunks read from `from` are written to `to`
// once their due time has come. An empty chunk marks the end of the stream.
class DelayedPipe {
 public:
  DelayedPipe(int from, int to, std::chrono::microseconds delay)
      : from_(from), to_(to), delay_(delay) {}

  void run() {
    std::thread writer([this] { write_loop(); });
    read_loop();
    writer.join();
  }

 private:
  struct Chunk {
    Clock::time_point due;
    std::string data;
  };
  // Bounds memory when the far end is slower than the near one; far above what a
  // link's bandwidth-delay product needs on loopback.
  static constexpr size_t kMaxQueued = 64u << 20;

  void read_loop() {
    std::vector<char> buffer(1 << 20);
    for (;;) {
      ssize_t n = recv(from_, buffer.data(), buffer.size(), 0);
      std::unique_lock lock(mu_);
      room_.wait(lock, [&] { return queued_ < kMaxQueued || broken_; });
      if (n <= 0 || broken_) {
        queue_.push_back({Clock::now() + delay_, {}});
        ready_.notify_one();
        return;
      }
      // Nothing queued or being sent and no delay asked: straight through. A hand-over
      // to the writer per chunk costs two context switches, which made the proxy at 0 ms
      // slower than at 40 ms (where chunks wait and leave in bursts).
      if (delay_.count() == 0 && queue_.empty() && !writing_) {
        lock.unlock();
        if (!send_all(to_, buffer.data(), size_t(n))) return break_pipe();
        continue;
      }
      bool was_empty = queue_.empty();
      queue_.push_back({Clock::now() + delay_, std::string(buffer.data(), size_t(n))});
      queued_ += size_t(n);
      // The writer sleeps only on an empty queue: a wake-up per chunk would cost a
      // context switch per chunk.
      if (was_empty) ready_.notify_one();
    }
  }

  // The far end is gone: stop both directions of this pipe.
  void break_pipe() {
    shutdown(to_, SHUT_WR);
    shutdown(from_, SHUT_RD);
    std::lock_guard guard(mu_);
    broken_ = true;
    room_.notify_one();
  }

  // Takes every chunk that is due at once: one wake-up and one lock per burst, not per
  // chunk, so the proxy at 0 ms keeps up with loopback.
  void write_loop() {
    std::vector<Chunk> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] { return !queue_.empty(); });
        Clock::time_point until = std::max(queue_.front().due, Clock::now());
        while (!queue_.empty() && queue_.front().due <= until) {
          queued_ -= queue_.front().data.size();
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        writing_ = true;
        room_.notify_one();
      }
      std::this_thread::sleep_until(batch.front().due);
      for (const Chunk& chunk : batch) {
        if (!chunk.data.empty() && send_all(to_, chunk.data.data(), chunk.data.size())) continue;
        if (chunk.data.empty()) shutdown(to_, SHUT_WR);
        else break_pipe();
        return;
      }
      batch.clear();
      std::lock_guard guard(mu_);
      writing_ = false;
    }
  }

  int from_, to_;
  std::chrono::microseconds delay_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<Chunk> queue_;
  size_t queued_ = 0;
  bool broken_ = false;
  bool writing_ = false;  // the writer holds chunks taken from the queue
};

void proxy_connection(int client, sockaddr_in upstream, std::chrono::microseconds half_rtt) {
  no_delay(client);
  int server = connect_to(upstream);
  if (server < 0) {
    close(client);
    return;
  }
  DelayedPipe up(client, server, half_rtt), down(server, client, half_rtt);
  std::thread t([&] { up.run(); });
  down.run();
  t.join();
  close(client);
  close(server);
}

void echo_connection(int fd) {
  no_delay(fd);
  std::vector<char> buffer(256 * 1024);
  for (;;) {
    ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
    if (n <= 0 || !send_all(fd, buffer.data(), size_t(n))) break;
  }
  close(fd);
}

template <typename Serve>
[[noreturn]] void serve(int listener, Serve serve_one) {
  for (;;) {
    int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) continue;
    std::thread(serve_one, fd).detach();
  }
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Median round trip of one-byte pings, then the echoed throughput of bulk_mb MiB.
int probe(const sockaddr_in& to, int pings, int bulk_mb) {
  int fd = connect_to(to);
  if (fd < 0) die(std::string("cannot connect: ") + std::strerror(errno));
  std::vector<double> rtts;
  for (int i = 0; i < pings; ++i) {
    char c = 'p';
    auto start = Clock::now();
    if (!send_all(fd, &c, 1) || recv(fd, &c, 1, MSG_WAITALL) != 1) die("ping failed");
    rtts.push_back(ms_since(start));
  }
  std::sort(rtts.begin(), rtts.end());
  double median = rtts.empty() ? 0 : rtts[rtts.size() / 2];
  double mib_per_s = 0;
  if (bulk_mb > 0) {
    const size_t total = size_t(bulk_mb) << 20;
    auto start = Clock::now();
    // Byte k of the stream is k % 251 (a prime, so block boundaries don't line up with
    // the pattern): what comes back is checked byte for byte, order included.
    std::thread sender([&] {
      std::string block(251 * 256, '\0');
      for (size_t k = 0; k < block.size(); ++k) block[k] = char(k % 251);
      for (size_t sent = 0; sent < total; sent += block.size())
        if (!send_all(fd, block.data(), std::min(block.size(), total - sent))) return;
    });
    std::vector<char> buffer(256 * 1024);
    size_t got = 0;
    bool intact = true;
    while (got < total) {
      ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
      if (n <= 0) break;
      for (ssize_t k = 0; k < n; ++k) intact &= buffer[size_t(k)] == char((got + size_t(k)) % 251);
      got += size_t(n);
    }
    sender.join();
    if (got < total) die("bulk transfer cut short");
    if (!intact) die("bulk transfer came back altered or out of order");
    mib_per_s = double(bulk_mb) / (ms_since(start) / 1000.0);
  }
  close(fd);
  std::printf("{\"pings\":%d,\"rtt_ms_median\":%.3f,\"rtt_ms_max\":%.3f,\"bulk_mb\":%d,"
              "\"mib_per_s\":%.1f}\n",
              pings, median, rtts.empty() ? 0 : rtts.back(), bulk_mb, mib_per_s);
  return 0;
}

void usage() {
  std::fprintf(stderr,
               "usage: ck-netem proxy --listen 127.0.0.1:P --to 127.0.0.1:Q --rtt-ms N\n"
               "       ck-netem echo --listen 127.0.0.1:P\n"
               "       ck-netem probe --to 127.0.0.1:P [--pings N] [--bulk-mb M]\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(), 2;
  std::string mode = argv[1], listen_at, to;
  int rtt_ms = 0, pings = 20, bulk_mb = 0;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return usage(), 2;
    std::string value = argv[++i];
    if (arg == "--listen") listen_at = value;
    else if (arg == "--to") to = value;
    else if (arg == "--rtt-ms") rtt_ms = std::atoi(value.c_str());
    else if (arg == "--pings") pings = std::atoi(value.c_str());
    else if (arg == "--bulk-mb") bulk_mb = std::atoi(value.c_str());
    else return usage(), 2;
  }
  signal(SIGPIPE, SIG_IGN);
  if (mode == "proxy" && !listen_at.empty() && !to.empty() && rtt_ms >= 0) {
    sockaddr_in upstream = parse_address(to);
    auto half = std::chrono::microseconds(int64_t(rtt_ms) * 500);
    serve(listen_on(parse_address(listen_at)),
          [upstream, half](int fd) { proxy_connection(fd, upstream, half); });
  }
  if (mode == "echo" && !listen_at.empty()) serve(listen_on(parse_address(listen_at)), echo_connection);
  if (mode == "probe" && !to.empty()) return probe(parse_address(to), pings, bulk_mb);
  usage();
  return 2;
}
