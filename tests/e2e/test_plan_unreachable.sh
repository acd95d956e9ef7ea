#!/usr/bin/env bash
# An unreachable source: exit 3 within the deadline, one error line naming the cluster,
# nothing on stdout.
source "$(dirname "$0")/lib.sh"

expect_exit 3 ck-plan -s 127.0.0.1:1 --timeout 3
expect_eq "stdout" "$(cat "$WORK/out")" ""
expect_eq "stderr lines" "$(count_lines "$WORK/err")" 1
expect_contains "error" "$(cat "$WORK/err")" "ck-plan: error: source cluster 127.0.0.1:1: unreachable within 3000 ms"
# The brokers may come from the environment (cron).
CK_SOURCE_BROKERS=127.0.0.1:1 expect_exit 3 ck-plan --timeout 1
expect_contains "env brokers" "$(cat "$WORK/err")" "source cluster 127.0.0.1:1"
expect_exit 2 ck-plan -s "$SRC" --concurrency 0
expect_exit 2 ck-plan -s "$SRC" --bogus
pass
