#!/usr/bin/env bash
# Shared by install.sh / start.sh / stop.sh of the kafka component. Source it after ../lib.sh.
#
# Instances: the shared broker is "kafka" (state $PEREGRINE_IT_STATE/kafka.json, pid kafka.pid).
# KAFKA_INSTANCE=<name> selects a dedicated broker "kafka-<name>" (kafka-<name>.json / .pid /
# run dir) for tests that stop and restart their broker (control.ts startDedicatedBroker).
# stop.sh ends all of them; start.sh only ever touches its own instance.

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
KAFKA_HOME_DIR="$PEREGRINE_IT_CACHE/kafka-$KAFKA_VERSION"
KAFKA_LIB="$KAFKA_HOME_DIR/lib"
KAFKA_SCRIPT_DIR="$INFRA_DIR/kafka"

KAFKA_INSTANCE="${KAFKA_INSTANCE:-}"
if [ -n "$KAFKA_INSTANCE" ] && ! [[ "$KAFKA_INSTANCE" =~ ^[a-z0-9][a-z0-9_-]{0,40}$ ]]; then
  fail start "KAFKA_INSTANCE must match [a-z0-9][a-z0-9_-]* (got '$KAFKA_INSTANCE')"
fi
KAFKA_NAME="kafka${KAFKA_INSTANCE:+-$KAFKA_INSTANCE}"
KAFKA_STATE_FILE="$PEREGRINE_IT_STATE/$KAFKA_NAME.json"
KAFKA_PID_FILE="$PEREGRINE_IT_STATE/$KAFKA_NAME.pid"   # = save_pid PID "$KAFKA_INSTANCE"
KAFKA_RUN="$PEREGRINE_IT_STATE/$KAFKA_NAME"             # config, certs, data, broker.log

kafka_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"; else command -v java || true; fi
}

# Node + kafkajs for the readiness probe (ready.mjs). Prefer the repo's pinned node (Node 24).
kafka_node() {
  if [ -x "$REPO_DIR/node_modules/.bin/node" ]; then echo "$REPO_DIR/node_modules/.bin/node"; else command -v node || true; fi
}

# pid_alive PID: running and not a zombie (an exited broker may linger unreaped for a moment).
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local st; st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ "$st" != Z ]
}

# stop_instance PIDFILE: end one broker (its whole process group) that we started, by its pid file.
stop_instance() {
  local f="$1" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if [ -n "$pid" ] && pid_alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do pid_alive "$pid" || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}
