#!/usr/bin/env bash
# The runbook end to end: a pre-copy in follow mode while producers write and a group reads
# on the source, --until-lag stops it; the clients stop; the final ck-plan | ck-copy with the
# same job copies only the delta and places every group, including a position inside the
# pre-copied range; ck-verify --exact-groups --content is silent; real consumers of every
# group on the target read exactly the messages they had not read on the source.
source "$(dirname "$0")/lib.sh"

topic=$(name cutover)
make_topic "$SRC" "$topic" 2 >/dev/null
for p in 0 1; do ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n 5000 --size 100 --seed "$p" 2>/dev/null; done
g=$(name reader) g2=$(name idle)
commit_retry -b "$SRC" -g "$g" -t "$topic" -p 0 -o 1000
commit_retry -b "$SRC" -g "$g" -t "$topic" -p 1 -o 800
commit_retry -b "$SRC" -g "$g2" -t "$topic" -p 0 -o 200
commit_retry -b "$SRC" -g "$g2" -t "$topic" -p 1 -o 300

start_producer "$topic"
job=$(name job)

# 1. Pre-copy while the source is live; the reading group moves on meanwhile.
ck-testkit consume -b "$SRC" -g "$g" -t "$topic" --max 2000 >/dev/null 2>&1 &
reader=$!
ck-plan -s "$SRC" --topic "$topic" -q >"$WORK/plan1.ndjson"
expect_eq "first plan's starts" "$(jq -s -c 'map([.partition, .start])' "$WORK/plan1.ndjson")" "[[0,200],[1,300]]"
ck-copy -s "$SRC" -t "$DST" --job "$job" --create-topics --follow --until-lag 3000 --no-progress \
  -i "$WORK/plan1.ndjson" >"$WORK/pre.ndjson" 2>"$WORK/pre.err" ||
  fail "pre-copy in follow mode: $(tail -n 3 "$WORK/pre.err")"
wait "$reader" || true
kill -0 "$producer" 2>/dev/null || fail "the producers stopped before the pre-copy did"

# 2. The clients stop: producers first, then the reading group takes one last step.
touch "$WORK/stop"
wait "$producer"
ck-testkit consume -b "$SRC" -g "$g" -t "$topic" --max 700 >/dev/null 2>&1
ck-testkit group-offsets -b "$SRC" -g "$g" | jq -c '[.partition, .offset]' >"$WORK/g.source"

# 3. The final delta: a fresh plan, the same job.
ck-plan -s "$SRC" --topic "$topic" -q >"$WORK/plan2.ndjson"
ck-copy -s "$SRC" -t "$DST" --job "$job" --no-progress -i "$WORK/plan2.ndjson" \
  >"$WORK/final.ndjson" 2>"$WORK/final.err" || fail "final delta: $(tail -n 3 "$WORK/final.err")"
expect_eq "statuses of the final delta" "$(jq -r .status "$WORK/final.ndjson" | sort -u | tr '\n' ' ')" "copied "
for p in 0 1; do
  placed=$(jq -r "select(.partition==$p) | .target_groups | keys | sort | join(\" \")" "$WORK/final.ndjson")
  expect_eq "partition $p: groups placed by the final delta" "$placed" "$(printf '%s\n' "$g" "$g2" | sort | paste -sd' ')"
done

# 4. The proof, from the source alone: silent, exit 0.
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --exact-groups --content <"$WORK/final.ndjson"
expect_eq "ck-verify's words on a clean cutover" "$(cat "$WORK/err")" ""

# 5. One contiguous copy of each partition from the job's first start, each message once.
expect_same_messages "$topic" 2 "$WORK/plan1.ndjson" >/dev/null

# 6. Switch: every group's consumers on the target read exactly what they had left.
consumers_read_the_rest "$topic" 2 "$g" "$g2"
pass "pre-copy in follow mode, final delta, every group exact, consumers read the rest"
