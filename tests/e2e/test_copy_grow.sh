#!/usr/bin/env bash
# A job grows while the source is live: ck-plan | ck-copy --job J, consumers move on and
# producers write, then ck-plan | ck-copy --job J again copies only the new messages and
# places every group exactly, also groups whose new position lies in what the first run
# copied (through the offset index). Also: a partition joining the job (the first plan was
# edited with jq to leave it out), a jq-edited newer plan starting beyond where the job
# stopped (filled, no hole), a plan going backwards (refused, target untouched), and
# kill -9 during a run of the grown job followed by a rerun: exact. Then ck-copy --translate
# of a few source offsets, checked against what the target holds.
source "$(dirname "$0")/lib.sh"

topic=$(name grow)
ga=$(name ga) gb=$(name gb)
make_topic "$SRC" "$topic" 2 >/dev/null
make_topic "$DST" "$topic" 2 >/dev/null
job=$(name job)
copy=(ck-copy -s "$SRC" -t "$DST" --job "$job" --no-progress)
# Partition 0 transactional with an aborted transaction (gaps in its offsets), 1 plain.
produce() {  # seed
  ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 300 --txn commit --txn-size 50 --seed "$1" 2>/dev/null
  ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 40 --txn abort --txn-size 40 --seed "$1" 2>/dev/null
  ck-testkit gen -b "$SRC" -t "$topic" -p 1 -n 300 --seed "$1" 2>/dev/null
}
advance() {  # group partition offset
  commit_retry -b "$SRC" -g "$1" -t "$topic" -p "$2" -o "$3"
}
plan() { ck-plan -s "$SRC" --topic "^${topic//./\\.}\$" -q; }
hw() { ck-testkit offsets -b "$DST" -t "$topic" | jq -s -c 'map(.high_watermark)'; }
# The target holds exactly the source from the job's first start on partition P.
expect_copy_exact() {  # partition first_start
  ck-testkit dump -b "$SRC" -t "$topic" -p "$1" --from "$2" | fingerprint >"$WORK/src.$1"
  ck-testkit dump -b "$DST" -t "$topic" -p "$1" | fingerprint >"$WORK/dst.$1"
  expect_eq "partition $1: target count" "$(count_lines "$WORK/dst.$1")" "$(count_lines "$WORK/src.$1")"
  cmp -s "$WORK/src.$1" "$WORK/dst.$1" || fail "partition $1: target differs from the source from $2"
}
# Group G sits exactly where it stopped in the source: what it has left to read in the
# target is what it had left in the source (count and first message).
expect_group_exact() {  # group partition
  local src_off dst_off
  src_off=$(ck-testkit group-offsets -b "$SRC" -g "$1" | jq -r "select(.topic==\"$topic\" and .partition==$2) | .offset")
  dst_off=$(ck-testkit group-offsets -b "$DST" -g "$1" | jq -r "select(.topic==\"$topic\" and .partition==$2) | .offset")
  [[ -n $dst_off ]] || fail "group $1 has no offset on partition $2 in the target"
  ck-testkit dump -b "$SRC" -t "$topic" -p "$2" --from "$src_off" | fingerprint >"$WORK/left.src"
  ck-testkit dump -b "$DST" -t "$topic" -p "$2" --from "$dst_off" | fingerprint >"$WORK/left.dst"
  expect_eq "group $1 partition $2: messages left" "$(count_lines "$WORK/left.dst")" "$(count_lines "$WORK/left.src")"
  expect_eq "group $1 partition $2: next message" "$(head -n 1 "$WORK/left.dst")" "$(head -n 1 "$WORK/left.src")"
}

# --- run 1: partition 0 only (jq-edited plan), groups at 100 and 250.
produce 1
advance "$ga" 0 100; advance "$gb" 0 250; advance "$ga" 1 50; advance "$gb" 1 200
plan | jq -c 'select(.partition == 0)' >"$WORK/plan1"
expect_eq "first start" "$(jq .start "$WORK/plan1")" 100
"${copy[@]}" -i "$WORK/plan1" >"$WORK/out1" 2>"$WORK/err1" || fail "run 1: $(tail -n 3 "$WORK/err1")"
expect_copy_exact 0 100
first1=$(count_lines "$WORK/dst.0")

# --- consumers move on (ga into what run 1 copied, gb into the aborted transaction after
# it), producers write; run 2 with the full plan: partition 1 joins the job.
advance "$ga" 0 200; advance "$gb" 0 330; advance "$ga" 1 120; advance "$gb" 1 260
produce 2
plan >"$WORK/plan2"
expect_eq "newer start" "$(jq -s -c 'map(.start)' "$WORK/plan2")" "[200,120]"
"${copy[@]}" -i "$WORK/plan2" >"$WORK/out2" 2>"$WORK/err2" || fail "run 2: $(tail -n 3 "$WORK/err2")"
expect_copy_exact 0 100
expect_copy_exact 1 120
expect_eq "run 2 copied only the new messages of partition 0" \
  "$(($(count_lines "$WORK/dst.0") - first1))" 300
