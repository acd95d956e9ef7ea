#!/usr/bin/env bash
# Installs the build and test dependencies on Debian 12, then the Kafka jars.
# Idempotent: on a fully provisioned machine it changes nothing and prints nothing.
# Several runs at once (parallel make, two makes) take turns on a lock around apt-get:
# dpkg allows one install at a time, and a run that waited finds the packages installed.
set -euo pipefail

readonly PROG=install-deps.sh

usage() {
  echo "usage: $PROG [--native | --java]   (--native: build packages only;" \
       "--java: JDK, Maven and the Kafka jars only; default: both)" >&2
}

native=true java=true
case ${1-} in
  "") ;;
  --native) java=false ;;
  --java) native=false ;;
  -h|--help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lock_file=${CK_DEPS_LOCK:-${TMPDIR:-/tmp}/ck-migrate-install-deps.lock}

packages=()
if $native; then
  packages+=(g++ make pkg-config librdkafka-dev libcxxopts-dev libsimdjson-dev catch2 kcat
             libxxhash-dev jq procps openssl time bsdextrautils clang-14 libclang-rt-14-dev
             parallel)
fi
if $java; then
  # A JDK or Maven installed some other way (e.g. SDKMAN, a CI image) is good enough.
  command -v java >/dev/null || packages+=(default-jdk-headless)
  command -v mvn >/dev/null || packages+=(maven)
fi

is_installed() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [[ $status == "install ok installed" ]]
}

missing_packages() {
  missing=()
  local pkg
  for pkg in "${packages[@]+"${packages[@]}"}"; do
    is_installed "$pkg" || missing+=("$pkg")
  done
}

install_missing() {
  missing_packages
  ((${#missing[@]} > 0)) || return 0
  local install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if ((EUID != 0)); then
    echo "$PROG: missing packages: ${missing[*]}" >&2
    echo "$PROG: run as root: apt-get update && $install_cmd" >&2
    exit 2
  fi
  # Asked again under the lock: a run that held it may have installed them meanwhile.
  exec {lock_fd}>"$lock_file"
  flock "$lock_fd"
  missing_packages
  if ((${#missing[@]} > 0)); then
    echo "$PROG: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  fi
  exec {lock_fd}>&-
}

install_missing
if $java; then
  # shellcheck source=kafka/versions.sh
  source "$repo_root/scripts/kafka/versions.sh"
  # The default version, then every version of the compatibility matrix (make test runs one
  # pair of it, make test-compat all of them).
  "$repo_root/scripts/kafka-jars.sh"
  for version in $(compat_versions); do "$repo_root/scripts/kafka-jars.sh" "$version"; done
fi
exit 0
