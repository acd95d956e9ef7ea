#!/usr/bin/env bash
# Scale-out: one plan split four ways with --shard, four ck-copy at once through GNU
# parallel, then ck-verify of the whole plan: every partition copied once and exactly
# (counts, content digests), every consumer group placed.
source "$(dirname "$0")/lib.sh"
command -v parallel >/dev/null || fail "GNU parallel not installed (scripts/install-deps.sh)"

a=$(name a) b=$(name b) job=$(name job)
declare -A parts=([$a]=12 [$b]=4)
for t in "$a" "$b"; do
  make_topic "$SRC" "$t" "${parts[$t]}" >/dev/null
  make_topic "$DST" "$t" "${parts[$t]}" >/dev/null
  for ((p = 0; p < parts[$t]; p++)); do
    ck-testkit gen -b "$SRC" -t "$t" -p "$p" -n $((100 + 10 * p)) --seed "$p" --key-every 7 2>/dev/null
  done
done
# Groups on every partition, each at its own position: g1 has read nothing (so the plan
# starts at offset 0 and the whole partitions are compared), g2 is halfway.
g1=$(name g1) g2=$(name g2)
commits=()  # the 32 commits at once, each a process of its own
for t in "$a" "$b"; do
  for ((p = 0; p < parts[$t]; p++)); do
    commit_retry -b "$SRC" -g "$g1" -t "$t" -p "$p" -o 0 & commits+=($!)
    commit_retry -b "$SRC" -g "$g2" -t "$t" -p "$p" -o $((50 + 3 * p)) & commits+=($!)
  done
done
for pid in "${commits[@]}"; do wait "$pid" || fail "a group commit on the source failed"; done

ck-plan -s "$SRC" --topic "$a|$b" --group "$g1|$g2" >"$WORK/plan.ndjson" 2>"$WORK/plan.err" \
  || fail "ck-plan: $(cat "$WORK/plan.err")"
expect_eq "plan records" "$(count_lines "$WORK/plan.ndjson")" 16

# Four shards at once, each its own process (and transactional id), as on four hosts.
export SRC DST job WORK
parallel -j4 --halt now,fail=1 --joblog "$WORK/joblog" \
  'ck-copy -s "$SRC" -t "$DST" --job "$job" --shard {}/4 -q -i "$WORK/plan.ndjson" \
     >"$WORK/copied.{}" 2>"$WORK/err.{}"' ::: 1 2 3 4 \
  || fail "a shard failed: $(cat "$WORK"/err.*)"
# They ran together: each started before any other had ended.
jq -Rse 'split("\n")[1:] | map(select(length > 0) | split("\t") | {start: (.[2] | tonumber),
  end: ((.[2] | tonumber) + (.[3] | tonumber))}) | (map(.start) | max) < (map(.end) | min)' \
  "$WORK/joblog" >/dev/null || fail "the shards did not overlap: $(cat "$WORK/joblog")"
for i in 1 2 3 4; do
  [[ $(count_lines "$WORK/copied.$i") -gt 0 ]] || fail "shard $i copied no partition"
done
expect_eq "each partition in exactly one shard" \
  "$(cat "$WORK"/copied.? | jq -r '"\(.topic) \(.partition)"' | sort | uniq -d)" ""
expect_eq "the shards cover the plan" \
  "$(cat "$WORK"/copied.? | jq -r '"\(.topic) \(.partition) \(.status)"' | sort)" \
  "$(jq -r '"\(.topic) \(.partition) copied"' "$WORK/plan.ndjson" | sort)"

cat "$WORK"/copied.? >"$WORK/copied.ndjson"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" --content --json -i "$WORK/copied.ndjson"
expect_eq "verify verdicts" "$(jq -r .verdict "$WORK/out" | sort | uniq -c | awk '{print $1, $2}')" "16 ok"
expect_eq "group checks" "$(jq -r '.group_checks[].verdict' "$WORK/out" | sort | uniq -c | awk '{print $1, $2}')" \
  "32 ok"
n=$(expect_same_messages "$a" 12)
m=$(expect_same_messages "$b" 4)
expect_eq "messages compared" "$((n + m))" "$(jq -s 'map(.end - .start) | add' "$WORK/plan.ndjson")"
pass "4 shards at once, $((n + m)) messages, 32 group positions"