for g in "$ga" "$gb"; do for p in 0 1; do expect_group_exact "$g" "$p"; done; done
expect_eq "no group left alone" "$(jq -c 'select(.groups_left) | .groups_left' "$WORK/out2")" ""
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --exact-groups --content -i "$WORK/out2"

# --- run 3, a jq-edited newer plan starting beyond where the job stopped: filled from there.
advance "$ga" 0 600; advance "$gb" 0 650
produce 3
plan | jq -c 'if .partition == 0 then .start = .end - 10 else . end' >"$WORK/plan3"
"${copy[@]}" -i "$WORK/plan3" >"$WORK/out3" 2>"$WORK/err3" || fail "run 3: $(tail -n 3 "$WORK/err3")"
expect_copy_exact 0 100
expect_copy_exact 1 120
for g in "$ga" "$gb"; do for p in 0 1; do expect_group_exact "$g" "$p"; done; done

# --- a plan going backwards: refused before anything is written.
before=$(hw)
jq -c 'if .partition == 0 then .start = 50 else . end' "$WORK/plan3" >"$WORK/plan4"
expect_exit 1 "${copy[@]}" -i "$WORK/plan4"
expect_contains "backwards refused" "$(cat "$WORK/err")" \
  "$WORK/plan4:1: topic $topic partition 0: the plan starts at 50, before job $job's first start 100: a job only grows forwards"
expect_eq "target untouched" "$(hw)" "$before"

# --- kill -9 during a run of the grown job (small transactions), then the same command.
ck-testkit gen -b "$SRC" -t "$topic" -p 1 -n 60000 --size 20 --seed 5 2>/dev/null
advance "$ga" 1 1000; advance "$gb" 1 30000
# Every group read all of partition 0: the plan skips it ("all consumed"), the job still
# places its groups at the end of its copy.
end0=$(ck-testkit offsets -b "$SRC" -t "$topic" | jq 'select(.partition == 0) | .last_stable')
advance "$ga" 0 "$end0"; advance "$gb" 0 "$end0"
plan >"$WORK/plan5"
expect_eq "partition 0 skipped by the plan" "$(jq -r 'select(.partition == 0) | .reason' "$WORK/plan5")" "all consumed"
"${copy[@]}" --txn-size 500 -i "$WORK/plan5" >"$WORK/out5" 2>"$WORK/copy.err" &
pid=$!
wait_landed "$pid" "$topic" "$(( $(hw | jq add) + 20000 ))" "the kill"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
"${copy[@]}" -i "$WORK/plan5" >"$WORK/out5" 2>"$WORK/err5" || fail "rerun: $(tail -n 3 "$WORK/err5")"
expect_copy_exact 0 100
expect_copy_exact 1 120
for g in "$ga" "$gb"; do for p in 0 1; do expect_group_exact "$g" "$p"; done; done
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --exact-groups -i "$WORK/out5"

# --- translation for users: source positions in, target positions out, checked against
# what the target holds; an offset outside what the job copied is an error line.
cat >"$WORK/offsets" <<EOF2
{"topic":"$topic","partition":0,"offset":150,"app":"a"}
{"topic":"$topic","partition":0,"offset":330}
{"topic":"$topic","partition":0,"offset":700}
{"topic":"$topic","partition":1,"offset":121}
{"topic":"$topic","partition":1,"offset":45000}
{"topic":"$topic","partition":0,"offset":50}
EOF2
expect_exit 1 ck-copy --translate --job "$job" -t "$DST" -i "$WORK/offsets"
expect_eq "translated lines" "$(count_lines "$WORK/out")" 5
expect_eq "kept fields" "$(head -n 1 "$WORK/out" | jq -c '[.app, .offset]')" '["a",150]'
expect_contains "outside the copied range" "$(cat "$WORK/err")" \
  "ck-copy: error: $WORK/offsets:6: topic $topic partition 0: offset 50 is outside the copied range [100,"
while read -r line; do
  p=$(jq .partition <<<"$line") off=$(jq .offset <<<"$line") t=$(jq .target_offset <<<"$line")
  expect_eq "offset $off of partition $p: the message at its target offset $t" \
    "$(ck-testkit dump -b "$DST" -t "$topic" -p "$p" --from "$t" | head -n 1 | fingerprint)" \
    "$(ck-testkit dump -b "$SRC" -t "$topic" -p "$p" --from "$off" | head -n 1 | fingerprint)"
done <"$WORK/out"
pass "a job grew over five runs: the target holds the source once, every group exact"
