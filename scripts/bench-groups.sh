#!/usr/bin/env bash
# ck-verify's group proof at scale: one topic of --partitions (default 8) partitions x
# --messages (25,000) messages of --size (200) bytes, and --groups (1,000) groups committed
# on every partition at offsets spread over the whole range (every tenth group has no commit
# on one partition: it reads that one from the log start). Then ck-plan | ck-copy into the
# target, and on the result, --repeat times, timed with peak RSS and CPU seconds
# (bench-lib.sh's timed):
#   verify          ck-verify: counts and every group's position (with its two messages)
#   verify-content  ck-verify --content: the same plus a digest of every message
# Options after -- go to every ck-verify run (e.g. -X fetch.max.bytes=4194304).
# Every run must exit 0 with every group at its position. Prints one JSON line per step on
# stdout, a summary on stderr. Starts its own clusters (CK_RUN_DIR, default
# <repo>/.run/groups; ports 19392 and 29392 unless CK_*_PORT are set).
set -euo pipefail
usage() {
  echo "usage: scripts/bench-groups.sh [--quick] [--groups N] [--partitions P]" \
       "[--messages M] [--size BYTES] [--repeat N] [-- CK-VERIFY OPTIONS]" >&2
}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
groups=1000 partitions=8 messages=25000 size=200 repeat=3 pause=1
while (($#)); do
  case $1 in
    --quick) groups=20 partitions=2 messages=500 repeat=1 pause=0 ;;
    --groups) groups=$2; shift ;;
    --partitions) partitions=$2; shift ;;
    --messages) messages=$2; shift ;;
    --size) size=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) usage; exit 2 ;;
  esac
  shift
done
BUILD=${CK_BUILD:-$repo/build}
export PATH="$BUILD:$PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/ck-bench-groups.XXXXXX")
source "$repo/scripts/bench-lib.sh"
private_clusters groups 939
cleanup() {
  bash "$repo/scripts/clusters.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "bench-groups: $*" >&2; }
bash "$repo/scripts/clusters.sh" start
eval "$(bash "$repo/scripts/clusters.sh" env)"
SRC=$CK_SOURCE_BROKERS DST=$CK_TARGET_BROKERS
bench_broker_pids "$SRC" "$DST"
topic=bench-groups.$(date +%s)

t0=$(now)
ck-testkit create -b "$SRC" -t "$topic" -p "$partitions" -c retention.ms=-1 >/dev/null
for ((p = 0; p < partitions; p++)); do
  ck-testkit gen -b "$SRC" -t "$topic" -p "$p" -n "$messages" --size "$size" --seed $((p + 1)) \
    2>/dev/null
done
# Group g on partition p: an offset from 0 to the end, by a stride prime to the range.
for ((g = 0; g < groups; g++)); do
  for ((p = 0; p < partitions; p++)); do
    ((g % 10 == 9 && p == (g / 10) % partitions)) && continue
    echo "$topic.g$g $topic $p $(((g * 7919 + p * 104729) % (messages + 1)))"
  done
done >"$work/commits"
# One ck-testkit per quarter of the lines, one request per group (see bench-plan.sh).
split -n l/4 "$work/commits" "$work/commits."
pids=()
for part in "$work"/commits.*; do ck-testkit commit -b "$SRC" <"$part" >/dev/null & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid"; done
ck-plan -q -s "$SRC" --topic "^${topic//./[.]}\$" >"$work/plan.ndjson"
ck-copy -q -s "$SRC" -t "$DST" --job bench-groups --create-topics --no-progress \
  <"$work/plan.ndjson" >"$work/copied.ndjson"
setup_s=$(elapsed "$t0")
n=$(jq -s 'map(.copied) | add' "$work/copied.ndjson")
checks=$(jq -s 'map((.groups | length) + (.groups_without_commit // [] | length)) | add' \
  "$work/plan.ndjson")
say "set up in ${setup_s}s: $n messages copied, $checks group positions on $partitions partitions"
((n == partitions * messages)) || { say "ck-copy copied $n of $((partitions * messages))"; exit 1; }

timed_arrays verify content
for ((round = 1; round <= repeat; round++)); do
  for step in verify content; do
    more=("$@")
    [[ $step == content ]] && more+=(--content)
    timed "$step" ck-verify -s "$SRC" -t "$DST" --exact-groups --json "${more[@]}" \
      <"$work/copied.ndjson" >"$work/verified.ndjson" 2>"$work/verify.err" \
      || { tail -n 5 "$work/verify.err" >&2; say "ck-verify $step failed"; exit 1; }
    ok=$(jq -s '[.[].group_checks[]? | select(.verdict == "ok")] | length' "$work/verified.ndjson")
    ((ok == checks)) || { say "ck-verify $step: $ok of $checks group checks ok"; exit 1; }
  done
done
verify_options="$*"
# line STEP NAME: the median of STEP's runs.
line() {
  local -n l_s=$1_s l_rss=$1_rss l_cpu=$1_cpu l_bcpu=$1_bcpu
  jq -cn --arg step "$2" --argjson groups "$groups" --argjson partitions "$partitions" \
    --argjson messages "$n" --argjson checks "$checks" --argjson secs "$(median "${l_s[@]}")" \
    --argjson rss "$(max "${l_rss[@]}")" --argjson cpu "$(median "${l_cpu[@]}")" \
    --argjson bcpu "$(median_or_null "${l_bcpu[@]}")" \
    --argjson each "$(printf '%s\n' "${l_s[@]}" | jq -sc .)" --arg opts "$verify_options" \
    '{bench: "groups", step: $step, verify_options: $opts, groups: $groups, partitions: $partitions,
      messages: $messages, group_checks: $checks, seconds: $secs, run_seconds: $each,
      peak_rss_mb: ($rss / 1024 | floor), cpu_s: $cpu, broker_cpu_s: $bcpu}'
}
{ line verify ck-verify; line content "ck-verify --content"; } | tee "$work/steps.ndjson"
jq -r '"\(.step): \(.groups) groups x \(.partitions) partitions (\(.group_checks) group checks), \(.messages) messages: \(.seconds) s (runs \(.run_seconds | map(tostring) | join("/"))), peak RSS \(.peak_rss_mb) MiB, \(.cpu_s) CPU s"' \
  "$work/steps.ndjson" >&2
