#!/usr/bin/env bash
# No records is no proof: ck-verify given an empty input fails (exit 1, one line naming the
# input) unless --allow-empty, also in a pipeline whose ck-copy died before writing a
# result, so cron never reads a dead copy as a clean migration.
source "$(dirname "$0")/lib.sh"
empty_line='ck-verify: <stdin>: no records: nothing verified (--allow-empty when that is expected)'

expect_exit 1 ck-verify </dev/null
expect_eq "empty input: one line" "$(cat "$WORK/err")" "$empty_line"
expect_eq "empty input: no output" "$(cat "$WORK/out")" ""
printf '\n  \n\n' | { expect_exit 1 ck-verify; }
expect_eq "blank lines are no records" "$(cat "$WORK/err")" "$empty_line"
: >"$WORK/empty.ndjson"
expect_exit 1 ck-verify --input "$WORK/empty.ndjson"
expect_eq "empty file named" "$(cat "$WORK/err")" \
  "ck-verify: $WORK/empty.ndjson: no records: nothing verified (--allow-empty when that is expected)"
expect_exit 1 ck-verify --json </dev/null
expect_eq "--json: nothing on stdout" "$(cat "$WORK/out")" ""
expect_exit 1 ck-verify --prometheus "$WORK/ck.prom" </dev/null
expect_contains "metrics say it failed" "$(cat "$WORK/ck.prom")" $'\nck_verify_success 0\n'
expect_contains "metrics count nothing" "$(cat "$WORK/ck.prom")" $'\nck_verify_partitions_total 0\n'

# The opt-out: silent success, as before.
expect_exit 0 ck-verify --allow-empty </dev/null
expect_eq "--allow-empty is silent" "$(cat "$WORK/out" "$WORK/err")" ""
expect_exit 0 ck-verify --allow-empty --prometheus "$WORK/ok.prom" </dev/null
expect_contains "--allow-empty metrics" "$(cat "$WORK/ok.prom")" $'\nck_verify_success 1\n'

# A pipeline whose middle stage wrote nothing: without pipefail (cron's sh), the
# pipeline's status is ck-verify's.
set +o pipefail
topic=$(name empty)
group=$(name g)
make_topic "$SRC" "$topic" 1 >/dev/null
ck-testkit gen -b "$SRC" -t "$topic" -p 0 -n 20 2>/dev/null
ck-testkit commit -b "$SRC" -g "$group" -t "$topic" -p 0 -o 5 >/dev/null
filter="^${topic//./\\.}\$"
status=0
ck-plan -s "$SRC" --topic "$filter" 2>/dev/null | false | ck-verify -s "$SRC" -t "$DST" \
  2>"$WORK/err" || status=$?
expect_eq "plan | false | verify fails" "$status" 1
expect_eq "and says why" "$(cat "$WORK/err")" "$empty_line"
# A real ck-copy that dies before its first result (the target is unreachable).
status=0
ck-plan -s "$SRC" --topic "$filter" 2>/dev/null |
  { ck-copy -s "$SRC" -t 127.0.0.1:1 --timeout 2 2>"$WORK/copy.err" || true; } |
  ck-verify -s "$SRC" -t "$DST" 2>"$WORK/err" || status=$?
expect_contains "the copy failed" "$(cat "$WORK/copy.err")" "127.0.0.1:1"
expect_eq "plan | dead copy | verify fails" "$status" 1
expect_eq "with one line" "$(cat "$WORK/err")" "$empty_line"
set -o pipefail
# The plan itself verifies against the (empty) target: there are records, so a verdict.
ck-plan -s "$SRC" --topic "$filter" >"$WORK/plan.ndjson" 2>/dev/null
expect_eq "one plan record" "$(count_lines "$WORK/plan.ndjson")" 1
expect_exit 1 ck-verify -s "$SRC" -t "$DST" <"$WORK/plan.ndjson"
expect_contains "a verdict, not the empty-input line" "$(cat "$WORK/err")" "topic $topic partition 0: missing in the target"
pass
