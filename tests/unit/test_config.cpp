#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli.hpp"
#include "config.hpp"
#include "kafka.hpp"

TEST_CASE("properties: comments, blanks, values with = and commas") {
  ck::Settings s;
  std::string err;
  REQUIRE(ck::parse_properties("# comment\n! also\n\nbootstrap.servers = a:1,b:2\n"
                               "sasl.jaas.config=x y=\"z\";\n",
                               "f.properties", &s, &err));
  REQUIRE(s.size() == 2);
  CHECK(s[0] == std::pair<std::string, std::string>("bootstrap.servers", "a:1,b:2"));
  CHECK(s[1].second == "x y=\"z\";");
}

TEST_CASE("properties: a line without = names file and line") {
  ck::Settings s;
  std::string err;
  CHECK_FALSE(ck::parse_properties("a=1\n\njunk line\n", "c.properties", &s, &err));
  CHECK(err == "c.properties:3: expected key=value");
  CHECK_FALSE(ck::parse_properties("=value\n", "d", &s, &err));
  CHECK(err == "d:1: expected key=value");
}

TEST_CASE("properties file that cannot be opened") {
  ck::Settings s;
  std::string err;
  CHECK_FALSE(ck::load_properties_file("/nonexistent/x.properties", &s, &err));
  CHECK(err == "/nonexistent/x.properties: cannot open properties file");
}

TEST_CASE("overrides keep commas and equals signs in the value") {
  std::pair<std::string, std::string> kv;
  REQUIRE(ck::parse_override("bootstrap.servers=a:1,b:2", &kv));
  CHECK(kv.second == "a:1,b:2");
  REQUIRE(ck::parse_override("k=a=b", &kv));
  CHECK(kv.second == "a=b");
  CHECK_FALSE(ck::parse_override("novalue", &kv));
  CHECK_FALSE(ck::parse_override("=x", &kv));
}

TEST_CASE("the last setting of a key is the one that counts") {
  ck::Settings s = {{"fetch.max.bytes", "1"}, {"linger.ms", "5"}, {"fetch.max.bytes", "2"}};
  REQUIRE(ck::setting_value(s, "fetch.max.bytes") != nullptr);
  CHECK(*ck::setting_value(s, "fetch.max.bytes") == "2");
  CHECK(*ck::setting_value(s, "linger.ms") == "5");
  CHECK(ck::setting_value(s, "fetch.max") == nullptr);
  CHECK(ck::setting_int(s, "fetch.max.bytes", 7) == 2);
  CHECK(ck::setting_int(s, "fetch.max", 7) == 7);
}

TEST_CASE("secrets are recognised and redacted") {
  CHECK(ck::is_secret_key("sasl.password"));
  CHECK(ck::is_secret_key("sasl.jaas.config"));
  CHECK(ck::is_secret_key("ssl.key.password"));
  CHECK(ck::is_secret_key("ssl.key.pem"));
  CHECK(ck::is_secret_key("SASL.OAUTHBEARER.CLIENT.SECRET"));
  CHECK_FALSE(ck::is_secret_key("sasl.username"));
  CHECK_FALSE(ck::is_secret_key("bootstrap.servers"));
  CHECK(ck::redact("sasl.password", "hunter2") == "[redacted]");
  CHECK(ck::redact("sasl.username", "alice") == "alice");
}

