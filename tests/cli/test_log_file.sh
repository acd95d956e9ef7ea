#!/usr/bin/env bash
# --log-file receives exactly the lines stderr receives, at every verbosity: with -v -v
# (librdkafka's debug lines from connection attempts included), by default, and with -q.
source "$(dirname "$0")/lib.sh"

dead=127.0.0.1:$(unused_port)
echo '{"v":1,"type":"plan","topic":"t","partition":0,"start":0,"end":5}' >"$WORK/plan.ndjson"
for tool in "${TOOLS[@]}"; do
  for verbosity in "-v -v" "" "-q"; do
    log=$WORK/$tool.log
    rm -f "$log"
    # shellcheck disable=SC2046,SC2086
    expect_exit 3 "$tool" $(cluster_args "$tool" "$dead") --timeout 2 --log-file "$log" \
      $verbosity <"$WORK/plan.ndjson"
    what="$tool ${verbosity:-(default)}"
    [[ -s $WORK/err ]] || fail "$what: nothing on stderr"
    cmp -s "$WORK/err" "$log" ||
      fail "$what: the log file differs from stderr ($(count_lines "$WORK/err") lines on stderr, $(count_lines "$log") in the file): $(diff "$WORK/err" "$log" | head -n 5)"
    if [[ $verbosity == "-v -v" ]]; then
      grep -q ": debug: " "$log" || fail "$what: no debug line in the log file"
    fi
  done
done
pass
