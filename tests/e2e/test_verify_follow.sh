#!/usr/bin/env bash
# ck-verify against a job still copying in follow mode while producers write: exit 4 with
# "behind by N messages" per partition (0 < N <= what the source holds past the plan's
# start), the groups "not yet placed", the gauges, with --content --exact-groups too; target
# data deleted inside the copied part of one partition is still exit 1 while following. After
# the producers stop, SIGTERM and the final delta of the same job: silent, exit 0.
source "$(dirname "$0")/lib.sh"

follow_fixture 3000

start_producer "$topic"
job=$(name job)
# Throttled below the producers' rate: the target stays behind while it follows.
ck-copy -s "$SRC" -t "$DST" --job "$job" --follow --no-progress --max-rate 60k --txn-size 200 \
  -i "$WORK/plan.ndjson" >"$WORK/precopy.ndjson" 2>"$WORK/copy.err" &
copier=$!
trap 'touch "$WORK/stop"; kill $producer $copier 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_landed "$copier" "$topic" 1500 "ck-verify while following"
verify=(ck-verify -s "$SRC" -t "$DST" --job "$job" -i "$WORK/plan.ndjson")

expect_exit 4 "${verify[@]}" --prometheus "$WORK/verify.prom"
err=$(cat "$WORK/err")
expect_contains "summary" "$err" "ck-verify: in progress: 2 partitions behind the source by"
expect_contains "groups wait for the final run" "$err" "group $g: not yet placed"
[[ $err != *mismatch* && $err != *"source has"* ]] || fail "a problem reported while following: $err"
ck-testkit offsets -b "$SRC" -t "$topic" >"$WORK/offsets"
for p in 0 1; do
  line=$(grep "partition $p: behind by" <<<"$err") || fail "partition $p: no behind line in: $err"
  [[ $line =~ ^ck-verify:\ topic\ $topic\ partition\ $p:\ behind\ by\ ([0-9]+)\ messages\ \(about\ [0-9.]+\ s\):\ the\ job\ is\ still\ copying ]] ||
    fail "partition $p: behind line: $line"
  n=${BASH_REMATCH[1]}
  start=$(jq "select(.partition==$p) | .start" "$WORK/plan.ndjson")
  most=$(($(jq "select(.partition==$p) | .last_stable" "$WORK/offsets") - start))
  ((n > 0 && n <= most)) || fail "partition $p: behind by $n, expected 1..$most"
  grep -q "^ck_verify_behind_messages{topic=\"$topic\",partition=\"$p\"} [1-9]" "$WORK/verify.prom" ||
    fail "partition $p: no behind gauge in $(cat "$WORK/verify.prom")"
done
grep -q '^ck_verify_in_progress 1$' "$WORK/verify.prom" || fail "ck_verify_in_progress is not 1"
expect_exit 4 "${verify[@]}" --content --exact-groups

# Target messages deleted inside the copied part of the partition copied furthest: a
# mismatch, exit 1, the others still reported behind.
t=$(ck-testkit offsets -b "$DST" -t "$topic" | jq -s 'max_by(.high_watermark) | .partition')
other=$((1 - t))
ck-testkit delete-records -b "$DST" -t "$topic" -p "$t" -o 10 >/dev/null
expect_exit 1 "${verify[@]}"
expect_contains "the deleted messages" "$(cat "$WORK/err")" "partition $t: source has"
expect_contains "the others still behind" "$(cat "$WORK/err")" "partition $other: behind by"

# Producers stop, the job stops (SIGTERM, all committed), the final delta of the same job
# without the tampered partition: silent, exit 0.
touch "$WORK/stop"
wait "$producer"
kill -TERM "$copier"
code=0
wait "$copier" || code=$?
expect_eq "follow mode's exit at SIGTERM" "$code" 143
ck-plan -s "$SRC" --topic "$topic" -q | jq -c --argjson t "$t" 'select(.partition != $t)' >"$WORK/final-plan.ndjson"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --job "$job" -i "$WORK/final-plan.ndjson"
cp "$WORK/out" "$WORK/final.ndjson"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --job "$job" -i "$WORK/final.ndjson" --content --exact-groups
expect_eq "stderr after the final delta" "$(cat "$WORK/err")" ""
pass "exit 4 behind while following, exit 1 on a real mismatch, silent exit 0 after the final delta"
