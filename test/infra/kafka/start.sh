#!/usr/bin/env bash
# Starts one Kafka broker (KRaft combined mode, single node, 127.0.0.1, free ports) and writes
# $PEREGRINE_IT_STATE/kafka.json (shape: KafkaInfra in state.ts). Listeners:
#   PLAINTEXT       no auth
#   SASL_PLAINTEXT  PLAIN, SCRAM-SHA-256, SCRAM-SHA-512   (user falco / falco-secret)
#   SSL             TLS, client certificate required (CA, server and client cert made with openssl)
#   SASL_SSL        TLS (no client cert) + PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
# Every start is fresh: new ports, certs and an empty data dir.
#
#   start.sh            fresh start of the instance ($KAFKA_INSTANCE, default the shared "kafka")
#   start.sh --resume   restart the instance's broker on the same ports, config and data (no
#                       format, no new certs); used by control.ts resumeBroker after pauseBroker.
#                       Through infra.sh: KAFKA_RESUME=1 bash test/infra/infra.sh kafka start
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$INFRA_DIR/kafka/common.sh"

KAFKA_USER=falco
KAFKA_PASSWORD=falco-secret
mode="${1:-fresh}"
[ "${KAFKA_RESUME:-}" = 1 ] && mode=--resume

java_bin="$(kafka_java)"
node_bin="$(kafka_node)"
[ -f "$KAFKA_LIB/.complete" ] || fail start "kafka is not installed in $KAFKA_LIB; run: bash test/infra/infra.sh kafka install"
[ -n "$java_bin" ] || fail start "no java found (need JDK 17+)"
[ -n "$node_bin" ] || fail start "no node found (needed for the readiness probe)"
(cd "$KAFKA_SCRIPT_DIR" && "$node_bin" -e "import('kafkajs')" >/dev/null 2>&1) ||
  fail start "kafkajs is not resolvable from $REPO_DIR (run npm ci)"

conf="$KAFKA_RUN/server.properties"
broker_log="$KAFKA_RUN/broker.log"
run_state="$KAFKA_RUN/state.json"
# C1-only JIT + serial GC: about half the CPU (and wall time on a busy 2-core box) to become ready;
# throughput is irrelevant for tests.
jvm_opts=(-Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError
  -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true
  "-Dlog4j.configuration=file:$KAFKA_RUN/log4j.properties" "-Dkafka.logs.dir=$KAFKA_RUN")

