#!/usr/bin/env bash
# Group checks on hand-built records: at the expected target offset or ahead of it passes
# (with the messages still to read), ahead fails with --exact-groups; behind it or with no
# commit in the target is reported, with the derived and the claimed offsets.
source "$(dirname "$0")/lib.sh"
topic=$(name gr)
for b in "$SRC" "$DST"; do
  make_topic "$b" "$topic" 1 retention.ms=-1
  ck-testkit gen -b "$b" -t "$topic" -p 0 -n 100 --seed 5 2>/dev/null
done
at=$(name at) ahead=$(name ahead) behind=$(name behind) missing=$(name missing)
commit_retry -b "$DST" -g "$at" -t "$topic" -p 0 -o 40
commit_retry -b "$DST" -g "$ahead" -t "$topic" -p 0 -o 70
commit_retry -b "$DST" -g "$behind" -t "$topic" -p 0 -o 30
record() {  # record GROUP...: every group expected at target offset 40
  jq -nc --arg t "$topic" '$ARGS.positional | map({(.): 40}) | add as $g |
    {v:1,type:"copy",topic:$t,partition:0,action:"copy",start:0,end:100,groups:$g,
     status:"copied",copied:100,target_start:0,target_end:100,target_groups:$g}' --args "$@"
}
record "$at" "$ahead" >"$WORK/good.ndjson"
expect_exit 0 ck-verify -s "$SRC" -t "$DST" <"$WORK/good.ndjson"
expect_eq "silent when the groups are in place" "$(cat "$WORK/out" "$WORK/err")" ""
expect_exit 0 ck-verify --json <"$WORK/good.ndjson"
expect_eq "group checks" "$(jq -c '[.group_checks[] | [.committed, .remaining, .verdict, .delta]]' "$WORK/out")" \
  '[[40,60,"ok",0],[70,30,"ahead",30]]'
expect_exit 1 ck-verify --exact-groups <"$WORK/good.ndjson"
expect_eq "ahead at the cutover" "$(cat "$WORK/err")" \
  "ck-verify: topic $topic partition 0: group $ahead: ahead: would skip 30 messages (committed target offset 70, expected 40 from source offset 40; ck-copy claimed 40)"

record "$at" "$behind" "$missing" >"$WORK/bad.ndjson"
expect_exit 1 ck-verify <"$WORK/bad.ndjson"
expect_eq "report" "$(cat "$WORK/err")" \
"ck-verify: topic $topic partition 0: group $behind: behind: would re-read 10 messages (committed target offset 30, expected 40 from source offset 40; ck-copy claimed 40)
ck-verify: topic $topic partition 0: group $missing: missing: no committed offset in the target (expected 40 from source offset 40; ck-copy claimed 40)"
expect_exit 1 ck-verify --json <"$WORK/bad.ndjson"
expect_eq "verdicts" "$(jq -c '[.group_checks[] | .verdict]' "$WORK/out")" '["ok","behind","missing"]'
expect_eq "data still ok" "$(jq -r '[.verdict, .ok] | @tsv' "$WORK/out")" "ok	false"
pass
