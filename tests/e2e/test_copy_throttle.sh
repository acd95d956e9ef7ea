#!/usr/bin/env bash
# --max-rate: a copy of 40 MB at 2 MiB/s moves within 10% of the limit: key and value bytes
# over the copy loop's time (ck-copy -vv's timeline, from the first message read to the
# loop's end; the 1 s burst included). The whole run's rate, startup included, is printed
# beside it. Bad rates exit 2 with one line.
source "$(dirname "$0")/lib.sh"

topic=$(name throttle)
make_topic "$SRC" "$topic" 2 >/dev/null
make_topic "$DST" "$topic" 2 >/dev/null
n=20000 size=1000
for p in 0 1; do ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n "$n" --size "$size" --seed "$p" 2>/dev/null; done
plan_topic "$SRC" "$topic" >"$WORK/plan.ndjson"
# Keys are "k0".."k19999" in each partition: 1 + digits bytes each.
key_bytes=$(awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) s += 1 + length(i ""); print 2 * s }')
bytes=$((2 * n * size + key_bytes))
rate=$((2 * 1024 * 1024))

start=$(date +%s.%N)
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --job "$(name job)" --max-rate 2M --no-progress -vv -i "$WORK/plan.ndjson"
end=$(date +%s.%N)
expect_eq "messages copied" "$(jq -s 'map(.copied) | add' "$WORK/out")" $((2 * n))
at() { grep -o "$1 at [0-9.]* s" "$WORK/err" | awk '{ print $(NF - 1) }'; }
first=$(at "first messages read") last=$(at "copy loop ended")
[[ -n $first && -n $last ]] || fail "no timeline in ck-copy -vv: $(tail -n 3 "$WORK/err")"
ratio=$(awk -v b="$bytes" -v s="$first" -v e="$last" -v r="$rate" 'BEGIN { printf "%.3f", b / (e - s) / r }')
whole=$(awk -v b="$bytes" -v s="$start" -v e="$end" -v r="$rate" 'BEGIN { printf "%.3f", b / (e - s) / r }')
echo "copied $bytes bytes in $(awk -v s="$first" -v e="$last" 'BEGIN { printf "%.1f", e - s }') s: $ratio x the limit ($whole x over the whole run)" >&2
awk -v x="$ratio" 'BEGIN { exit !(x >= 0.9 && x <= 1.1) }' ||
  fail "copy rate $ratio x the 2 MiB/s limit, not within 10%"

for bad in 0 -5 2X fast; do
  expect_exit 2 ck-copy -s "$SRC" -t "$DST" "--max-rate=$bad" -i "$WORK/plan.ndjson"
  expect_eq "one line for --max-rate $bad" "$(count_lines "$WORK/err")" 1
  expect_contains "error for --max-rate $bad" "$(cat "$WORK/err")" "ck-copy: error: option '--max-rate': expected bytes per second"
done
pass "2 MiB/s limit held at ${ratio}x over the run"
