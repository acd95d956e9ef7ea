#!/usr/bin/env bash
# Two ck-copy processes on the same job cannot both write: the second one's
# init_transactions fences the first, which stops with exit 3 and says so; the
# second finishes the job exactly once.
source "$(dirname "$0")/lib.sh"

topic=$(name fence)
make_topic "$SRC" "$topic" 1 retention.ms=-1 >/dev/null
make_topic "$DST" "$topic" 1 retention.ms=-1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 60000 --size 20 2>/dev/null
echo "{\"v\":1,\"topic\":\"$topic\",\"partition\":0,\"start\":0,\"end\":60000}" >"$WORK/plan"
copy=(ck-copy -s "$SRC" -t "$DST" --job "$(name job)" --txn-size 200 --no-progress -i "$WORK/plan")
"${copy[@]}" >"$WORK/first.out" 2>"$WORK/first.err" &
first=$!
for _ in $(seq 1 200); do
  (($(ck-testkit offsets -b "$DST" -t "$topic" | jq .high_watermark) >= 5000)) && break
  sleep 0.05
done
expect_exit 0 "${copy[@]}"
code=0
wait "$first" || code=$?
expect_eq "the fenced copy's exit code" "$code" 3
expect_contains "the fenced copy says why" "$(cat "$WORK/first.err")" "fenced: another ck-copy"
expect_eq "second copy's result" "$(jq -c '[.status, .copied]' "$WORK/out")" '["copied",60000]'
expect_eq "exactly once" "$(ck-testkit dump -b "$DST" -t "$topic" | jq -r .key | sort -u | wc -l)" 60000
expect_eq "no duplicates" "$(ck-testkit dump -b "$DST" -t "$topic" | wc -l)" 60000
pass
