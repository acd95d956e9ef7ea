#!/usr/bin/env bash
# Runs a Kafka command-line tool's main class from the test jars, e.g.
#   scripts/kafka-tool.sh org.apache.kafka.tools.TopicCommand \
#     --bootstrap-server 127.0.0.1:19092 --create --topic t --partitions 2
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
lib_dir=$("$repo_root/scripts/kafka-jars.sh" --print-dir) \
  || { echo "$PROG: cannot get the Kafka jars" >&2; exit 1; }

main_class=$1
shift
exec java -Xmx256m -Djava.awt.headless=true -cp "$lib_dir/*" \
  -Dlog4j.configuration="file:$repo_root/scripts/kafka/tools-log4j.properties" \
  "$main_class" "$@"
