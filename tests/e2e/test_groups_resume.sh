#!/usr/bin/env bash
# After ck-plan | ck-copy, a real consumer of each group on the target reads exactly the
# messages that group had not read on the source: same first message, same count, same
# order. On a transactional source (aborted transactions and markers in the range) and on
# a compacted source (group offsets that fall into compaction gaps).
source "$(dirname "$0")/lib.sh"
g123=$(name test123-group)
g34=$(name test34-group)

# consumers_read_the_rest TOPIC PARTITIONS: each group's consumer on the target reads
# what the source holds from that group's committed source offset to the end.
consumers_read_the_rest() {
  local topic=$1 partitions=$2 g p off
  for g in "$g123" "$g34"; do
    ck-testkit consume -b "$DST" -g "$g" -t "$topic" --idle-ms 4000 >"$WORK/read.$g" 2>/dev/null
    for ((p = 0; p < partitions; p++)); do
      off=$(ck-testkit group-offsets -b "$SRC" -g "$g" | jq -r "select(.topic==\"$topic\" and .partition==$p) | .offset")
      ck-testkit dump -b "$SRC" -t "$topic" -p "$p" --from "$off" | fingerprint >"$WORK/want"
      jq -c "select(.partition==$p)" "$WORK/read.$g" | fingerprint >"$WORK/got"
      expect_eq "$g on $topic/$p: messages read on the target" \
        "$(count_lines "$WORK/got")" "$(count_lines "$WORK/want")"
      expect_eq "$g on $topic/$p: first message read" "$(head -n 1 "$WORK/got")" "$(head -n 1 "$WORK/want")"
      cmp -s "$WORK/got" "$WORK/want" || fail "$g on $topic/$p: read other messages than it had left"
    done
  done
}

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
consumers_read_the_rest "$topic" 2

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
consumers_read_the_rest "$topic" 1
pass "real consumers resumed exactly on transactional and compacted sources"
