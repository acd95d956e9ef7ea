#!/usr/bin/env bash
# Version matrix: for each SOURCE:TARGET pair of Apache Kafka versions, fresh clusters of those
# versions (scripts/clusters.sh), then the whole pipeline (ck-plan | ck-copy | ck-verify
# --content) and real Java consumers of every group on the target, each of which must read
# exactly the messages its group had not read on the source. Groups: a classic group made by a
# Java consumer, an admin-committed group, and from Kafka 4.0 on a KIP-848 group
# (group.protocol=consumer). On a 4.x side, a live KIP-848 group too: on the source ck-plan
# must warn about it, on the target ck-copy must leave it alone (its offset unmoved).
#
#   tests/compat/run.sh [PAIR...]   PAIR = SOURCE_VERSION:TARGET_VERSION, e.g. 2.8.2:4.4.0
#                                   (default: $CK_COMPAT_PAIRS, else the matrix in
#                                   scripts/kafka/versions.sh)
# Prints one line per pair ("compat 2.8.2->4.4.0: ok, 15 checks, 47 s") and the table; exits 1
# if any pair failed. Uses the fixed test ports: run it where no other test clusters run (make
# test-compat and tests/run-all.sh stop theirs first; /work-style sandboxes: in a namespace).
set -euo pipefail
usage() { echo "usage: tests/compat/run.sh [SOURCE_VERSION:TARGET_VERSION ...]" >&2; }
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo_root"
# shellcheck source=../../scripts/kafka/versions.sh
source scripts/kafka/versions.sh

