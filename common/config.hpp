// Per-cluster client configuration: brokers, librdkafka properties files, key=value overrides.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ck {

using Settings = std::vector<std::pair<std::string, std::string>>;

/// Parses "key=value" lines (# and ! comments, blank lines ignored). Errors read
/// "<source_name>:<line>: expected key=value". Values may hold '=' and ','.
bool parse_properties(std::string_view text, const std::string& source_name,
                      Settings* out, std::string* err);

/// Reads and parses a properties file.
bool load_properties_file(const std::string& path, Settings* out, std::string* err);

/// The value the last setting of `key` gives (later settings win, as in librdkafka), or
/// nullptr when none sets it.
const std::string* setting_value(const Settings& settings, std::string_view key);
/// setting_value as a number (atoll: librdkafka itself refuses what is not one), or
/// `fallback` when none sets it.
int64_t setting_int(const Settings& settings, std::string_view key, int64_t fallback);

/// Splits one "key=value" override; false if there is no '=' or the key is empty.
bool parse_override(const std::string& text, std::pair<std::string, std::string>* out);

/// True for keys whose values must never be shown (passwords, keys, JAAS lines, tokens).
bool is_secret_key(std::string_view key);

/// The value, or "[redacted]" for a secret key.
std::string redact(std::string_view key, std::string_view value);

/// One cluster as the user described it on the command line and in files.
struct ClusterConfig {
  std::string role;                 ///< "source" or "target": used in messages
  std::string brokers;              ///< bootstrap.servers (may also come from settings)
  std::vector<std::string> files;   ///< librdkafka properties files, in order
  Settings overrides;               ///< -X / --source-set / --target-set, in order
  Settings settings;                ///< resolved: files then overrides (after resolve())
};

/// Loads the files, applies overrides and fills brokers from, in order: the
/// option, the env variable (CK_SOURCE_BROKERS / CK_TARGET_BROKERS), bootstrap.servers.
/// Fails with a message naming the option to use when no brokers are known.
bool resolve_cluster_config(ClusterConfig* cluster, std::string* err);

}  // namespace ck