launch() {
  local pid
  # The JVM must not inherit our caller's descriptors: useInfra()/control.ts run this under
  # `flock <state>/kafka.lock`, and a broker holding that fd would keep the lock for its lifetime
  # (blocking every later start). So close every fd above 2, then exec java (same pid).
  pid="$(spawn "$broker_log" bash -c 'for fd in /proc/$$/fd/*; do fd="${fd##*/}"; if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi; done; exec "$@"' \
    kafka-broker "$java_bin" "${jvm_opts[@]}" -cp "$KAFKA_LIB/*" kafka.Kafka "$conf")"
  save_pid "$pid" "$KAFKA_INSTANCE"
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() {
  local pid="$1" p
  p="$(sed -n 's/^# port.saslSsl=//p' "$conf")"
  # generous: ~10 s on an idle 2-core box, 25–50 s when other JVMs compete for it
  wait_for 150 "$broker_log" "$pid" port_open "$p"
  wait_for 90 "$broker_log" "$pid" "$node_bin" "$KAFKA_SCRIPT_DIR/ready.mjs" "$run_state"
}

if [ "$mode" = "--resume" ]; then
  [ -f "$conf" ] && [ -f "$run_state" ] || fail start "--resume: no previous run of $KAFKA_NAME in $KAFKA_RUN"
  if [ -f "$KAFKA_PID_FILE" ] && pid_alive "$(cat "$KAFKA_PID_FILE")"; then
    log "$KAFKA_NAME is already running"; exit 0
  fi
  printf '\n===== resumed %s =====\n' "$(date -Is)" >>"$KAFKA_RUN/broker.previous.log"
  [ -f "$broker_log" ] && cat "$broker_log" >>"$KAFKA_RUN/broker.previous.log"
  pid="$(launch)"
  wait_ready "$pid"
  log "$KAFKA_NAME resumed (pid $pid)"
  exit 0
fi
[ "$mode" = fresh ] || fail start "unknown argument '$mode' (expected nothing or --resume)"

# Leftovers of an interrupted run of this instance: only through its pid file.
stop_instance "$KAFKA_PID_FILE"
rm -f "$KAFKA_STATE_FILE"
rm -rf "$KAFKA_RUN"
mkdir -p "$KAFKA_RUN/certs" "$KAFKA_RUN/data"

# --- ports ---
ports=()
while [ "${#ports[@]}" -lt 5 ]; do
  p="$(free_port)"
  [[ " ${ports[*]} " == *" $p "* ]] || ports+=("$p")
done
p_plain="${ports[0]}" p_sasl="${ports[1]}" p_ssl="${ports[2]}" p_sasl_ssl="${ports[3]}" p_ctrl="${ports[4]}"

# --- certificates (RSA 2048, PKCS#8 unencrypted keys, valid 7 days) ---
certs="$KAFKA_RUN/certs"
cert_log="$KAFKA_RUN/certs.log"
{
  set -e
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7 -subj "/CN=peregrine-test-kafka-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$certs/ca.key" -out "$certs/ca.pem"
  openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
    -keyout "$certs/server.key" -out "$certs/server.csr"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$certs/server.ext"
  openssl x509 -req -in "$certs/server.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" -CAcreateserial \
    -days 7 -sha256 -extfile "$certs/server.ext" -out "$certs/server.pem"
  openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=$KAFKA_USER" \
    -keyout "$certs/client.key" -out "$certs/client.csr"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >"$certs/client.ext"
  openssl x509 -req -in "$certs/client.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" -CAcreateserial \
    -days 7 -sha256 -extfile "$certs/client.ext" -out "$certs/client.pem"
  # Kafka PEM key store: unencrypted PKCS#8 key followed by the certificate chain.
  cat "$certs/server.key" "$certs/server.pem" "$certs/ca.pem" >"$certs/server.keystore.pem"
} >"$cert_log" 2>&1 || fail start "openssl could not create the test certificates" "$cert_log"

# --- configuration ---
cat >"$KAFKA_RUN/log4j.properties" <<PROPS
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients.NetworkClient=WARN
PROPS

jaas_plain="org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_USER=\"$KAFKA_PASSWORD\";"
jaas_scram="org.apache.kafka.common.security.scram.ScramLoginModule required;"
cat >"$conf" <<PROPS
# generated by test/infra/kafka/start.sh
# port.plaintext=$p_plain
# port.saslPlaintext=$p_sasl
# port.ssl=$p_ssl
# port.saslSsl=$p_sasl_ssl
# port.controller=$p_ctrl
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$p_ctrl
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$p_plain,SASL_PLAINTEXT://127.0.0.1:$p_sasl,SSL://127.0.0.1:$p_ssl,SASL_SSL://127.0.0.1:$p_sasl_ssl,CONTROLLER://127.0.0.1:$p_ctrl
advertised.listeners=PLAINTEXT://127.0.0.1:$p_plain,SASL_PLAINTEXT://127.0.0.1:$p_sasl,SSL://127.0.0.1:$p_ssl,SASL_SSL://127.0.0.1:$p_sasl_ssl
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_RUN/data

# single node: everything replicated once, topics created on first use
auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
# after a crash (control.ts pauseBroker = SIGKILL) the restarted broker cannot register until the
# controller expires its previous registration: keep that short (default 9 s)
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000

# SASL (both SASL listeners accept all three mechanisms; SCRAM users are seeded at format time)
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.plain.sasl.jaas.config=$jaas_plain
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$jaas_scram
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$jaas_scram
listener.name.sasl_ssl.plain.sasl.jaas.config=$jaas_plain
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$jaas_scram
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$jaas_scram

# TLS (PEM stores); the SSL listener requires a client certificate signed by the test CA
ssl.keystore.type=PEM
ssl.keystore.location=$certs/server.keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$certs/ca.pem
listener.name.ssl.ssl.client.auth=required
listener.name.sasl_ssl.ssl.client.auth=none
PROPS

# --- state (written to the run dir now; published to $PEREGRINE_IT_STATE once ready) ---
cat >"$run_state" <<JSON
{
  "instance": "$KAFKA_NAME",
  "version": "$KAFKA_VERSION",
  "host": "127.0.0.1",
  "bootstrap": {
    "plaintext": "127.0.0.1:$p_plain",
    "saslPlaintext": "127.0.0.1:$p_sasl",
    "ssl": "127.0.0.1:$p_ssl",
    "saslSsl": "127.0.0.1:$p_sasl_ssl"
  },
  "ports": { "plaintext": $p_plain, "saslPlaintext": $p_sasl, "ssl": $p_ssl, "saslSsl": $p_sasl_ssl, "controller": $p_ctrl },
  "username": "$KAFKA_USER",
  "password": "$KAFKA_PASSWORD",
  "saslMechanisms": ["plain", "scram-sha-256", "scram-sha-512"],
  "caFile": "$certs/ca.pem",
  "clientCertFile": "$certs/client.pem",
  "clientKeyFile": "$certs/client.key",
  "log": "$broker_log",
  "pidFile": "$KAFKA_PID_FILE",
  "runDir": "$KAFKA_RUN",
  "dataDir": "$KAFKA_RUN/data"
}
JSON

# --- format the KRaft storage with the SCRAM users ---
# base64url of 16 bytes; one starting with "-" would be read as an option by kafka-storage, so redraw.
cluster_id="-"
while [[ "$cluster_id" == -* ]]; do cluster_id="$(openssl rand -base64 16 | tr '+/' '-_' | tr -d '=\n')"; done
format_log="$KAFKA_RUN/format.log"
printf 'log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stderr.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n\n' >"$KAFKA_RUN/log4j-tools.properties"
"$java_bin" -Xmx256m -XX:TieredStopAtLevel=1 "-Dlog4j.configuration=file:$KAFKA_RUN/log4j-tools.properties" \
  -cp "$KAFKA_LIB/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$conf" \
  --add-scram "SCRAM-SHA-256=[name=$KAFKA_USER,password=$KAFKA_PASSWORD]" \
  --add-scram "SCRAM-SHA-512=[name=$KAFKA_USER,password=$KAFKA_PASSWORD]" \
  >"$format_log" 2>&1 || fail start "kafka-storage format failed" "$format_log"

pid="$(launch)"
wait_ready "$pid"

if [ -z "$KAFKA_INSTANCE" ]; then
  write_state "$(cat "$run_state")"
else
  cp "$run_state" "$KAFKA_STATE_FILE.tmp" && mv "$KAFKA_STATE_FILE.tmp" "$KAFKA_STATE_FILE"
fi
log "$KAFKA_NAME ready (pid $pid): plaintext $p_plain, sasl_plaintext $p_sasl, ssl $p_ssl, sasl_ssl $p_sasl_ssl; state $KAFKA_STATE_FILE"
