#!/usr/bin/env bash
# Preflight: nothing is written unless every record and every target topic is fit.
# A missing target topic is refused (exit 1, named) unless --create-topics, which
# creates it with the source's partition count; a partition-count mismatch is
# refused; malformed lines exit 3 with <stdin>:N:, one line each; a start below the source's log
# start (expired since planning) is one error naming topic and partition.
source "$(dirname "$0")/lib.sh"

topic=$(name pre)
make_topic "$SRC" "$topic" 3 retention.ms=-1 >/dev/null
for p in 0 1 2; do ck-testkit gen -b "$SRC" -t "$topic" -p $p -n 100 --seed $p 2>/dev/null; done
plan() { for p in 0 1 2; do echo "{\"v\":1,\"topic\":\"$1\",\"partition\":$p,\"start\":${2:-0},\"end\":100}"; done; }
target_topic_exists() { ck-testkit offsets -b "$DST" -t "$1" >/dev/null 2>&1; }

# missing target topic: refused, and not created
plan "$topic" >"$WORK/plan"
expect_exit 1 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan"
expect_contains "refusal names the topic" "$(cat "$WORK/err")" "topic $topic partition 0: topic does not exist in the target (--create-topics would create it with 3 partitions"
expect_eq "no result records" "$(count_lines "$WORK/out")" 0
target_topic_exists "$topic" && fail "the target topic was created without --create-topics"

# dry run with --create-topics: says so, creates nothing
expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan" --create-topics --dry-run
expect_eq "dry-run statuses" "$(jq -r .status "$WORK/out" | sort -u)" dry-run
expect_contains "dry run says what it would create" "$(cat "$WORK/err")" "would create topic $topic with 3 partitions"
expect_contains "dry run names the configs it would copy" "$(grep "would create" "$WORK/err")" "retention.ms=-1"
# dry run without --create-topics: the refusal says what --create-topics would create
expect_exit 1 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan" --dry-run
expect_contains "dry-run refusal says what would be created" "$(cat "$WORK/err")" "would create it with 3 partitions, replication factor the broker's default, configs"
target_topic_exists "$topic" && fail "a dry run created the target topic"
# a fetch.max.bytes above ck-copy's own receive.message.max.bytes default is taken as asked
expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan" --create-topics --dry-run \
  --source-set fetch.max.bytes=104857600
expect_eq "dry run with a large fetch.max.bytes" "$(jq -r .status "$WORK/out" | sort -u)" dry-run

# created on request, like the source's
expect_exit 0 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan" --create-topics
expect_eq "partitions created" "$(ck-testkit offsets -b "$DST" -t "$topic" | wc -l)" 3
expect_eq "copied" "$(jq -s 'map(.copied) | add' "$WORK/out")" 300

# partition count mismatch
other=$(name mismatch)
make_topic "$SRC" "$other" 3 >/dev/null
make_topic "$DST" "$other" 2 >/dev/null
ck-testkit gen -b "$SRC" -t "$other" -p 0 -n 100 2>/dev/null
echo "{\"v\":1,\"topic\":\"$other\",\"partition\":0,\"start\":0,\"end\":100}" >"$WORK/plan2"
expect_exit 1 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan2" --create-topics
expect_contains "mismatch named" "$(cat "$WORK/err")" "topic $other partition 0: the target topic has 2 partitions, the source's has 3"
expect_eq "mismatch: nothing written" "$(ck-testkit dump -b "$DST" -t "$other" | wc -l)" 0

# malformed line: exit 3, <stdin>:N:, nothing written
fresh=$(name fresh)
make_topic "$SRC" "$fresh" 1 retention.ms=-1 >/dev/null
make_topic "$DST" "$fresh" 1 >/dev/null
ck-testkit gen -b "$SRC" -t "$fresh" -p 0 -n 100 2>/dev/null
printf '{"v":1,"topic":"%s","partition":0,"start":0,"end":100}\n{"v":1,"topic":"%s","partition":"x","start":0,"end":1}\n{"v":1,"topic":"%s","partition":0,"start":"y","end":1}\n' \
  "$fresh" "$fresh" "$fresh" >"$WORK/plan3"
expect_exit 3 ck-copy -s "$SRC" -t "$DST" <"$WORK/plan3"
# One line per bad line (as ck-verify), naming the input line, and topic and partition
# when they could be read.
expect_eq "malformed lines named, one line each" "$(cat "$WORK/err")" \
"ck-copy: error: <stdin>:2: field \"partition\": expected integer
ck-copy: error: <stdin>:3: topic $fresh partition 0: field \"start\": expected integer"
expect_eq "malformed: nothing written" "$(ck-testkit dump -b "$DST" -t "$fresh" | wc -l)" 0
# --skip-invalid copies the good record
expect_exit 1 ck-copy -s "$SRC" -t "$DST" --skip-invalid <"$WORK/plan3"
expect_eq "skip-invalid copied the rest" "$(jq -c '[.status, .copied]' "$WORK/out")" '["copied",100]'

# start below the source's log start: expired since planning
ck-testkit delete-records -b "$SRC" -t "$topic" -p 1 -o 40 >/dev/null
expect_exit 1 ck-copy -s "$SRC" -t "$DST" -i "$WORK/plan" --job "$(name other-job)"
expect_eq "one error line" "$(grep -c 'is below the source' "$WORK/err")" 1
expect_contains "expiry named" "$(cat "$WORK/err")" "ck-copy: error: $WORK/plan:2: topic $topic partition 1: start 0 is below the source's log start 40"
pass
