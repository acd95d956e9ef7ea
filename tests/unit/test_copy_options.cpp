// ck-copy's command line: cxxopts binds the values straight into CopyOptions, defaults stay.
#include <catch2/catch.hpp>

#include <vector>

#include "../../tools/ck-copy/options_cli.hpp"

using namespace ck::copy;

namespace {

bool parse(std::vector<const char*> args, CopyOptions* o, std::string* err) {
  cxxopts::Options options("ck-copy", "");
  add_copy_options(options, o);
  args.insert(args.begin(), "ck-copy");
  auto result = options.parse(int(args.size()), args.data());
  return read_copy_options(result, o, err);
}

}  // namespace

TEST_CASE("ck-copy options: defaults when nothing is given", "[copier][options]") {
  CopyOptions o;
  std::string err;
  REQUIRE(parse({}, &o, &err));
  CopyOptions defaults;
  CHECK(o.job == defaults.job);
  CHECK(o.txn_messages == defaults.txn_messages);
  CHECK(o.txn_bytes == defaults.txn_bytes);
  CHECK(o.replication_factor == -1);
  CHECK_FALSE(o.dry_run);
  CHECK(o.group_offsets);
  CHECK(o.progress == -1);
}

TEST_CASE("ck-copy options: values and flags land in CopyOptions", "[copier][options]") {
  CopyOptions o;
  std::string err;
  REQUIRE(parse({"-n", "--append", "--job", "j1", "--shard", "2/3", "--txn-size", "5",
                 "--txn-bytes", "7", "--no-group-offsets", "--force-group-offsets",
                 "--skip-invalid", "--create-topics", "--replication-factor", "3",
                 "--no-progress", "-i", "plan.ndjson"},
                &o, &err));
  CHECK(o.dry_run);
  CHECK(o.append);
  CHECK(o.job == "j1");
  CHECK(o.shard_index == 2);
  CHECK(o.shard_count == 3);
  CHECK(o.txn_messages == 5);
  CHECK(o.txn_bytes == 7);
  CHECK(o.txn_fixed);  // a --txn-* option keeps the limits as given
  CHECK_FALSE(o.group_offsets);
  CHECK(o.force_group_offsets);
  CHECK(o.skip_invalid);
  CHECK(o.create_topics);
  CHECK(o.replication_factor == 3);
  CHECK(o.progress == 0);
  CHECK(o.input == "plan.ndjson");
}

TEST_CASE("ck-copy options: bad values are one-line errors", "[copier][options]") {
  CopyOptions o;
  std::string err;
  CHECK_FALSE(parse({"--txn-ms", "0"}, &o, &err));
  CHECK(err == "option '--txn-ms': expected a positive number, got 0");
  CHECK_FALSE(CopyOptions{}.txn_fixed);  // lengthened on slow links by default
  CopyOptions p;
  CHECK_FALSE(parse({"--progress", "--no-progress"}, &p, &err));
  CopyOptions q;
  CHECK_FALSE(parse({"--job", ""}, &q, &err));
}

TEST_CASE("ck-copy options: --max-rate, --follow and --until-lag", "[copier][options]") {
  CopyOptions o;
  std::string err;
  REQUIRE(parse({"--max-rate", "2M", "--follow", "--until-lag", "2s"}, &o, &err));
  CHECK(o.max_rate == 2.0 * 1024 * 1024);
  CHECK(o.follow);
  CHECK(o.until_lag.seconds == 2.0);
  CopyOptions p;
  CHECK_FALSE(parse({"--max-rate", "fast"}, &p, &err));
  CHECK(err == "option '--max-rate': expected bytes per second such as 20M or 500k, got 'fast'");
  CopyOptions q;
  CHECK_FALSE(parse({"--until-lag", "10"}, &q, &err));
  CHECK(err == "option '--until-lag' needs '--follow'");
  CopyOptions r;
  CHECK_FALSE(parse({"--follow", "--until-lag", "soon"}, &r, &err));
  CHECK(err == "option '--until-lag': expected a number of messages or a duration such as "
               "2s, got 'soon'");
  CopyOptions d;
  CHECK_FALSE(parse({"--follow", "-n"}, &d, &err));
}
