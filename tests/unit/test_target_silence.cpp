// The one clock of ck-copy's give-up path: a dead target costs --timeout once, whichever
// waits (deliveries, commit, abort) follow each other; an idle or answering one never runs
// it out.
#include <catch2/catch.hpp>

#include "../../tools/ck-copy/target_silence.hpp"

using ck::copy::TargetSilence;
using Clock = TargetSilence::Clock;
using std::chrono::milliseconds;

TEST_CASE("silence: a target owed an answer runs out --timeout after its last answer",
          "[target_silence]") {
  auto t0 = Clock::now();
  TargetSilence s(milliseconds(10000), t0);
  s.answered();
  s.observe(true, t0 + milliseconds(1000));  // last answer at 1 s
  s.observe(true, t0 + milliseconds(7000));  // owed, nothing heard since
  CHECK(s.deadline() == t0 + milliseconds(11000));
  // An abort starting at 7 s gets what is left of the 10 s, not 10 s more.
  CHECK(s.bound(t0 + milliseconds(17000)) == t0 + milliseconds(11000));
  // A step whose own deadline comes first keeps it.
  CHECK(s.bound(t0 + milliseconds(9000)) == t0 + milliseconds(9000));
}

TEST_CASE("silence: answers and owing nothing both restart the clock", "[target_silence]") {
  auto t0 = Clock::now();
  TargetSilence s(milliseconds(10000), t0);
  s.observe(false, t0 + milliseconds(30000));  // idle for 30 s: not silent
  CHECK(s.deadline() == t0 + milliseconds(40000));
  s.observe(true, t0 + milliseconds(35000));  // owed, no answer: the clock stays
  CHECK(s.deadline() == t0 + milliseconds(40000));
  s.answered();  // a delivery report between two polls
  s.observe(true, t0 + milliseconds(36000));
  CHECK(s.deadline() == t0 + milliseconds(46000));
  s.heard(t0 + milliseconds(38000));  // a transactional call returned
  CHECK(s.deadline() == t0 + milliseconds(48000));
  s.observe(true, t0 + milliseconds(39000));  // the answer was consumed by heard()
  CHECK(s.deadline() == t0 + milliseconds(48000));
}
