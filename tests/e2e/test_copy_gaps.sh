#!/usr/bin/env bash
# Offsets with gaps: a transactional source (committed and aborted transactions: only
# the committed messages are copied; markers and aborted data leave gaps), and a
# compacted topic whose cleaner removed old values. Counts are message counts.
source "$(dirname "$0")/lib.sh"

# --- transactions
topic=$(name txn)
make_topic "$SRC" "$topic" 1 retention.ms=-1 >/dev/null
make_topic "$DST" "$topic" 1 retention.ms=-1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 1000 --txn commit --txn-size 100 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 500 --txn abort --txn-size 100 --seed 2 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 1000 --txn commit --txn-size 250 --seed 3 2>/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 300 --txn abort --txn-size 300 --seed 4 2>/dev/null
end=$(ck-testkit offsets -b "$SRC" -t "$topic" | jq .last_stable)
echo "{\"v\":1,\"topic\":\"$topic\",\"partition\":0,\"start\":0,\"end\":$end}" >"$WORK/plan.ndjson"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan.ndjson"
expect_eq "transactional result" "$(jq -c '[.status, .copied]' "$WORK/out")" '["copied",2000]'
ck-testkit dump -b "$SRC" -t "$topic" >"$WORK/src"
ck-testkit dump -b "$DST" -t "$topic" >"$WORK/dst"
expect_eq "committed messages in the source" "$(count_lines "$WORK/src")" 2000
expect_eq "messages in the target" "$(count_lines "$WORK/dst")" 2000
cmp -s <(fingerprint "$WORK/src") <(fingerprint "$WORK/dst") || fail "transactional copy differs"
expect_eq "no aborted message copied" "$(ck-testkit dump -b "$DST" -t "$topic" --uncommitted | wc -l)" 2000

# --- compaction
topic=$(name compact)
compact=(cleanup.policy=compact segment.ms=100 min.cleanable.dirty.ratio=0.01
         delete.retention.ms=100 min.compaction.lag.ms=0)
make_topic "$SRC" "$topic" 1 "${compact[@]}" >/dev/null
make_topic "$DST" "$topic" 1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 3000 --size 50 --key-every 7 2>/dev/null
hw=$(wait_compacted "$SRC" "$topic")
echo "{\"v\":1,\"topic\":\"$topic\",\"partition\":0,\"start\":0,\"end\":$hw}" >"$WORK/plan.ndjson"
ck-testkit dump -b "$SRC" -t "$topic" --to "$hw" >"$WORK/src"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan.ndjson"
expect_eq "compacted result" "$(jq -c '[.status, .copied]' "$WORK/out")" "[\"copied\",$(count_lines "$WORK/src")]"
ck-testkit dump -b "$DST" -t "$topic" >"$WORK/dst"
cmp -s <(fingerprint "$WORK/src") <(fingerprint "$WORK/dst") || fail "compacted copy differs"
pass "compacted: $(count_lines "$WORK/src") messages in $hw offsets"
