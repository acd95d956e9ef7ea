// The partition reader's pure parts: where an offset stands against its range, the stall
// watch, and the index from a message's topic handle to its partition's entry.
#include <catch2/catch.hpp>

#include "partition_reader.hpp"

using namespace ck;

TEST_CASE("range_place: before, inside, last, beyond", "[partition_reader]") {
  CHECK(range_place(99, 100, 200) == RangePlace::kBefore);
  CHECK(range_place(100, 100, 200) == RangePlace::kInside);
  CHECK(range_place(198, 100, 200) == RangePlace::kInside);
  CHECK(range_place(199, 100, 200) == RangePlace::kLast);
  CHECK(range_place(200, 100, 200) == RangePlace::kBeyond);
  // A gap (compaction, transaction markers) may jump past the last offset.
  CHECK(range_place(250, 100, 200) == RangePlace::kBeyond);
  // Beyond wins over before when the range is empty.
  CHECK(range_place(150, 160, 150) == RangePlace::kBeyond);
}

TEST_CASE("StallWatch: stalled only once the timeout passed since the last progress",
          "[partition_reader]") {
  using namespace std::chrono;
  StallWatch w;
  auto t0 = steady_clock::now();
  w.progressed(t0);
  CHECK_FALSE(w.stalled(t0 + milliseconds(999), milliseconds(1000)));
  CHECK(w.stalled(t0 + milliseconds(1000), milliseconds(1000)));
  w.progressed(t0 + milliseconds(1500));
  CHECK_FALSE(w.stalled(t0 + milliseconds(2000), milliseconds(1000)));
}
