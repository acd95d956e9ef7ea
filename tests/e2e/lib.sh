# Sourced by every end-to-end test (tests/e2e/test_*.sh). The runner (tests/run-all.sh)
# exports CK_SOURCE_BROKERS, CK_TARGET_BROKERS, CK_BUILD (binaries) and CK_TEST_ID.
# fail, expect_*, count_lines, pass and unused_port come from tests/cli/lib.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
: "${CK_SOURCE_BROKERS:?}" "${CK_TARGET_BROKERS:?}"
SRC=$CK_SOURCE_BROKERS
DST=$CK_TARGET_BROKERS

# A topic or group name unique to this test run: name NAME -> NAME.<test>.<run id>
name() { echo "$1.$TEST_NAME.${CK_TEST_ID:-$$}"; }

# The same topic on both clusters: make_topics NAME PARTITIONS [config=value...]
make_topic() {
  local brokers=$1 topic=$2 partitions=$3
  shift 3
  # Test messages may carry old timestamps (explicit ones, e.g. 2023): keep them all unless
  # the test sets its own retention (a later -c wins).
  local configs=(-c retention.ms=-1)
  for c in "$@"; do configs+=(-c "$c"); done
  ck-testkit create -b "$brokers" -t "$topic" -p "$partitions" "${configs[@]}"
}

# Only the message fields that must survive a copy: partition, key, value, headers, timestamp.
fingerprint() { jq -c '{partition, key, key_b64, value, value_b64, headers, timestamp}' "$@"; }

# Plan records for a whole topic, from its log start to its last stable offset.
plan_topic() {  # brokers topic
  ck-testkit offsets -b "$1" -t "$2" \
    | jq -c --arg t "$2" '{v:1, topic:$t, partition, start:.log_start, end:.last_stable}'
}

# Same messages, same order, per partition, in source and target: exits via fail otherwise.
# Prints the number of messages compared. One dump of the topic per cluster, split by
# partition (fingerprint's lines start with {"partition":P,). With a PLAN, the source side
# of each partition starts at the plan's start (a job's first plan: what it copies from).
expect_same_messages() {  # topic partitions [plan]
  local topic=$1 partitions=$2 plan=${3:-} p side brokers start total=0
  rm -rf "$WORK/same"
  mkdir "$WORK/same"
  if [[ -n $plan ]]; then
    for ((p = 0; p < partitions; p++)); do
      start=$(jq "select(.partition==$p) | .start" "$plan")
      ck-testkit dump -b "$SRC" -t "$topic" -p "$p" --from "$start" 2>"$WORK/dump.err" \
        | fingerprint >"$WORK/same/src.$p" ||
        fail "$topic partition $p: dumping the source from $start failed: $(tail -n 1 "$WORK/dump.err")"
    done
  fi
  for side in src dst; do
    brokers=$SRC
    [[ $side == dst ]] && brokers=$DST
    [[ $side == src && -n $plan ]] && continue
    # A dump that fails (e.g. times out on a loaded machine) says so, not "lost messages".
    ck-testkit dump -b "$brokers" -t "$topic" 2>"$WORK/dump.err" | fingerprint \
      | awk -F'\t' -v out="$WORK/same/$side" \
          '{ print > (out "." substr($0, 14, index($0, ",") - 14)) }' ||
      fail "$topic: dumping the $side cluster failed: $(tail -n 1 "$WORK/dump.err")"
  done
  for ((p = 0; p < partitions; p++)); do
    local ns nd src=$WORK/same/src.$p dst=$WORK/same/dst.$p
    ns=$(count_lines "$src") nd=$(count_lines "$dst")
    ((nd <= ns)) || fail "$topic partition $p: target has $((nd - ns)) duplicated messages ($nd vs $ns)"
    ((nd == ns)) || fail "$topic partition $p: target lost $((ns - nd)) messages ($nd vs $ns)"
    ((ns == 0)) || cmp -s "$src" "$dst" || fail "$topic partition $p: content differs"
    total=$((total + ns))
  done
  echo "$total"
}

# The last lines of a test cluster's broker log (source or target), for failure messages.
broker_log_tail() { tail -n "${2:-15}" "${CK_RUN_DIR:-$CK_REPO/.run}/$1/broker.log" 2>/dev/null; }

# wait_serving BROKERS TOPIC SECONDS SIDE: waits until every partition of TOPIC answers an
# offsets query (leaders elected again after a broker was frozen or restarted).
wait_serving() {
  local deadline=$((SECONDS + $3))
  until ck-testkit offsets -b "$1" -t "$2" >/dev/null 2>"$WORK/serving.err"; do
    ((SECONDS < deadline)) ||
      fail "the $4 cluster did not serve $2 within $3 s: $(tail -n 1 "$WORK/serving.err")
$(broker_log_tail "$4")"
    sleep 0.5
  done
}

# wait_compacted BROKERS TOPIC: keeps adding one message to partition 0 of a compacted TOPIC
# (the cleaner only takes closed segments and looks every 15 s by broker default) until
# fewer than half of its offsets hold messages; prints the high watermark then.
wait_compacted() {
  local hw n
  for _ in $(seq 1 60); do
    sleep 1
    ck-testkit gen -b "$1" -t "$2" -p 0 -n 1 --size 50 --seed 9 2>/dev/null
    hw=$(ck-testkit offsets -b "$1" -t "$2" | jq .high_watermark)
    n=$(ck-testkit dump -b "$1" -t "$2" | wc -l)
    if ((n < hw / 2)); then echo "$hw"; return 0; fi
  done
  fail "the cleaner did not compact $2 within 60 s"
}

