#!/usr/bin/env bash
# Fills ${CK_CACHE_DIR:-<repo>/.cache}/kafka-3.9.1/lib with the Apache Kafka 3.9.1 jars from
# Maven Central (broker, tools, MirrorMaker 2, reload4j). Idempotent: a stamp file is written
# only after a complete download, and its presence skips the work.
set -euo pipefail

readonly PROG=kafka-jars.sh
readonly KAFKA_VERSION=3.9.1
readonly MAVEN_DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.7.1

usage() { echo "usage: $PROG [--print-dir]" >&2; }
die() { echo "$PROG: $*" >&2; exit 1; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache_dir=${CK_CACHE_DIR:-$repo_root/.cache}
version_dir=$cache_dir/kafka-$KAFKA_VERSION
lib_dir=$version_dir/lib
stamp=$version_dir/.complete

print_dir=false
case ${1-} in
  "") ;;
  --print-dir) print_dir=true ;;
  -h|--help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac

if [[ ! -f $stamp ]]; then
  command -v mvn >/dev/null || die "mvn not found on PATH (run scripts/install-deps.sh)"
  echo "$PROG: downloading Kafka $KAFKA_VERSION jars into $lib_dir" >&2
  # Download into a scratch folder and rename it, so an interrupted run never
  # leaves a half-filled lib/ that looks usable.
  mkdir -p "$version_dir"
  scratch=$(mktemp -d "$version_dir/lib.tmp.XXXXXX")
  trap 'rm -rf "$scratch" "$scratch.log"' EXIT
  # mvn -q still writes stray colour escapes; keep its output for failures only.
  if ! mvn -q -B -f "$repo_root/scripts/kafka/pom.xml" \
      "$MAVEN_DEP_PLUGIN:copy-dependencies" \
      -DoutputDirectory="$scratch" -DincludeScope=runtime >"$scratch.log" 2>&1 </dev/null; then
    cat "$scratch.log" >&2
    rm -f "$scratch.log"
    die "mvn copy-dependencies failed (is Maven Central reachable?)"
  fi
  rm -f "$scratch.log"
  compgen -G "$scratch/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null \
    || die "kafka_2.13-$KAFKA_VERSION.jar missing after download"
  rm -rf "$lib_dir"
  mv "$scratch" "$lib_dir"
  trap - EXIT
  date -u +%Y-%m-%dT%H:%M:%SZ >"$stamp"
fi

if $print_dir; then
  echo "$lib_dir"
fi
