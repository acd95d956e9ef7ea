// Follow mode's decisions: the copied position, the lag in messages and seconds, the
// job's worst partition, and when --until-lag stops the run.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/follow.hpp"
#include "../../tools/ck-copy/progress_line.hpp"

using namespace ck::copy;

TEST_CASE("follow position: the end the reader saw counts once everything is committed",
          "[follow]") {
  CHECK(follow_position(100, 100, -1) == 100);   // no end seen
  CHECK(follow_position(100, 100, 101) == 101);  // a transaction marker at 100
  CHECK(follow_position(100, 120, 121) == 100);  // 20 produced, not committed yet
  CHECK(follow_position(100, 100, 90) == 100);   // a stale end from before
}

TEST_CASE("lag clock: messages behind and the time since the end was at the position",
          "[follow]") {
  LagClock c;
  CHECK_FALSE(c.lag(0).known);
  c.observe(100, 0, 10.0);  // 100 behind since the start: older than the run
  CHECK(c.lag(10.5).messages == 100);
  CHECK(c.lag(10.5).seconds == Approx(0.5));
  CHECK(c.lag(10.5).at_least);
  CHECK(lag_text(c.lag(10.5)) == "lag 100 msgs >0.5s");
  CHECK_FALSE(within_lag(LagLimit{-1, 2.0}, {c.lag(10.5)}));  // a backlog is not "within 2s"
  CHECK(within_lag(LagLimit{100, -1}, {c.lag(10.5)}));
  c.observe(200, 100, 11.0);  // the message at 100 was written after 10.0
  CHECK(c.lag(11.0).messages == 100);
  CHECK(c.lag(11.0).seconds == Approx(1.0));
  CHECK_FALSE(c.lag(11.0).at_least);
  c.observe(300, 200, 12.0);  // a steady lag of one second stays one second
  CHECK(c.lag(12.0).seconds == Approx(1.0));
  c.observe(300, 300, 12.5);  // caught up
  CHECK(c.lag(13.0).messages == 0);
  CHECK(c.lag(13.0).seconds == 0);
  c.observe(310, 300, 14.0);  // new messages: counts from when the end was last at 300
  CHECK(c.lag(14.0).seconds == Approx(1.5));
}

TEST_CASE("lag clock: a long lag keeps a bounded history and stays an upper bound",
          "[follow]") {
  LagClock c;
  for (int i = 0; i < 10000; ++i) c.observe(1000 + i * 10, 0, i * 0.1);
  Lag lag = c.lag(1000.0);
  CHECK(lag.messages == 1000 + 9999 * 10);
  CHECK(lag.seconds == Approx(1000.0));
  c.observe(1000 + 9999 * 10, 50000, 1000.0);
  // The end passed 50000 at about 490 s: the bound is within the thinned interval.
  CHECK(c.lag(1000.0).seconds <= 1000.0 - 480.0);
  CHECK(c.lag(1000.0).seconds >= 1000.0 - 491.0);
}

TEST_CASE("job lag: messages summed, seconds and name of the worst partition", "[follow]") {
  std::vector<Lag> parts{
      {true, 5, 0.5, false}, {false, 0, 0, false}, {true, 100, 2.0, false}, {true, 300, 2.0, false}};
  JobLag job = job_lag(parts);
  CHECK(job.total.known);
  CHECK(job.total.messages == 405);
  CHECK(job.total.seconds == Approx(2.0));
  CHECK(job.worst == 3);
  CHECK(job_lag({}).worst == -1);
  CHECK(lag_text(job.total) == "lag 405 msgs 2.0s");
  CHECK(lag_text(Lag{}) == "lag unknown");
}

TEST_CASE("until-lag: every partition known and within the limit", "[follow]") {
  LagLimit messages{10, -1}, seconds{-1, 2.0};
  std::vector<Lag> close{{true, 10, 3.0, false}, {true, 0, 0, false}};
  CHECK(within_lag(messages, close));
  CHECK_FALSE(within_lag(seconds, close));
  CHECK_FALSE(within_lag(messages, {{true, 11, 0.1, false}}));
  CHECK_FALSE(within_lag(messages, {{true, 0, 0, false}, {false, 0, 0, false}}));  // not fetched
  CHECK_FALSE(within_lag(LagLimit{}, close));                        // no limit: never
}

TEST_CASE("until-lag values: messages or a duration", "[follow][options]") {
  LagLimit l;
  REQUIRE(parse_lag_limit("1000", &l));
  CHECK(l.messages == 1000);
  CHECK(l.seconds < 0);
  REQUIRE(parse_lag_limit("2s", &l));
  CHECK(l.seconds == Approx(2.0));
  CHECK(l.messages < 0);
  REQUIRE(parse_lag_limit("500ms", &l));
  CHECK(l.seconds == Approx(0.5));
  REQUIRE(parse_lag_limit("1m", &l));
  CHECK(l.seconds == Approx(60));
  CHECK_FALSE(parse_lag_limit("-1", &l));
  CHECK_FALSE(parse_lag_limit("2h", &l));
  CHECK_FALSE(parse_lag_limit("s", &l));
  CHECK_FALSE(parse_lag_limit("", &l));
}

TEST_CASE("follow mode copies planned partitions whose range was empty", "[follow]") {
  std::vector<ck::Record> records(3);
  records[0].action = "skip", records[0].start = 50, records[0].end = 50;
  records[0].reason = "all consumed";
  records[1].action = "skip", records[1].start = 0, records[1].end = 10;  // by choice
  records[2].action = "copy", records[2].start = 0, records[2].end = 10;
  follow_empty_ranges(&records);
  CHECK(records[0].action == "copy");
  CHECK(records[0].reason.empty());
  CHECK(records[1].action == "skip");
  CHECK(records[2].action == "copy");
}

TEST_CASE("the progress line in follow mode shows the job's lag and the worst partition's",
          "[follow]") {
  Totals t;
  t.messages = 1000;
  t.estimate = 5000;
  t.follow = true;
  t.lag = {true, 405, 2.0, false};
  t.worst = "topic t partition 3";
  t.worst_lag = {true, 300, 2.0, false};
  std::string text = progress_text(t, 10);
  CHECK(text.find("100 msg/s lag 405 msgs 2.0s, worst topic t partition 3 lag 300 msgs 2.0s") !=
        std::string::npos);
  CHECK(text.find("ETA") == std::string::npos);  // follow mode has no end to reach
}
