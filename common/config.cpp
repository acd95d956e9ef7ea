#include "config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "strings.hpp"

namespace ck {

bool parse_properties(std::string_view text, const std::string& source_name,
                      Settings* out, std::string* err) {
  int line_no = 0;
  for (const std::string& raw_line : split(text, '\n')) {
    ++line_no;
    std::string_view line = trim(raw_line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    size_t eq = line.find('=');
    std::string_view key = eq == std::string_view::npos ? line : trim(line.substr(0, eq));
    if (eq == std::string_view::npos || key.empty()) {
      *err = cat(source_name, ":", line_no, ": expected key=value");
      return false;
    }
    out->emplace_back(std::string(key), std::string(trim(line.substr(eq + 1))));
  }
  return true;
}

bool load_properties_file(const std::string& path, Settings* out, std::string* err) {
  std::ifstream in(path);
  if (!in) {
    *err = cat(path, ": cannot open properties file");
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_properties(buffer.str(), path, out, err);
}

const std::string* setting_value(const Settings& settings, std::string_view key) {
  for (auto it = settings.rbegin(); it != settings.rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

int64_t setting_int(const Settings& settings, std::string_view key, int64_t fallback) {
  const std::string* value = setting_value(settings, key);
  return value ? std::atoll(value->c_str()) : fallback;
}

bool parse_override(const std::string& text, std::pair<std::string, std::string>* out) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  out->first = std::string(trim(std::string_view(text).substr(0, eq)));
  out->second = text.substr(eq + 1);
  return !out->first.empty();
}

bool is_secret_key(std::string_view key) {
  static const char* kMarkers[] = {"password", "secret", "jaas", "key.pem",
                                   "private", "token", "credential",
                                   "oauthbearer.config", "ssl.key.location"};
  std::string lower(key);
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const char* marker : kMarkers)
    if (lower.find(marker) != std::string::npos) return true;
  return false;
}

std::string redact(std::string_view key, std::string_view value) {
  return is_secret_key(key) ? "[redacted]" : std::string(value);
}

bool resolve_cluster_config(ClusterConfig* cluster, std::string* err) {
  cluster->settings.clear();
  for (const auto& file : cluster->files)
    if (!load_properties_file(file, &cluster->settings, err)) return false;
  for (const auto& kv : cluster->overrides) cluster->settings.push_back(kv);

  std::string from_settings;
  for (const auto& [key, value] : cluster->settings)
    if (key == "bootstrap.servers" || key == "metadata.broker.list") from_settings = value;
  if (cluster->brokers.empty()) {
    std::string env_name = cluster->role == "source" ? "CK_SOURCE_BROKERS" : "CK_TARGET_BROKERS";
    if (const char* env = std::getenv(env_name.c_str()); env && *env) cluster->brokers = env;
  }
  if (cluster->brokers.empty()) cluster->brokers = from_settings;
  if (cluster->brokers.empty()) {
    std::string flag = cluster->role == "source" ? "-s/--source" : "-t/--target";
    std::string env_name = cluster->role == "source" ? "CK_SOURCE_BROKERS" : "CK_TARGET_BROKERS";
    *err = cat("no ", cluster->role, " brokers: give ", flag, ", set ", env_name,
               ", or bootstrap.servers in a properties file");
    return false;
  }
  return true;
}

}  // namespace ck
