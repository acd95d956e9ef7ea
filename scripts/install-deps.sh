#!/usr/bin/env bash
# Installs the build and test dependencies on Debian 12, then the Kafka jars.
# Idempotent: on a fully provisioned machine it changes nothing and prints nothing.
set -euo pipefail

readonly PROG=install-deps.sh

usage() { echo "usage: $PROG [--native]   (--native: build packages only, no Java/Kafka jars)" >&2; }

native_only=false
case ${1-} in
  "") ;;
  --native) native_only=true ;;
  -h|--help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(g++ make pkg-config librdkafka-dev libcxxopts-dev libsimdjson-dev catch2 kcat
          libxxhash-dev jq procps openssl time bsdextrautils clang-14 libclang-rt-14-dev)
if ! $native_only; then
  # A JDK or Maven installed some other way (e.g. SDKMAN, a CI image) is good enough.
  command -v java >/dev/null || packages+=(default-jdk-headless)
  command -v mvn >/dev/null || packages+=(maven)
fi

is_installed() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [[ $status == "install ok installed" ]]
}

missing=()
for pkg in "${packages[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
  install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if ((EUID != 0)); then
    echo "$PROG: missing packages: ${missing[*]}" >&2
    echo "$PROG: run as root: apt-get update && $install_cmd" >&2
    exit 2
  fi
  echo "$PROG: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q </dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

$native_only || "$repo_root/scripts/kafka-jars.sh"
