#!/usr/bin/env bash
# Runs a Kafka command-line tool's main class from the test jars, e.g.
#   scripts/kafka-tool.sh org.apache.kafka.tools.TopicCommand \
#     --bootstrap-server 127.0.0.1:19092 --create --topic t --partitions 2
# CK_KAFKA_VERSION (default 3.9.1) picks the Kafka version whose jars run it; main classes
# move between versions (e.g. kafka.admin.ConfigCommand became
# org.apache.kafka.tools.ConfigCommand in 4.0).
set -euo pipefail

readonly PROG=kafka-tool.sh

usage() { echo "usage: $PROG MAIN_CLASS [args...]" >&2; }

if (($# < 1)); then usage; exit 2; fi
case $1 in
  -h|--help) usage; exit 0 ;;
  -*) usage; exit 2 ;;
esac

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v java >/dev/null || { echo "$PROG: java not found on PATH" >&2; exit 1; }
# shellcheck source=kafka/versions.sh
source "$repo_root/scripts/kafka/versions.sh"
kafka_version=${CK_KAFKA_VERSION:-$CK_DEFAULT_KAFKA_VERSION}
lib_dir=$("$repo_root/scripts/kafka-jars.sh" --print-dir "$kafka_version") \
  || { echo "$PROG: cannot get the Kafka jars" >&2; exit 1; }

main_class=$1
shift
exec java -Xmx256m -Djava.awt.headless=true -cp "$lib_dir/*" \
  "$(kafka_log_option tools "$kafka_version")" \
  "$main_class" "$@"