# wait_landed PID TOPIC N WHAT: waits until the target holds N messages of TOPIC while
# process PID (a ck-copy in the background) still runs; fails naming WHAT otherwise.
wait_landed() {
  while kill -0 "$1" 2>/dev/null &&
        (($(ck-testkit offsets -b "$DST" -t "$2" 2>/dev/null | jq -s 'map(.high_watermark) | add // 0') < $3)); do
    sleep 0.05
  done
  kill -0 "$1" 2>/dev/null ||
    fail "ck-copy finished before $4: $(tail -n 3 "$WORK/copy.err")"
}

# wait_joined PID ERR_FILE GROUP: waits (up to 60 s) until the ck-testkit consume PID,
# its stderr in ERR_FILE, has joined GROUP (partitions assigned: an active member).
wait_joined() {
  local deadline=$((SECONDS + 60))
  until grep -q "joined group $3" "$2" 2>/dev/null; do
    kill -0 "$1" 2>/dev/null || fail "the consumer of $3 ended before joining: $(tail -n 1 "$2")"
    ((SECONDS < deadline)) || fail "the consumer of $3 did not join within 60 s"
    sleep 0.1
  done
}

# ck-testkit commit, retried for up to ~9 s: right after a cluster starts, its group
# coordinator may still be loading.
commit_retry() {
  local i
  for i in $(seq 30); do ck-testkit commit "$@" >/dev/null 2>&1 && return 0; sleep 0.3; done
  ck-testkit commit "$@" >/dev/null
}

# consumers_read_the_rest TOPIC PARTITIONS GROUP...: a real consumer of each group on the
# target reads exactly what the source holds from that group's committed source offset to
# the end: same count, same first message, same messages in order. The groups' consumers
# run at once (each stops 4 s after its last message).
consumers_read_the_rest() {
  local topic=$1 partitions=$2 g p off pids=()
  shift 2
  for g in "$@"; do
    ck-testkit consume -b "$DST" -g "$g" -t "$topic" --idle-ms 4000 >"$WORK/read.$g" 2>"$WORK/read.$g.err" &
    pids+=($!)
  done
  for g in "$@"; do
    wait "${pids[0]}" || fail "the consumer of $g on the target failed: $(tail -n 1 "$WORK/read.$g.err")"
    pids=("${pids[@]:1}")
    for ((p = 0; p < partitions; p++)); do
      off=$(ck-testkit group-offsets -b "$SRC" -g "$g" | jq -r "select(.topic==\"$topic\" and .partition==$p) | .offset")
      ck-testkit dump -b "$SRC" -t "$topic" -p "$p" --from "$off" | fingerprint >"$WORK/want"
      jq -c "select(.partition==$p)" "$WORK/read.$g" | fingerprint >"$WORK/got"
      expect_eq "$g on $topic/$p: messages read on the target" \
        "$(count_lines "$WORK/got")" "$(count_lines "$WORK/want")"
      expect_eq "$g on $topic/$p: first message read" "$(head -n 1 "$WORK/got")" "$(head -n 1 "$WORK/want")"
      cmp -s "$WORK/got" "$WORK/want" || fail "$g on $topic/$p: read other messages than it had left"
    done
  done
}

# follow_fixture MESSAGES: the live-source tests' start: topic $topic (2 partitions) on both
# clusters, MESSAGES messages per partition in the source, group $g committed at offsets
# 1000 and 500, and the plan of the topic in $WORK/plan.ndjson.
follow_fixture() {
  topic=$(name follow) g=$(name g)
  make_topic "$SRC" "$topic" 2 >/dev/null
  make_topic "$DST" "$topic" 2 >/dev/null
  for p in 0 1; do ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n "$1" --size 100 --seed "$p" 2>/dev/null; done
  commit_retry -b "$SRC" -g "$g" -t "$topic" -p 0 -o 1000
  commit_retry -b "$SRC" -g "$g" -t "$topic" -p 1 -o 500
  ck-plan -s "$SRC" --topic "$topic" -q >"$WORK/plan.ndjson"
}

# start_producer TOPIC: a live producer in the background (its PID in $producer): batches
# of 500 messages alternating over partitions 0 and 1 every 0.2 s until $WORK/stop exists
# (touch it, then wait "$producer"); stopped at the test's exit too.
start_producer() {
  local topic=$1
  (
    i=0
    until [[ -e $WORK/stop ]]; do
      i=$((i + 1))
      ck-testkit gen -b "$SRC" -t "$topic" -p $((i % 2)) -n 500 --size 100 --seed $((10 + i)) 2>/dev/null
      sleep 0.2
    done
  ) &
  producer=$!
  trap 'touch "$WORK/stop"; kill $producer 2>/dev/null || true; rm -rf "$WORK"' EXIT
}

# cluster_running SIDE: whether the source or target test broker runs (not killed).
cluster_running() { [[ -n $(bash "$CK_REPO/scripts/clusters.sh" pids "$1" 2>/dev/null) ]]; }
