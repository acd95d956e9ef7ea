#include "log.hpp"

#include <cstdio>
#include <mutex>

namespace ck::log {
namespace {
// Never destroyed: librdkafka logs from its own threads, and those of an abandoned client
// (KafkaClient::abandon) run on while the process exits.
std::string& g_tool = *new std::string("ck");
Level g_level = kWarn;
FILE* g_file = nullptr;
std::mutex& g_mutex = *new std::mutex;

// The log file receives exactly what stderr receives.
void write(Level at, const std::string& text) {
  if (at > g_level) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fputs(text.c_str(), stderr);
  if (g_file) {
    std::fputs(text.c_str(), g_file);
    std::fflush(g_file);
  }
}

void emit(Level at, const char* tag, const std::string& message) {
  write(at, g_tool + ": " + tag + message + "\n");
}
}  // namespace

void set_tool(const std::string& tool_name) { g_tool = tool_name; }
const std::string& tool() { return g_tool; }
void set_level(Level level) { g_level = level; }
Level level() { return g_level; }

bool set_file(const std::string& path, std::string* err) {
  FILE* file = std::fopen(path.c_str(), "a");
  if (!file) {
    *err = "cannot open log file '" + path + "'";
    return false;
  }
  if (g_file) std::fclose(g_file);
  g_file = file;
  return true;
}

void error(const std::string& message) { emit(kError, "error: ", message); }
void warn(const std::string& message) { emit(kWarn, "warning: ", message); }
void info(const std::string& message) { emit(kInfo, "", message); }
void debug(const std::string& message) { emit(kDebug, "debug: ", message); }

void raw(const std::string& text, Level at) { write(at, text); }

}  // namespace ck::log