TEST_CASE("brokers come from the option, then the environment, then the properties") {
  std::string err;
  ::setenv("CK_TARGET_BROKERS", "env:9092", 1);
  ck::ClusterConfig from_env{"target", "", {}, {{"bootstrap.servers", "props:1"}}, {}};
  REQUIRE(ck::resolve_cluster_config(&from_env, &err));
  CHECK(from_env.brokers == "env:9092");
  ck::ClusterConfig from_option{"target", "opt:1", {}, {}, {}};
  REQUIRE(ck::resolve_cluster_config(&from_option, &err));
  CHECK(from_option.brokers == "opt:1");
  ::unsetenv("CK_TARGET_BROKERS");
  ck::ClusterConfig from_props{"target", "", {}, {{"bootstrap.servers", "props:1,props:2"}}, {}};
  REQUIRE(ck::resolve_cluster_config(&from_props, &err));
  CHECK(from_props.brokers == "props:1,props:2");
  ::unsetenv("CK_SOURCE_BROKERS");
  ck::ClusterConfig none{"source", "", {}, {}, {}};
  CHECK_FALSE(ck::resolve_cluster_config(&none, &err));
  CHECK(err == "no source brokers: give -s/--source, set CK_SOURCE_BROKERS, or "
               "bootstrap.servers in a properties file");
}

namespace {
// Parses a ck-copy-like command line into `common`.
bool parse_args(std::vector<std::string> args, ck::CommonOptions* common) {
  cxxopts::Options options("ck-test", "");
  ck::add_common_options(options, true, true);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  cxxopts::ParseResult result;
  return ck::parse_command_line(options, int(argv.size()), argv.data(), true, true, &result,
                                common)
      .run;
}
std::string last_value(const ck::Settings& s, const std::string& key) {
  std::string v;
  for (const auto& [k, value] : s)
    if (k == key) v = value;
  return v;
}
}  // namespace

TEST_CASE("--timeout bounds socket.timeout.ms, never above what a transactional producer takes") {
  for (auto [timeout, want] : {std::pair{"5", "5000"}, {"0.2", "1000"}, {"60", "60000"},
                               {"90", "60000"}, {"3600", "60000"}}) {
    ck::CommonOptions common;
    REQUIRE(parse_args({"ck-test", "-s", "127.0.0.1:1", "-t", "127.0.0.1:2", "--timeout", timeout},
                       &common));
    CAPTURE(timeout);
    CHECK(last_value(common.target.settings, "socket.timeout.ms") == want);
    CHECK(last_value(common.source.settings, "socket.timeout.ms") == want);
    // librdkafka refuses socket.timeout.ms above transaction.timeout.ms + 100 (60 s
    // by default) when the handle is created: a transactional producer must be possible.
    std::string err;
    auto producer = ck::KafkaClient::create(common.target, RD_KAFKA_PRODUCER, {},
                                            {{"transactional.id", "ck-unit"}}, &err);
    CHECK(producer != nullptr);
    CHECK(err == "");
  }
  ck::CommonOptions common;
  REQUIRE(parse_args({"ck-test", "-s", "127.0.0.1:1", "-t", "127.0.0.1:2", "--timeout", "5", "-X",
                      "socket.timeout.ms=777"},
                     &common));
  CHECK(last_value(common.target.settings, "socket.timeout.ms") == "777");
}

TEST_CASE("a librdkafka configuration error is found before any connection, one prefix") {
  ck::ClusterConfig cluster{"source", "127.0.0.1:1", {}, {}, {{"no.such.property", "1"}}};
  std::string err;
  CHECK_FALSE(ck::check_config(cluster, &err));
  CHECK(err.rfind("source cluster 127.0.0.1:1: configuration: ", 0) == 0);
  CHECK(err.find("no.such.property") != std::string::npos);
  cluster.settings = {{"security.protocol", "SASL_PLAINTEXT"}, {"sasl.mechanisms", "NOPE"}};
  CHECK_FALSE(ck::check_config(cluster, &err));
  cluster.settings = {{"security.protocol", "PLAINTEXT"}};
  CHECK(ck::check_config(cluster, &err));
  // Through the command line: a usage-time failure, so the tools exit 2.
  ck::CommonOptions common;
  CHECK_FALSE(parse_args({"ck-test", "-s", "127.0.0.1:1", "-t", "127.0.0.1:2", "--target-set",
                          "no.such.property=1"},
                         &common));
}
