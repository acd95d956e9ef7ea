#!/usr/bin/env bash
# Two independent single-node clusters ("source" and "target") for the end-to-end tests, bound
# to 127.0.0.1, each running its own Apache Kafka version from Maven Central (jars from
# scripts/kafka-jars.sh): KRaft from 3.3 (one JVM acting as broker and controller), ZooKeeper
# mode before 3.3 (a ZooKeeper JVM from the ZooKeeper jar among Kafka's own dependencies,
# then the broker JVM).
#
#   start    fresh data dir, format, launch, wait until ready (both clusters in parallel)
#   stop     SIGTERM, SIGKILL after CK_STOP_TIMEOUT, remove the data dir; harmless if stopped
#   restart  clean stop keeping the data, launch again on it (broker-restart fault tests)
#   kill     SIGKILL, keep the data (crash fault tests)
#   pause    SIGSTOP / resume SIGCONT (hung-broker fault tests)
#   status   running / paused / stopped per cluster, with its Kafka version
#   pids     the broker JVMs' process ids, one per line (running clusters only)
#   env      CK_SOURCE_BROKERS=... / CK_TARGET_BROKERS=... lines, for eval (more when secure)
#
# CK_SECURE=1 (default off) adds three client listeners per cluster next to PLAINTEXT (which
# stays the default and the inter-broker listener): SASL_PLAINTEXT on port+10, SSL on port+11,
# SASL_SSL on port+12; SASL offers PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for one test user;
# SSL uses throwaway PEM certificates from scripts/make-test-certs.sh in $CK_RUN_DIR/certs.
# `env` then also prints CK_<CLUSTER>_SASL_BROKERS, _SSL_BROKERS, _SASL_SSL_BROKERS,
# CK_TEST_CA, CK_TEST_UNTRUSTED_CA, CK_TEST_USER, CK_TEST_PASSWORD. restart and env keep the
# mode a cluster was started in unless CK_SECURE is set.
#
# Environment: CK_SOURCE_PORT (19092), CK_SOURCE_CONTROLLER_PORT (19093), CK_TARGET_PORT (29092),
# CK_TARGET_CONTROLLER_PORT (29093), CK_RUN_DIR (<repo>/.run), CK_CACHE_DIR (<repo>/.cache),
# CK_START_TIMEOUT (120 s), CK_STOP_TIMEOUT (30 s), CK_BROKER_EXTRA_PROPS (key=value lines
# appended to both server.properties; a repeated key overrides the default, last one wins),
# CK_SOURCE_KAFKA_VERSION / CK_TARGET_KAFKA_VERSION (default CK_KAFKA_VERSION, else 3.9.1;
# e.g. 2.8.2, 3.9.1, 4.4.0; restart and env keep the version a cluster was started with),
# CK_SOURCE_ZOOKEEPER_PORT (19181), CK_TARGET_ZOOKEEPER_PORT (29181) for ZooKeeper mode,
# CK_SOURCE_EXTRA_LISTENERS / CK_TARGET_EXTRA_LISTENERS (space-separated NAME:PORT:ADVERTISED
# entries: a further PLAINTEXT listener bound to PORT whose clients are told to connect to
# ADVERTISED, e.g. a delay proxy in front of PORT; scripts/bench-wan.sh uses it).
# CK_BROKER_HEAP (512m: the broker JVM's -Xms and -Xmx; scripts/bench-scale.sh gives its
# brokers of 10,000 partitions more).
# kill, pause and resume act on the broker only; a ZooKeeper-mode cluster's ZooKeeper stays up
# until stop. CK_SECURE needs KRaft (SCRAM users are written at format time).
set -euo pipefail

readonly PROG=clusters.sh

