#!/usr/bin/env bash
# The Prometheus text file: every sample line follows the exposition grammar, every metric
# has HELP and TYPE, the values of a known scenario are exact, and it is replaced atomically.
source "$(dirname "$0")/lib.sh"
topic=$(name prom)
group=$(name g)
for b in "$SRC" "$DST"; do
  make_topic "$b" "$topic" 2 retention.ms=-1
  ck-testkit gen -b "$b" -t "$topic" -p 0 -n 100 --seed 1 2>/dev/null
  ck-testkit gen -b "$b" -t "$topic" -p 1 -n 50 --seed 2 2>/dev/null
done
ck-testkit delete-records -b "$DST" -t "$topic" -p 1 -o 1 >/dev/null
commit_retry -b "$DST" -g "$group" -t "$topic" -p 0 -o 40
jq -nc --arg t "$topic" --arg g "$group" '
  {v:1,type:"copy",topic:$t,partition:0,action:"copy",start:0,end:100,groups:{($g):40},
   status:"copied",copied:100,target_start:0,target_end:100,target_groups:{($g):40}},
  {v:1,type:"copy",topic:$t,partition:1,action:"copy",start:0,end:50,groups:{},
   status:"copied",copied:50,target_start:0,target_end:50,target_groups:{}}' >"$WORK/copied.ndjson"
prom=$WORK/ck.prom
echo "stale" >"$prom"
expect_exit 1 ck-verify --prometheus "$prom" <"$WORK/copied.ndjson"

check_grammar() {
  local name='[a-zA-Z_:][a-zA-Z0-9_:]*' label='[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"'
  local value='[-+]?([0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|NaN|Inf)'
  local bad
  bad=$(grep -v '^#' "$1" | grep -Ev "^$name(\{$label(,$label)*\})? $value\$" || true)
  [[ -z $bad ]] || fail "lines outside the exposition grammar: $bad"
  for m in $(grep -v '^#' "$1" | sed -E 's/[{ ].*//' | sort -u); do
    grep -q "^# HELP $m " "$1" || fail "no HELP for $m"
    grep -q "^# TYPE $m gauge\$" "$1" || fail "no TYPE for $m"
  done
}
check_grammar "$prom"
value() { grep -F "$1 " "$prom" | grep -v '^#' | awk '{print $NF}'; }
expect_eq "success" "$(value ck_verify_success)" 0
expect_eq "partitions" "$(value ck_verify_partitions_total)" 2
expect_eq "partitions ok" "$(value ck_verify_partitions_ok)" 1
expect_eq "source p0" "$(value "ck_verify_messages_source{topic=\"$topic\",partition=\"0\"}")" 100
expect_eq "target p1" "$(value "ck_verify_messages_target{topic=\"$topic\",partition=\"1\"}")" 49
expect_eq "partition ok p1" "$(value "ck_verify_partition_ok{topic=\"$topic\",partition=\"1\"}")" 0
expect_eq "remaining" "$(value "ck_verify_group_remaining{group=\"$group\",topic=\"$topic\",partition=\"0\"}")" 60
ts=$(value ck_verify_last_run_timestamp_seconds)
(( ${ts%.*} >= $(date +%s) - 120 )) || fail "last run timestamp $ts is not now"
expect_eq "no temporary file left" "$(ls "$WORK" | grep -c 'ck.prom.tmp' || true)" 0

# All well: success 1; and a run that cannot reach a cluster still says 0.
head -n 1 "$WORK/copied.ndjson" >"$WORK/good.ndjson"
expect_exit 0 ck-verify --prometheus "$prom" <"$WORK/good.ndjson"
check_grammar "$prom"
expect_eq "success when all is well" "$(value ck_verify_success)" 1
expect_exit 3 ck-verify -s 127.0.0.1:1 -t 127.0.0.1:1 --timeout 2 --prometheus "$prom" <"$WORK/good.ndjson"
check_grammar "$prom"
expect_eq "success after a failed run" "$(value ck_verify_success)" 0
pass
