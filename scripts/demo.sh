#!/usr/bin/env bash
# The migration scenario of the vendor guide, end to end on two local clusters:
# topics test1..test4, group test123-group on test1..test3, test34-group on test3 and
# test4 (the two at different offsets on test3), unconsumed messages of test1 expired.
# Plans, copies and verifies, then says what happened. Exit 0 only if verification passed.
# usage: scripts/demo.sh   (binaries from ${CK_BUILD:-build}; ports from the environment,
#                           see scripts/clusters.sh)
set -euo pipefail
if (($#)); then echo "usage: scripts/demo.sh" >&2; exit 2; fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build=$(cd "${CK_BUILD:-build}" && pwd)
export PATH="$build:$PATH"
for tool in ck-plan ck-copy ck-verify ck-testkit; do
  [[ -x $build/$tool ]] || { echo "demo: $build/$tool missing: run make first" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/ck-demo.XXXXXX")
cleanup() {
  bash scripts/clusters.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf '\n== %s\n' "$*" >&2; }

say "starting the source and target clusters"
bash scripts/clusters.sh stop >/dev/null 2>&1 || true
bash scripts/clusters.sh start
eval "$(bash scripts/clusters.sh env)"
export CK_SOURCE_BROKERS CK_TARGET_BROKERS
src=$CK_SOURCE_BROKERS

say "building the scenario in the source: topics test1..test4, 3 partitions, 2000 messages each"
for t in test1 test2 test3 test4; do
  # The generated messages carry 2023 timestamps: keep them from time-based retention.
  ck-testkit create -b "$src" -t "$t" -p 3 -c retention.ms=-1 >/dev/null
  for p in 0 1 2; do
    ck-testkit gen -b "$src" -t "$t" -p "$p" -n 2000 --size 200 --seed "$p" 2>/dev/null
  done
done
# A fresh cluster loads its group coordinators a moment after it accepts connections:
# retry while it answers "not coordinator" or "load in progress".
retry() {
  local i
  for i in $(seq 50); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  "$@" >/dev/null
}
commit() { retry ck-testkit commit -b "$src" -g "$1" -t "$2" -p "$3" -o "$4"; }
for p in 0 1 2; do
  commit test123-group test1 "$p" 400
  commit test123-group test2 "$p" 1500
  commit test123-group test3 "$p" 1200   # test3: the two groups at different offsets
  commit test34-group test3 "$p" 700
  commit test34-group test4 "$p" 1900
done
# test1: retention took what test123-group had not read yet: all of partition 0 (nothing
# left to move) and the first 1200 messages of partition 1 (800 unconsumed ones lost).
ck-testkit delete-records -b "$src" -t test1 -p 0 -o 2000 >/dev/null
ck-testkit delete-records -b "$src" -t test1 -p 1 -o 1200 >/dev/null
echo "test123-group: test1, test2, test3; test34-group: test3, test4" >&2

for g in ck-migrate.default.progress test123-group test34-group; do
  retry ck-testkit group-offsets -b "$CK_TARGET_BROKERS" -g "$g"
done

say "ck-plan: what is unconsumed"
ck-plan -s "$src" --topic 'test[1-4]' >"$work/plan.ndjson"

say "ck-copy: moving it (target topics created like the source's)"
ck-copy -s "$src" -t "$CK_TARGET_BROKERS" --create-topics <"$work/plan.ndjson" >"$work/copied.ndjson"

say "ck-verify: counts, content digests, group offsets"
status=0
ck-verify --content -v <"$work/copied.ndjson" || status=$?

say "what happened"
jq -rs '
  group_by(.topic)[] |
  "\(.[0].topic): \(map(.copied // 0) | add) messages moved, \(map(.expired) | add) expired, " +
  "\(map(select(.action == "skip")) | length) partition(s) skipped" +
  (map(select(.action == "skip") | " (partition \(.partition): \(.reason))") | join(""))' \
  "$work/copied.ndjson" >&2
jq -r 'select(.target_groups != null) | .topic as $t | .partition as $p |
       .target_groups | to_entries[] | "\(.key) on \($t)/\($p): target offset \(.value)"' \
  "$work/copied.ndjson" | sort >&2
if ((status == 0)); then
  echo "verification passed" >&2
else
  echo "verification FAILED (ck-verify exit $status)" >&2
fi
exit "$status"