usage() {
  echo "usage: $PROG start|stop|restart|kill|pause|resume|status|env [source|target|all]" >&2
}
die() { echo "$PROG: $*" >&2; exit 1; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=kafka/versions.sh
source "$repo_root/scripts/kafka/versions.sh"
run_dir=${CK_RUN_DIR:-$repo_root/.run}
start_timeout_s=${CK_START_TIMEOUT:-120}
stop_timeout_s=${CK_STOP_TIMEOUT:-30}
cert_dir=$run_dir/certs
# Throwaway test credentials (not secrets: they only open the local test brokers).
readonly test_user=alice test_password=alice-test-pw-4Kq9

# --- per-cluster facts ---------------------------------------------------------------------

port_var() { [[ $1 == source ]] && echo CK_SOURCE_PORT || echo CK_TARGET_PORT; }
cport_var() {
  [[ $1 == source ]] && echo CK_SOURCE_CONTROLLER_PORT || echo CK_TARGET_CONTROLLER_PORT
}
port_of() {
  local var; var=$(port_var "$1")
  if [[ $1 == source ]]; then echo "${!var:-19092}"; else echo "${!var:-29092}"; fi
}
cport_of() {
  local var; var=$(cport_var "$1")
  if [[ $1 == source ]]; then echo "${!var:-19093}"; else echo "${!var:-29093}"; fi
}
zk_port_var() {
  [[ $1 == source ]] && echo CK_SOURCE_ZOOKEEPER_PORT || echo CK_TARGET_ZOOKEEPER_PORT
}
zk_port_of() {
  local var; var=$(zk_port_var "$1")
  if [[ $1 == source ]]; then echo "${!var:-19181}"; else echo "${!var:-29181}"; fi
}
# Fixed ids (16 random bytes, URL-safe base64) so each cluster is recognisable in logs.
cluster_id_of() {
  [[ $1 == source ]] && echo QYbZgUWBT7KVLfzZKeim5w || echo fU4gKmjiljb7IYSA8mm7lA
}
dir_of() { echo "$run_dir/$1"; }
data_dir_of() { echo "$run_dir/$1/data"; }
log_of() { echo "$run_dir/$1/broker.log"; }
pid_file_of() { echo "$run_dir/$1/pid"; }
props_of() { echo "$run_dir/$1/server.properties"; }
zk_props_of() { echo "$run_dir/$1/zookeeper.properties"; }
zk_pid_file_of() { echo "$run_dir/$1/zookeeper.pid"; }
zk_log_of() { echo "$run_dir/$1/zookeeper.log"; }
version_file_of() { echo "$run_dir/$1/kafka-version"; }
sasl_port_of() { echo $(($(port_of "$1") + 10)); }
ssl_port_of() { echo $(($(port_of "$1") + 11)); }
sasl_ssl_port_of() { echo $(($(port_of "$1") + 12)); }

# Marks a server.properties written in secure mode (restart and env look for it).
readonly secure_marker="# ck-secure: SASL and SSL listeners"

# Whether a cluster runs (or is to run) with the secured listeners: CK_SECURE when set;
# otherwise a fresh start is plain, and restart/env follow the existing server.properties.
is_secure() {  # name fresh(true|false)
  if [[ -n ${CK_SECURE:-} ]]; then
    [[ $CK_SECURE == 1 ]]
  elif [[ $2 == true ]]; then
    return 1
  else
    grep -qxF "$secure_marker" "$(props_of "$1")" 2>/dev/null
  fi
}

# The Kafka version of a cluster: the environment's for a fresh start, else the one it was
# started with (recorded in its run folder).
version_var() {
  [[ $1 == source ]] && echo CK_SOURCE_KAFKA_VERSION || echo CK_TARGET_KAFKA_VERSION
}
kafka_version_of() {  # name fresh(true|false)
  local var; var=$(version_var "$1")
  if [[ $2 == false && -f $(version_file_of "$1") ]]; then
    cat "$(version_file_of "$1")"
  else
    echo "${!var:-${CK_KAFKA_VERSION:-$CK_DEFAULT_KAFKA_VERSION}}"
  fi
}
is_zookeeper_mode() { kafka_zookeeper_mode "$(kafka_version_of "$1" "${2:-false}")"; }

# The extra listeners asked for a cluster, one NAME:PORT:ADVERTISED per line.
extra_listeners_of() {
  local var entry
  var=CK_${1^^}_EXTRA_LISTENERS
  for entry in ${!var:-}; do
    [[ $entry =~ ^[A-Z][A-Z0-9_]*:[0-9]+:[0-9]+$ ]] \
      || die "$1: $var: expected NAME:PORT:ADVERTISED entries, got '$entry'"
    echo "$entry"
  done
}

# Every port a cluster's broker binds (PLAINTEXT, CONTROLLER in KRaft mode, then the secured
# ones if any, then the extra ones).
ports_of() {  # name secure(true|false)
  if is_zookeeper_mode "$1"; then echo "$(port_of "$1")"; else echo "$(port_of "$1") $(cport_of "$1")"; fi
  if [[ $2 == true ]]; then echo "$(sasl_port_of "$1") $(ssl_port_of "$1") $(sasl_ssl_port_of "$1")"; fi
  extra_listeners_of "$1" | cut -d: -f2
}

lib_dir() {  # version
  "$repo_root/scripts/kafka-jars.sh" --print-dir "$1" || die "cannot get the Kafka $1 jars"
}

# --- processes -----------------------------------------------------------------------------

# Prints the PID recorded in a file if that process is alive and its command line still names
# our properties file (not a reused PID).
live_pid_in() {  # pid_file properties_file
  local pid
  [[ -f $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}
live_pid() { live_pid_in "$(pid_file_of "$1")" "$(props_of "$1")"; }
live_zk_pid() { live_pid_in "$(zk_pid_file_of "$1")" "$(zk_props_of "$1")"; }

wait_gone() {  # pid timeout_s
  local deadline=$((SECONDS + $2))
  while [[ -e /proc/$1 ]] && ((SECONDS < deadline)); do
    # A reaped child of init vanishes; a zombie would linger only until then.
    [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) == Z ]] && return 0
    sleep 0.2
  done
  [[ ! -e /proc/$1 ]] || [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) == Z ]]
}

