# Sourced by scripts/clusters.sh and scripts/kafka-tool.sh: what differs between the Apache
# Kafka versions the test clusters run (one home for these rules). Needs $repo_root.

readonly CK_DEFAULT_KAFKA_VERSION=3.9.1
# The version matrix (make test-compat; SOURCE:TARGET) and the old-to-new pair make test runs.
readonly CK_COMPAT_MATRIX="2.8.2:4.4.0 4.4.0:4.4.0 3.9.1:3.9.1"
readonly CK_SUITE_COMPAT_PAIR=2.8.2:4.4.0

# Every Kafka version the matrix names, once each.
compat_versions() {
  local pair version seen=" "
  for pair in $CK_COMPAT_MATRIX; do
    for version in "${pair%%:*}" "${pair#*:}"; do
      [[ $seen == *" $version "* ]] || { seen+="$version "; echo "$version"; }
    done
  done
}

# version_at_least VERSION MAJOR MINOR: true if VERSION (MAJOR.MINOR.PATCH) >= MAJOR.MINOR.
version_at_least() {
  local major=${1%%.*} rest=${1#*.}
  local minor=${rest%%.*}
  ((major > $2 || (major == $2 && minor >= $3)))
}

# Before 3.3 a test cluster runs in ZooKeeper mode (KRaft was not production-ready); 4.0
# removed ZooKeeper mode.
kafka_zookeeper_mode() { ! version_at_least "$1" 3 3; }

# The JVM option naming the logging configuration of a broker or a tool of VERSION:
# reload4j properties up to 3.x, log4j2 XML from 4.0.
kafka_log_option() {  # broker|tools VERSION
  local base=log4j
  [[ $1 == tools ]] && base=tools-log4j
  if version_at_least "$2" 4 0; then
    echo "-Dlog4j2.configurationFile=$repo_root/scripts/kafka/$base"2.xml
  else
    echo "-Dlog4j.configuration=file:$repo_root/scripts/kafka/$base.properties"
  fi
}
