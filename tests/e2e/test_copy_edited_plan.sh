#!/usr/bin/env bash
# A plan edited with jq is copied as edited (a topic removed, a start moved), and
# --shard i/n splits the records into disjoint shards that together cover the plan.
source "$(dirname "$0")/lib.sh"

keep=$(name keep) drop=$(name drop) sharded=$(name sharded)
for t in "$keep" "$drop"; do
  make_topic "$SRC" "$t" 2 retention.ms=-1 >/dev/null
  make_topic "$DST" "$t" 2 retention.ms=-1 >/dev/null
  for p in 0 1; do ck-testkit gen -b "$SRC" -t "$t" -p $p -n 50 --seed $p 2>/dev/null; done
done
for t in "$keep" "$drop"; do for p in 0 1; do
  echo "{\"v\":1,\"type\":\"plan\",\"topic\":\"$t\",\"partition\":$p,\"action\":\"copy\",\"start\":0,\"end\":50,\"groups\":{},\"groups_without_commit\":[]}"
done; done >"$WORK/plan"

jq -c --arg drop "$drop" --arg keep "$keep" 'select(.topic != $drop)
  | if .topic == $keep and .partition == 1 then .start = 20 else . end' "$WORK/plan" \
  | ck-copy -s "$SRC" -t "$DST" >"$WORK/result" 2>"$WORK/err" || fail "copy failed: $(cat "$WORK/err")"
expect_eq "results" "$(jq -c '[.topic == "'"$keep"'", .partition, .copied]' "$WORK/result" | sort | tr -d '\n')" \
  '[true,0,50][true,1,30]'
expect_eq "dropped topic untouched" "$(ck-testkit dump -b "$DST" -t "$drop" | wc -l)" 0
ck-testkit dump -b "$SRC" -t "$keep" -p 1 --from 20 >"$WORK/src"
ck-testkit dump -b "$DST" -t "$keep" -p 1 >"$WORK/dst"
cmp -s <(fingerprint "$WORK/src") <(fingerprint "$WORK/dst") || fail "moved start not honoured"

# --shard: 8 partitions over 3 shards, each its own job (transactional id)
make_topic "$SRC" "$sharded" 8 retention.ms=-1 >/dev/null
make_topic "$DST" "$sharded" 8 retention.ms=-1 >/dev/null
for p in $(seq 0 7); do
  ck-testkit gen -b "$SRC" -t "$sharded" -p "$p" -n 10 --seed "$p" 2>/dev/null
  echo "{\"v\":1,\"topic\":\"$sharded\",\"partition\":$p,\"start\":0,\"end\":10}"
done >"$WORK/plan2"
for i in 1 2 3; do
  ck-copy -s "$SRC" -t "$DST" --shard "$i/3" -i "$WORK/plan2" >"$WORK/shard$i" 2>"$WORK/err" \
    || fail "shard $i failed: $(cat "$WORK/err")"
done
expect_eq "shards cover the plan once" "$(cat "$WORK"/shard? | jq .partition | sort -n | tr '\n' ' ')" "0 1 2 3 4 5 6 7 "
expect_eq "all copied" "$(ck-testkit dump -b "$DST" -t "$sharded" | wc -l)" 80
expect_exit 2 ck-copy -s "$SRC" -t "$DST" --shard 4/3 -i "$WORK/plan2"
expect_contains "bad shard" "$(cat "$WORK/err")" "option '--shard': expected I/N"
pass
