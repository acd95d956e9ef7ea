#!/usr/bin/env bash
# After ck-plan | ck-copy, a real consumer of each group on the target reads exactly the
# messages that group had not read on the source: same first message, same count, same
# order. On a transactional source (aborted transactions and markers in the range) and on
# a compacted source (group offsets that fall into compaction gaps).
source "$(dirname "$0")/lib.sh"
g123=$(name test123-group)
g34=$(name test34-group)

# --- transactional source: committed and aborted transactions, markers between.
topic=$(name txn)
make_topic "$SRC" "$topic" 2
for p in 0 1; do
  ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 300 --txn commit --txn-size 50 --seed 1 2>/dev/null
  ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 60 --txn abort --txn-size 60 --seed 2 2>/dev/null
  ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 200 --txn commit --txn-size 40 --seed 3 2>/dev/null
done
# test123-group is behind test34-group; 312 sits inside the aborted transaction.
for p in 0 1; do
  ck-testkit commit -b "$SRC" -g "$g123" -t "$topic" -p "$p" -o 120
  ck-testkit commit -b "$SRC" -g "$g34" -t "$topic" -p "$p" -o $((p == 0 ? 312 : 400))
done
ck-plan -s "$SRC" --topic "$topic" -q >"$WORK/plan.ndjson"
expect_eq "plan start (smallest committed offset)" "$(jq -s 'map(.start) | unique' -c "$WORK/plan.ndjson")" "[120]"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --create-topics --no-progress <"$WORK/plan.ndjson"
consumers_read_the_rest "$topic" 2 "$g123" "$g34"

# --- compacted source: most old values removed, so group offsets land in gaps.
topic=$(name compact)
make_topic "$SRC" "$topic" 1 cleanup.policy=compact segment.ms=100 min.cleanable.dirty.ratio=0.01 \
  delete.retention.ms=100 min.compaction.lag.ms=0
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 2000 --size 50 --key-every 7 2>/dev/null
hw=$(wait_compacted "$SRC" "$topic")
ck-testkit commit -b "$SRC" -g "$g123" -t "$topic" -p 0 -o 500    # in a gap
ck-testkit commit -b "$SRC" -g "$g34" -t "$topic" -p 0 -o $((hw - 3))
ck-plan -s "$SRC" --topic "$topic" -q >"$WORK/plan.ndjson"
expect_exit 0 ck-copy -s "$SRC" -t "$DST" --create-topics --no-progress <"$WORK/plan.ndjson"
consumers_read_the_rest "$topic" 1 "$g123" "$g34"
pass "real consumers resumed exactly on transactional and compacted sources"