port_in_use() {  # port
  # A connect that succeeds means something already listens there.
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# A SIGKILLed JVM's main thread turns zombie before its other threads have closed the
# listening sockets, so "process gone" alone does not mean the ports are free again.
wait_ports_closed() {  # name timeout_s [secure(true|false)]
  local deadline=$((SECONDS + $2)) port
  for port in $(ports_of "$1" "${3:-false}"); do
    while port_in_use "$port"; do
      ((SECONDS < deadline)) || return 1
      sleep 0.2
    done
  done
}

check_ports_free() {  # name secure(true|false)
  local name=$1 port cport extra
  port=$(port_of "$name")
  cport=$(cport_of "$name")
  if port_in_use "$port"; then
    die "$name: port 127.0.0.1:$port is already in use; free it or set $(port_var "$name")"
  fi
  if ! is_zookeeper_mode "$name" && port_in_use "$cport"; then
    die "$name: port 127.0.0.1:$cport is already in use; free it or set $(cport_var "$name")"
  fi
  if [[ $2 == true ]]; then
    for extra in $(sasl_port_of "$name") $(ssl_port_of "$name") $(sasl_ssl_port_of "$name"); do
      if port_in_use "$extra"; then
        die "$name: port 127.0.0.1:$extra (secured listener, $(port_var "$name")+10..12) is already in use; choose another $(port_var "$name")"
      fi
    done
  fi
}

# --- configuration -------------------------------------------------------------------------

# A PEM file's body as a properties value: one line per PEM line, joined by "\" continuations
# (Kafka's PEM parser ignores the whitespace between base64 lines).
pem_value() { sed -e '$!s/$/ \\/' "$1"; }

# The secured listeners' settings (appended after the plain ones).
secure_properties() {  # name
  local name=$1 jaas_plain jaas_scram listener mech
  jaas_plain="org.apache.kafka.common.security.plain.PlainLoginModule required user_${test_user}=\"$test_password\";"
  jaas_scram="org.apache.kafka.common.security.scram.ScramLoginModule required;"
  echo "$secure_marker"
  echo "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
  for listener in sasl_plaintext sasl_ssl; do
    echo "listener.name.$listener.plain.sasl.jaas.config=$jaas_plain"
    for mech in scram-sha-256 scram-sha-512; do
      echo "listener.name.$listener.$mech.sasl.jaas.config=$jaas_scram"
    done
  done
  # Inline PEM: an unencrypted key is accepted inline, while a PEM key store file would
  # require an encrypted key and ssl.key.password.
  echo "ssl.keystore.type=PEM"
  echo "ssl.keystore.certificate.chain=$(pem_value "$cert_dir/broker.pem")"
  echo "ssl.keystore.key=$(pem_value "$cert_dir/broker.key")"
  echo "ssl.truststore.type=PEM"
  echo "ssl.truststore.location=$cert_dir/ca.pem"
  echo "ssl.client.auth=none"
}

# The settings both modes share, after the mode's own (listeners, roles or ZooKeeper).
common_properties() {  # name protocol_map
  cat <<PROPS
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$2
log.dirs=$(data_dir_of "$1")
num.partitions=1
auto.create.topics.enable=false
delete.topic.enable=true
offsets.topic.num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.max.timeout.ms=900000
transaction.abort.timed.out.transaction.cleanup.interval.ms=10000
group.initial.rebalance.delay.ms=0
log.retention.check.interval.ms=10000
PROPS
}

write_properties() {
  local name=$1 secure=$2 port cport listeners advertised
  port=$(port_of "$name")
  cport=$(cport_of "$name")
  listeners="PLAINTEXT://127.0.0.1:$port"
  advertised="PLAINTEXT://127.0.0.1:$port"
  if [[ $secure == true ]]; then
    local secured
    secured="SASL_PLAINTEXT://127.0.0.1:$(sasl_port_of "$name"),SSL://127.0.0.1:$(ssl_port_of "$name"),SASL_SSL://127.0.0.1:$(sasl_ssl_port_of "$name")"
    listeners+=",$secured"
    advertised+=",$secured"
  fi
  local protocols=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
  local extra_name extra_port extra_advertised
  while IFS=: read -r extra_name extra_port extra_advertised; do
    listeners+=",$extra_name://127.0.0.1:$extra_port"
    advertised+=",$extra_name://127.0.0.1:$extra_advertised"
    protocols+=",$extra_name:PLAINTEXT"
  done < <(extra_listeners_of "$name")
  {
    echo "# Written by scripts/clusters.sh for the \"$name\" test cluster (Kafka $(kafka_version_of "$name" false))."
    if is_zookeeper_mode "$name"; then
      echo "broker.id=1"
      echo "zookeeper.connect=127.0.0.1:$(zk_port_of "$name")"
      echo "listeners=$listeners"
    else
      echo "process.roles=broker,controller"
      echo "node.id=1"
      echo "controller.quorum.voters=1@127.0.0.1:$cport"
      echo "controller.listener.names=CONTROLLER"
      echo "listeners=$listeners,CONTROLLER://127.0.0.1:$cport"
    fi
    echo "advertised.listeners=$advertised"
    common_properties "$name" "$protocols"
    # Share groups (KIP-932, 4.1+) keep their state in a topic of replication factor 3 by
    # default, which a one-broker cluster cannot create.
    if version_at_least "$(kafka_version_of "$name" false)" 4 1; then
      echo "share.coordinator.state.topic.replication.factor=1"
      echo "share.coordinator.state.topic.min.isr=1"
      echo "share.coordinator.state.topic.num.partitions=3"
    fi
  } >"$(props_of "$name")"
  if [[ $secure == true ]]; then secure_properties "$name" >>"$(props_of "$name")"; fi
  if [[ -n ${CK_BROKER_EXTRA_PROPS:-} ]]; then
    printf '# CK_BROKER_EXTRA_PROPS\n%s\n' "$CK_BROKER_EXTRA_PROPS" >>"$(props_of "$name")"
  fi
}

format_storage() {
  local name=$1 lib=$2 secure=$3 dir scram=()
  dir=$(dir_of "$name")
  # KRaft keeps SCRAM credentials in the metadata log: the test user is written at format time.
  if [[ $secure == true ]]; then
    scram=(--add-scram "SCRAM-SHA-256=[name=$test_user,password=$test_password]"
           --add-scram "SCRAM-SHA-512=[name=$test_user,password=$test_password]")
  fi
  if ! java -Xmx256m -cp "$lib/*" \
      "$(kafka_log_option tools "$(kafka_version_of "$name" false)")" \
      -Djava.io.tmpdir="$dir/tmp" \
      kafka.tools.StorageTool format -t "$(cluster_id_of "$name")" -c "$(props_of "$name")" \
      "${scram[@]+"${scram[@]}"}" >"$dir/format.log" 2>&1 </dev/null; then
    cat "$dir/format.log" >&2
    die "$name: formatting $(data_dir_of "$name") failed"
  fi
}

# Starts the JVM detached from this script (own session, no terminal) and records its PID.
launch() {
  local name=$1 lib=$2 dir log pid_file
  dir=$(dir_of "$name")
  log=$(log_of "$name")
  pid_file=$(pid_file_of "$name")
  rm -f "$pid_file"
  echo "=== $PROG: launch $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$log"
  # The JVM unpacks snappy/zstd native code into java.io.tmpdir: keep it ours and writable.
  # shellcheck disable=SC2016  # $$ and $1 belong to the inner shell
  setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pid_file" \
    java "-Xms${CK_BROKER_HEAP:-512m}" "-Xmx${CK_BROKER_HEAP:-512m}" -Djava.awt.headless=true -cp "$lib/*" \
    "$(kafka_log_option broker "$(kafka_version_of "$name" false)")" \
    -Djava.io.tmpdir="$dir/tmp" \
    kafka.Kafka "$(props_of "$name")" >>"$log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 10))
  until [[ -s $pid_file ]]; do
    ((SECONDS < deadline)) || die "$name: JVM did not start (no $pid_file)"
    sleep 0.05
  done
}

# Byte offset of the log before a launch, so readiness only looks at the new run's lines.
log_size() { stat -c %s "$(log_of "$1")" 2>/dev/null || echo 0; }

is_ready() {  # name log_offset
  # KRaft: "Kafka Server started"; ZooKeeper mode: "[KafkaServer id=1] started".
  tail -c +$(($2 + 1)) "$(log_of "$1")" \
    | grep -qE "Kafka Server started|\[KafkaServer id=[0-9]+\] started" || return 1
  kcat -b "127.0.0.1:$(port_of "$1")" -L -m 5 >/dev/null 2>&1 || return 1
  if grep -qxF "$secure_marker" "$(props_of "$1")"; then
    # One authenticated TLS round trip proves the certificates and SCRAM credentials too.
    kcat -b "127.0.0.1:$(sasl_ssl_port_of "$1")" -L -m 5 -X security.protocol=SASL_SSL \
      -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username="$test_user" \
      -X sasl.password="$test_password" -X ssl.ca.location="$cert_dir/ca.pem" >/dev/null 2>&1
  fi
}

fail_start() {  # name reason
  local name=$1 pid
  echo "$PROG: $name: $2; last 40 lines of $(log_of "$name"):" >&2
  tail -n 40 "$(log_of "$name")" >&2 || true
  if pid=$(live_pid "$name"); then
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || true
  fi
  rm -f "$(pid_file_of "$name")"
}

# Waits for every named cluster against one shared deadline; returns 1 if any failed.
wait_ready() {  # name=offset ...
  local deadline=$((SECONDS + start_timeout_s)) pending=("$@") failed=0 entry name offset
  while ((${#pending[@]} > 0)); do
    local still=()
    for entry in "${pending[@]}"; do
      name=${entry%%=*}
      offset=${entry#*=}
      if ! live_pid "$name" >/dev/null; then
        fail_start "$name" "broker exited during startup"
        failed=1
      elif is_ready "$name" "$offset"; then
        echo "$PROG: $name ready on 127.0.0.1:$(port_of "$name") (pid $(live_pid "$name"))" >&2
      elif ((SECONDS >= deadline)); then
        fail_start "$name" "not ready after ${start_timeout_s}s (CK_START_TIMEOUT)"
        failed=1
      else
        still+=("$entry")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]} == 0)) || sleep 0.5
  done
  return "$failed"
}

# --- ZooKeeper (clusters before Kafka 3.3) -----------------------------------------------------

# Stops a process we started: SIGTERM (SIGCONT too, for a paused one), SIGKILL after the deadline.
terminate() {  # name pid what
  kill -TERM "$2" 2>/dev/null || true
  kill -CONT "$2" 2>/dev/null || true  # a paused JVM handles SIGTERM only once resumed
  if ! wait_gone "$2" "$stop_timeout_s"; then
    echo "$PROG: $1: $3 pid $2 ignored SIGTERM for ${stop_timeout_s}s, sending SIGKILL" >&2
    kill -KILL "$2" 2>/dev/null || true
    wait_gone "$2" 10 || die "$1: $3 pid $2 survived SIGKILL"
  fi
}

stop_zookeeper() {  # name
  local pid
  if pid=$(live_zk_pid "$1"); then terminate "$1" "$pid" ZooKeeper; fi
  rm -rf "$(zk_pid_file_of "$1")" "$(dir_of "$1")/zookeeper-data"
}

# Starts the cluster's ZooKeeper (the jar that comes among Kafka's dependencies) unless it runs,
# and waits until its port accepts connections.
start_zookeeper() {  # name lib
  local name=$1 lib=$2 port pid_file deadline
  live_zk_pid "$name" >/dev/null && return 0
  port=$(zk_port_of "$name")
  if port_in_use "$port"; then
    die "$name: port 127.0.0.1:$port is already in use; free it or set $(zk_port_var "$name")"
  fi
  mkdir -p "$(dir_of "$name")/zookeeper-data"
  cat >"$(zk_props_of "$name")" <<PROPS
# Written by scripts/clusters.sh for the "$name" test cluster's ZooKeeper.
dataDir=$(dir_of "$name")/zookeeper-data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
PROPS
  pid_file=$(zk_pid_file_of "$name")
  rm -f "$pid_file"
  # shellcheck disable=SC2016  # $$ and $1 belong to the inner shell
  setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pid_file" \
    java -Xmx256m -Djava.awt.headless=true -cp "$lib/*" \
    "$(kafka_log_option tools "$(kafka_version_of "$name" false)")" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$(zk_props_of "$name")" \
    >>"$(zk_log_of "$name")" 2>&1 </dev/null &
  deadline=$((SECONDS + 30))
  until port_in_use "$port"; do
    if ((SECONDS >= deadline)) || ! { sleep 0.2; live_zk_pid "$name" >/dev/null; }; then
      tail -n 20 "$(zk_log_of "$name")" >&2
      die "$name: ZooKeeper did not listen on 127.0.0.1:$port within 30 s"
    fi
  done
}

# --- commands ------------------------------------------------------------------------------

stop_one() {  # name keep_data(true|false)
  local name=$1 keep_data=$2 pid secure=false
  if is_secure "$name" false; then secure=true; fi
  if pid=$(live_pid "$name"); then
    terminate "$name" "$pid" broker
    wait_ports_closed "$name" 10 "$secure" || die "$name: ports still open after pid $pid exited"
  fi
  rm -f "$(pid_file_of "$name")"
  if [[ $keep_data == false ]]; then
    stop_zookeeper "$name"  # after its broker, which would otherwise wait for it
    rm -rf "$(data_dir_of "$name")" "$(dir_of "$name")/tmp"
  fi
}

# Prepares a cluster for launch; prints name=log_offset for wait_ready.
prepare_one() {  # name lib fresh(true|false)
  local name=$1 lib=$2 fresh=$3 pid secure=false
  if is_secure "$name" "$fresh"; then secure=true; fi
  if pid=$(live_pid "$name"); then
    die "$name: already running (pid $pid); use '$PROG stop $name' or 'restart $name'"
  fi
  mkdir -p "$(dir_of "$name")"
  if [[ $fresh == true ]]; then
    kafka_version_of "$name" true >"$(version_file_of "$name")"
    stop_zookeeper "$name"
    rm -rf "$(data_dir_of "$name")"
    : >"$(log_of "$name")"
  fi
  if [[ $secure == true ]] && is_zookeeper_mode "$name"; then
    die "$name: CK_SECURE=1 needs KRaft (Kafka 3.3 or newer); Kafka $(kafka_version_of "$name" false) runs in ZooKeeper mode"
  fi
  extra_listeners_of "$name" >/dev/null  # a malformed entry stops here, not in a subshell
  check_ports_free "$name" "$secure"
  rm -rf "$(dir_of "$name")/tmp"
  mkdir -p "$(dir_of "$name")/tmp"
  if [[ $secure == true ]]; then
    bash "$repo_root/scripts/make-test-certs.sh" "$cert_dir" 2>/dev/null \
      || die "$name: cannot make the test certificates in $cert_dir"
  fi
  write_properties "$name" "$secure"
  if is_zookeeper_mode "$name"; then
    start_zookeeper "$name" "$lib"  # the broker writes meta.properties itself
  elif [[ ! -f $(data_dir_of "$name")/meta.properties ]]; then
    format_storage "$name" "$lib" "$secure"
  fi
}

start_many() {  # fresh(true|false) name...
  local fresh=$1 name entries=() libs=()
  shift
  command -v kcat >/dev/null || die "kcat not found on PATH (run scripts/install-deps.sh)"
  command -v java >/dev/null || die "java not found on PATH (run scripts/install-deps.sh)"
  for name in "$@"; do
    libs+=("$(lib_dir "$(kafka_version_of "$name" "$fresh")")")
    prepare_one "$name" "${libs[-1]}" "$fresh"
  done
  local i=0
  for name in "$@"; do
    entries+=("$name=$(log_size "$name")")
    launch "$name" "${libs[i++]}"
  done
  wait_ready "${entries[@]}" || exit 1
}

signal_one() {  # name signal
  local pid
  pid=$(live_pid "$1") || die "$1: not running"
  kill -"$2" "$pid"
}

kill_one() {  # crash: no clean shutdown, data kept for the next restart
  local pid secure=false
  if is_secure "$1" false; then secure=true; fi
  pid=$(live_pid "$1") || die "$1: not running"
  kill -KILL "$pid"
  wait_gone "$pid" 10 || die "$1: pid $pid survived SIGKILL"
  wait_ports_closed "$1" 10 "$secure" || die "$1: ports still open after pid $pid exited"
  rm -f "$(pid_file_of "$1")"
}

status_one() {
  local name=$1 pid state
  if pid=$(live_pid "$name"); then
    state=$(awk '{print $3}' "/proc/$pid/stat")
    if [[ $state == T ]]; then
      echo "$name: paused (pid $pid, 127.0.0.1:$(port_of "$name"), Kafka $(kafka_version_of "$name" false))"
    else
      echo "$name: running (pid $pid, 127.0.0.1:$(port_of "$name"), Kafka $(kafka_version_of "$name" false))"
    fi
  else
    echo "$name: stopped"
    if pid=$(live_zk_pid "$name"); then echo "$name: ZooKeeper still running (pid $pid)"; fi
  fi
}

main() {
  (($# >= 1 && $# <= 2)) || { usage; exit 2; }
  local cmd=$1 which=${2:-all} names name
  case $which in
    source|target) names=("$which") ;;
    all) names=(source target) ;;
    *) usage; exit 2 ;;
  esac
  case $cmd in
    start) start_many true "${names[@]}" ;;
    restart)
      for name in "${names[@]}"; do stop_one "$name" true; done
      start_many false "${names[@]}"
      ;;
    stop) for name in "${names[@]}"; do stop_one "$name" false; done ;;
    kill) for name in "${names[@]}"; do kill_one "$name"; done ;;
    pause) for name in "${names[@]}"; do signal_one "$name" STOP; done ;;
    resume) for name in "${names[@]}"; do signal_one "$name" CONT; done ;;
    status) for name in "${names[@]}"; do status_one "$name"; done ;;
    pids) for name in "${names[@]}"; do live_pid "$name" || true; done ;;
    env)
      local any_secure=false
      for name in "${names[@]}"; do
        echo "CK_${name^^}_BROKERS=127.0.0.1:$(port_of "$name")"
        if is_secure "$name" false; then
          any_secure=true
          echo "CK_${name^^}_SASL_BROKERS=127.0.0.1:$(sasl_port_of "$name")"
          echo "CK_${name^^}_SSL_BROKERS=127.0.0.1:$(ssl_port_of "$name")"
          echo "CK_${name^^}_SASL_SSL_BROKERS=127.0.0.1:$(sasl_ssl_port_of "$name")"
        fi
      done
      if [[ $any_secure == true ]]; then
        echo "CK_TEST_CA=$cert_dir/ca.pem"
        echo "CK_TEST_UNTRUSTED_CA=$cert_dir/untrusted-ca.pem"
        echo "CK_TEST_USER=$test_user"
        echo "CK_TEST_PASSWORD=$test_password"
      fi
      ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
