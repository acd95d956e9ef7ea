#!/usr/bin/env bash
# Fills ${CK_CACHE_DIR:-<repo>/.cache}/kafka-VERSION/lib with the jars of one Apache Kafka
# version from Maven Central (broker, tools, MirrorMaker 2, the logging backend: reload4j up
# to 3.x, log4j2 from 4.0; no MirrorMaker 2 from 4.0). VERSION: the argument, else CK_KAFKA_VERSION, else 3.9.1.
# One folder per version, never mixed. Idempotent: a stamp file is written only after a
# complete download, and its presence skips the work.
#   --print-dir   print the lib folder afterwards
set -euo pipefail

readonly PROG=kafka-jars.sh
readonly MAVEN_DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.7.1

usage() { echo "usage: $PROG [--print-dir] [VERSION]   (default \$CK_KAFKA_VERSION or $CK_DEFAULT_KAFKA_VERSION)" >&2; }
die() { echo "$PROG: $*" >&2; exit 1; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=kafka/versions.sh
source "$repo_root/scripts/kafka/versions.sh"
cache_dir=${CK_CACHE_DIR:-$repo_root/.cache}

print_dir=false
kafka_version=${CK_KAFKA_VERSION:-$CK_DEFAULT_KAFKA_VERSION}
while (($#)); do
  case $1 in
    --print-dir) print_dir=true ;;
    -h|--help) usage; exit 0 ;;
    -*) usage; exit 2 ;;
    *) kafka_version=$1 ;;
  esac
  shift
done
[[ $kafka_version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
  || die "Kafka version '$kafka_version' is not of the form MAJOR.MINOR.PATCH (e.g. 3.9.1)"

version_dir=$cache_dir/kafka-$kafka_version
lib_dir=$version_dir/lib
stamp=$version_dir/.complete
maven_props=(-Dkafka.version="$kafka_version")
# Kafka 4.0 moved from reload4j to log4j2 (see the profiles in scripts/kafka/pom.xml).
# MirrorMaker 2 (only bench.sh uses it) is left out from 4.0: the Maven mirror here serves
# no connect-mirror 4.x jar.
if version_at_least "$kafka_version" 4 0; then maven_props+=(-Dkafka.log4j2 -Dkafka.no.mm2); fi

if [[ ! -f $stamp ]]; then
  command -v mvn >/dev/null || die "mvn not found on PATH (run scripts/install-deps.sh)"
  echo "$PROG: downloading Kafka $kafka_version jars into $lib_dir" >&2
  # Download into a scratch folder and rename it, so an interrupted run never
  # leaves a half-filled lib/ that looks usable.
  mkdir -p "$version_dir"
  scratch=$(mktemp -d "$version_dir/lib.tmp.XXXXXX")
  trap 'rm -rf "$scratch" "$scratch.log"' EXIT
  # mvn -q still writes stray colour escapes; keep its output for failures only.
  if ! mvn -q -B -f "$repo_root/scripts/kafka/pom.xml" "${maven_props[@]}" \
      "$MAVEN_DEP_PLUGIN:copy-dependencies" \
      -DoutputDirectory="$scratch" -DincludeScope=runtime >"$scratch.log" 2>&1 </dev/null; then
    cat "$scratch.log" >&2
    rm -f "$scratch.log"
    die "mvn copy-dependencies for Kafka $kafka_version failed (is Maven Central reachable? is $kafka_version published?)"
  fi
  rm -f "$scratch.log"
  compgen -G "$scratch/kafka_2.13-$kafka_version.jar" >/dev/null \
    || die "kafka_2.13-$kafka_version.jar missing after download"
  rm -rf "$lib_dir"
  mv "$scratch" "$lib_dir"
  trap - EXIT
  date -u +%Y-%m-%dT%H:%M:%SZ >"$stamp"
fi

if $print_dir; then
  echo "$lib_dir"
fi