case ${1-} in -h|--help) usage; exit 0 ;; -*) usage; exit 2 ;; esac
pairs=("$@")
((${#pairs[@]})) || read -ra pairs <<<"${CK_COMPAT_PAIRS:-$CK_COMPAT_MATRIX}"

export CK_BUILD=${CK_BUILD:-$repo_root/build}
export PATH="$CK_BUILD:$PATH"
export CK_RUN_DIR=${CK_RUN_DIR:-$repo_root/.run}/compat
export CK_SECURE=0  # ZooKeeper-mode sources have no SCRAM users; plain listeners only
cluster_env=$(bash scripts/clusters.sh env)
eval "$cluster_env"
readonly SRC=$CK_SOURCE_BROKERS DST=$CK_TARGET_BROKERS TOPIC=compat.orders PARTITIONS=3
readonly LIVE_TOPIC=compat.live
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ck-compat.XXXXXX")
background=()
cleanup() {
  bash scripts/clusters.sh stop >/dev/null 2>&1 || true
  [[ -n ${CK_COMPAT_KEEP:-} ]] && echo "work files kept in $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT

checks=0
fail() { echo "FAIL [compat $pair_name]: $*" >&2; return 1; }
check() {  # description actual expected
  [[ $2 == "$3" ]] || fail "$1: expected [$3], got [$2]"
  checks=$((checks + 1))
  echo "$checks" >"$WORK/checks"
}
check_contains() {  # description haystack needle
  [[ $2 == *"$3"* ]] || fail "$1: expected to contain [$3], got [$(tail -n 5 <<<"$2")]"
  checks=$((checks + 1))
  echo "$checks" >"$WORK/checks"
}

# The command line of a real Java console consumer from VERSION's own jars, into CMD:
# consumer_command VERSION BROKERS TOPIC GROUP PROTOCOL(classic|consumer) [more options].
# It prints "Partition:P<TAB>KEY<TAB>VALUE" lines.
consumer_command() {
  local version=$1 brokers=$2 topic=$3 group=$4 protocol=$5 class=kafka.tools.ConsoleConsumer
  shift 5
  # The console tools moved to kafka-tools in 3.8; group.protocol exists from 3.7.
  version_at_least "$version" 3 8 && class=org.apache.kafka.tools.consumer.ConsoleConsumer
  CMD=(env CK_KAFKA_VERSION="$version" bash scripts/kafka-tool.sh "$class"
       --bootstrap-server "$brokers" --topic "$topic" --group "$group"
       --property print.partition=true --property print.key=true "$@")
  [[ $protocol == consumer ]] && CMD+=(--consumer-property group.protocol=consumer)
  return 0
}

# Runs a console consumer of TOPIC to its end: "Partition:P<TAB>KEY" lines to OUT (the value,
# random bytes, cut off; 4.x prints its deprecation notices on stdout too), stderr to OUT.err.
consume() {  # version brokers group protocol out [more options]
  local CMD
  consumer_command "$1" "$2" "$TOPIC" "$3" "$4" "${@:6}"
  "${CMD[@]}" 2>"$5.err" | LC_ALL=C sed -n 's/^\(Partition:[0-9]*\t[^\t]*\).*/\1/p' >"$5"
}

# The messages a group has not read on the source: "Partition:P<TAB>KEY" from its committed
# offset (the log start where it has none) to the end, sorted.
unread_on_source() {  # group
  local p from
  for ((p = 0; p < PARTITIONS; p++)); do
    from=$(ck-testkit group-offsets -b "$SRC" -g "$1" | jq -r --arg t "$TOPIC" --argjson p "$p" \
      'select(.topic == $t and .partition == $p) | .offset')
    ck-testkit dump -b "$SRC" -t "$TOPIC" -p "$p" ${from:+--from "$from"} \
      | jq -r '"Partition:\(.partition)\t\(.key)"'
  done | sort
}

# ck-testkit commit, retried for up to ~15 s: right after a cluster starts, its group
# coordinator may still be loading (a ZooKeeper-mode broker especially).
commit() {  # brokers group topic partition offset
  local i
  for i in $(seq 50); do
    ck-testkit commit -b "$1" -g "$2" -t "$3" -p "$4" -o "$5" >/dev/null 2>&1 && return 0
    sleep 0.3
  done
  ck-testkit commit -b "$1" -g "$2" -t "$3" -p "$4" -o "$5" >/dev/null
}

# Source data and groups; a KIP-848 group only where the source speaks that protocol.
make_source_groups() {  # source_version; prints the groups made, "group:target_protocol"
  local v=$1 p
  ck-testkit create -b "$SRC" -t "$TOPIC" -p "$PARTITIONS" -c retention.ms=-1 >/dev/null
  for ((p = 0; p < PARTITIONS; p++)); do
    ck-testkit gen -b "$SRC" -t "$TOPIC" -p "$p" -n 100 --size 30 --seed $((p + 1)) 2>/dev/null
  done
  local pids=()
  consume "$v" "$SRC" g-classic classic "$WORK/src.g-classic" \
    --from-beginning --max-messages 120 --timeout-ms 30000 & pids+=($!)
  if version_at_least "$v" 4 0; then
    consume "$v" "$SRC" g-848 consumer "$WORK/src.g-848" \
      --from-beginning --max-messages 200 --timeout-ms 30000 & pids+=($!)
  fi
  commit "$SRC" g-admin "$TOPIC" 0 10
  commit "$SRC" g-admin "$TOPIC" 1 50
  commit "$SRC" g-admin "$TOPIC" 2 100
  wait "${pids[@]}" || true  # what they committed is checked through the target's consumers
  # New messages after every group stopped, so each has something left to read.
  for ((p = 0; p < PARTITIONS; p++)); do
    ck-testkit gen -b "$SRC" -t "$TOPIC" -p "$p" -n 20 --size 30 --seed $((p + 7)) 2>/dev/null
  done
}

# The consumers on the target, all at once: each group's unread messages, exactly.
check_target_consumers() {  # target_version group:protocol...
  local v=$1 entry group protocol pids=()
  shift
  for entry in "$@"; do
    group=${entry%%:*} protocol=${entry#*:}
    consume "$v" "$DST" "$group" "$protocol" "$WORK/dst.$group" \
      --from-beginning --timeout-ms 20000 & pids+=($!)
  done
  wait "${pids[@]}" || true  # ConsoleConsumer exits 0 or 1 on its idle timeout, by version
  for entry in "$@"; do
    group=${entry%%:*} protocol=${entry#*:}
    check "$group ($protocol consumer on the target) reads exactly its unread messages" \
      "$(sort "$WORK/dst.$group" | md5sum) $(wc -l <"$WORK/dst.$group")" \
      "$(md5sum <"$WORK/unread.$group") $(wc -l <"$WORK/unread.$group")"
  done
}

# Starts a live KIP-848 consumer of GROUP on BROKERS (version VERSION) in the background;
# kafka-tool.sh execs java, so the recorded PID is the JVM's.
start_live_group() {  # version brokers topic group
  local CMD
  consumer_command "$1" "$2" "$3" "$4" consumer --timeout-ms 600000
  "${CMD[@]}" >"$WORK/live.$4" 2>&1 &
  background+=($!)
}
stop_live_groups() {
  local pid
  for pid in "${background[@]+"${background[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  background=()
}

# Waits until ck-plan, pointed at BROKERS, calls GROUP possibly active (the live consumer has
# joined); prints ck-plan's stderr then.
wait_warned() {  # brokers group
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    ck-plan -s "$1" -g "$2" >/dev/null 2>"$WORK/probe.err" || true
    if grep -qE "group $2: (active members|state unknown)" "$WORK/probe.err"; then
      cat "$WORK/probe.err"
      return 0
    fi
    sleep 1
  done
  cat "$WORK/probe.err"
}

# ck-plan on a 4.x source with a live KIP-848 group: a warning, not silence.
check_live_source_group() {  # source_version
  start_live_group "$1" "$SRC" "$TOPIC" g-live-source
  check_contains "ck-plan warns about a live KIP-848 group on the source" \
    "$(wait_warned "$SRC" g-live-source)" "group g-live-source: state unknown"
}

# ck-copy with a live KIP-848 group of the plan in a 4.x target: left alone.
check_live_target_group() {  # target_version
  ck-testkit create -b "$SRC" -t "$LIVE_TOPIC" -p 1 -c retention.ms=-1 >/dev/null
  ck-testkit create -b "$DST" -t "$LIVE_TOPIC" -p 1 -c retention.ms=-1 >/dev/null
  ck-testkit gen -b "$SRC" -t "$LIVE_TOPIC" -p 0 -n 30 --size 10 --seed 5 2>/dev/null
  commit "$SRC" g-live-target "$LIVE_TOPIC" 0 5
  start_live_group "$1" "$DST" "$LIVE_TOPIC" g-live-target
  wait_warned "$DST" g-live-target >/dev/null
  ck-plan -s "$SRC" --topic "^compat[.]live\$" -g g-live-target 2>/dev/null \
    | ck-copy -s "$SRC" -t "$DST" --job compat-live >"$WORK/live.copied" 2>"$WORK/live.err" || true
  check_contains "ck-copy leaves a live KIP-848 group in the target alone" \
    "$(cat "$WORK/live.err")" "group g-live-target left alone: state unknown in target"
  check "the result record names the live group in groups_left" \
    "$(jq -r '.groups_left // {} | keys[]' "$WORK/live.copied")" g-live-target
}

run_pair() {  # source_version target_version
  local sv=$1 tv=$2 groups=() g
  CK_SOURCE_KAFKA_VERSION=$sv CK_TARGET_KAFKA_VERSION=$tv bash scripts/clusters.sh start \
    2>"$WORK/clusters.err" || { cat "$WORK/clusters.err" >&2; fail "clusters did not start"; }
  make_source_groups "$sv"
  groups=(g-classic:classic g-admin:classic)
  # Groups migrated from a classic source may be consumed with the new protocol on 4.x.
  version_at_least "$tv" 4 0 && groups=(g-classic:consumer g-admin:classic)
  version_at_least "$sv" 4 0 && groups+=(g-848:consumer)
  for g in "${groups[@]}"; do unread_on_source "${g%%:*}" >"$WORK/unread.${g%%:*}"; done

  ck-plan -s "$SRC" --topic "^compat[.]orders\$" >"$WORK/plan" 2>"$WORK/plan.err" \
    || fail "ck-plan failed: $(tail -n 3 "$WORK/plan.err")"
  check "ck-plan warns about nothing" "$(grep -c warning "$WORK/plan.err" || true)" 0
  check "plan records" "$(wc -l <"$WORK/plan")" "$PARTITIONS"
  ck-copy -s "$SRC" -t "$DST" --job compat --create-topics <"$WORK/plan" >"$WORK/copied" \
    2>"$WORK/copy.err" || fail "ck-copy failed: $(tail -n 3 "$WORK/copy.err")"
  check "every partition copied" "$(jq -r .status "$WORK/copied" | sort -u)" copied
  check "every group placed" "$(jq -r '.groups_left // {} | keys[]' "$WORK/copied")" ""
  local verified=0
  ck-verify -s "$SRC" -t "$DST" --content <"$WORK/copied" >/dev/null 2>"$WORK/verify.err" \
    || verified=$?
  check "ck-verify --content" "$verified $(cat "$WORK/verify.err")" "0 "
  check_target_consumers "$tv" "${groups[@]}"
  if version_at_least "$sv" 4 0; then check_live_source_group "$sv"; fi
  if version_at_least "$tv" 4 0; then check_live_target_group "$tv"; fi
}

results=() failed=0
for pair in "${pairs[@]}"; do
  [[ $pair =~ ^([0-9.]+):([0-9.]+)$ ]] || { usage; exit 2; }
  pair_name="${BASH_REMATCH[1]}->${BASH_REMATCH[2]}"
  checks=0 start=$SECONDS verdict=ok
  bash scripts/clusters.sh stop >/dev/null 2>&1 || true
  # A subshell stops at the first failed step (errexit would be off in a condition), counts
  # its checks in a file, and its own EXIT trap ends the live consumers it started.
  echo 0 >"$WORK/checks"
  set +e
  (trap stop_live_groups EXIT; set -e; run_pair "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
  rc=$?
  set -e
  ((rc == 0)) || verdict=FAILED failed=$((failed + 1))
  bash scripts/clusters.sh stop >/dev/null 2>&1 || true
  checks=$(<"$WORK/checks")
  line="compat $pair_name: $verdict, $checks checks, $((SECONDS - start)) s"
  echo "$line" >&2
  results+=("| $pair_name | $verdict | $checks | $((SECONDS - start)) s |")
done
echo "| pair | result | checks | time |"
echo "|---|---|---|---|"
printf '%s\n' "${results[@]}"
((failed == 0))
