#!/usr/bin/env bash
# Set-up on a machine without the packages: `make -j deps deps-native` (what `make demo` and
# `make test` pull in) and two makes at once never run two package installs at the same
# time (dpkg takes one; the second apt-get died on its lock), install each package once,
# and a second run installs nothing. apt-get and dpkg-query are stand-ins on a PATH that
# holds no java or mvn, so every package looks missing until the stand-in "installs" it.
source "$(dirname "$0")/lib.sh"

if ((EUID != 0)); then
  pass "skipped: install-deps.sh installs only as root (it prints the apt-get line otherwise)"
  exit 0
fi

bin=$WORK/bin state=$WORK/apt
mkdir -p "$bin"
for tool in bash make flock mkdir rmdir sleep touch dirname cat date rm mv mktemp find nproc grep; do
  ln -s "$(command -v "$tool")" "$bin/$tool"
done
# apt-get: refuses (exit 100, as dpkg's lock does) while another run holds the lock.
cat >"$bin/apt-get" <<'STANDIN'
#!/bin/bash
if ! mkdir "$CK_FAKE_APT/busy" 2>/dev/null; then
  echo "apt-get $*" >>"$CK_FAKE_APT/overlaps"
  echo "E: Could not get lock /var/lib/dpkg/lock-frontend" >&2
  exit 100
fi
echo "$*" >>"$CK_FAKE_APT/runs"
sleep 0.3
if [[ $1 == install ]]; then
  for arg in "$@"; do
    [[ $arg == install || $arg == -* ]] && continue
    echo "$arg" >>"$CK_FAKE_APT/installed"
    : >"$CK_FAKE_APT/$arg.installed"
  done
fi
rmdir "$CK_FAKE_APT/busy"
STANDIN
# dpkg-query -W -f='${Status}' PACKAGE: installed once the stand-in apt-get installed it.
cat >"$bin/dpkg-query" <<'STANDIN'
#!/bin/bash
pkg=${!#}
if [[ -f $CK_FAKE_APT/$pkg.installed ]]; then
  printf 'install ok installed'
else
  echo "dpkg-query: no packages found matching $pkg" >&2
  exit 1
fi
STANDIN
chmod +x "$bin/apt-get" "$bin/dpkg-query"

# The Kafka jars count as downloaded (kafka-jars.sh skips the work on its stamp): the default
# version and every version of the compatibility matrix.
cache=$WORK/cache
# shellcheck source=../../scripts/kafka/versions.sh
source "$CK_REPO/scripts/kafka/versions.sh"
for version in "$CK_DEFAULT_KAFKA_VERSION" $(compat_versions); do
  mkdir -p "$cache/kafka-$version" && touch "$cache/kafka-$version/.complete"
done

fresh_machine() { rm -rf "$state"; mkdir -p "$state"; }
# run_make ARGS...: the real Makefile, as a user would run it, with the stand-ins.
run_make() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH="$bin" CK_FAKE_APT="$state" \
    CK_CACHE_DIR="$cache" CK_DEPS_LOCK="$WORK/deps.lock" \
    make -C "$CK_REPO" --no-print-directory "$@"
}
# check_installs WHAT: no overlap, every package installed exactly once, java part included.
check_installs() {
  [[ ! -f $state/overlaps ]] || fail "$1: two installs at once: $(cat "$state/overlaps")"
  [[ -f $state/installed ]] || fail "$1: nothing installed"
  local twice
  twice=$(sort "$state/installed" | uniq -d | tr '\n' ' ')
  expect_eq "$1: packages installed twice" "$twice" ""
  grep -qx librdkafka-dev "$state/installed" || fail "$1: librdkafka-dev not installed"
  grep -qx default-jdk-headless "$state/installed" || fail "$1: no JDK installed"
  grep -qx maven "$state/installed" || fail "$1: maven not installed"
}

fresh_machine
run_make -j8 deps deps-native >"$WORK/make.out" 2>&1 \
  || fail "make -j8 deps deps-native: $(tail -n 5 "$WORK/make.out")"
check_installs "make -j8 deps deps-native"
native_runs=$(grep -c '^install .*librdkafka-dev' "$state/runs")
expect_eq "native packages installs" "$native_runs" 1

# Already provisioned: nothing to install, nothing printed.
: >"$state/runs"
run_make -j8 deps >"$WORK/make.out" 2>&1 || fail "second make deps: $(tail -n 5 "$WORK/make.out")"
expect_eq "apt-get runs on a provisioned machine" "$(count_lines "$state/runs")" 0
expect_eq "output on a provisioned machine" "$(cat "$WORK/make.out")" ""

# Two makes at once (e.g. `make` in one terminal, `make demo` in another) take turns.
fresh_machine
run_make -j4 deps >"$WORK/a.out" 2>&1 & a=$!
run_make -j4 deps-native >"$WORK/b.out" 2>&1 & b=$!
wait "$a" || fail "make deps beside make deps-native: $(tail -n 5 "$WORK/a.out")"
wait "$b" || fail "make deps-native beside make deps: $(tail -n 5 "$WORK/b.out")"
check_installs "two makes at once"
pass "$(count_lines "$state/runs") apt-get runs, none at once"
