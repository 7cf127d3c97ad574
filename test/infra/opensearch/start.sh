#!/usr/bin/env bash
# Starts one single-node OpenSearch on 127.0.0.1 (plain HTTP, no auth), fresh data, and writes
# $PEREGRINE_IT_STATE/opensearch.json:
#   {"url","version","log", "port","transportPort","home","dataDir","controlDir"}
COMPONENT="${COMPONENT:-opensearch}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$INFRA_DIR/elasticsearch/common.sh"

OS_VERSION="${PEREGRINE_IT_OS_VERSION:-2.19.6}"
DIST="$RUN_ROOT/dist/opensearch-$OS_VERSION"

stop_pids # leftovers of an interrupted run (by pid file only)
[ -f "$DIST/.peregrine-unpacked" ] || fail start "OpenSearch $OS_VERSION is not installed in $DIST (run the install step)"
JAVA_HOME_OS="$(pick_java 11)" || fail start "no JDK >= 11 found (set PEREGRINE_IT_JAVA_HOME)"
ensure_run_user start
run_user_cmd

read -r HTTP_PORT TRANSPORT_PORT < <(free_ports 2)
rm -rf "$INSTANCE_DIR"
mkdir -p "$INSTANCE_DIR"/{config,data,logs,tmp,ctl}
cp -a "$DIST/config/." "$INSTANCE_DIR/config/"
cat >"$INSTANCE_DIR/config/opensearch.yml" <<YML
cluster.name: peregrine-it
node.name: peregrine-it-os
discovery.type: single-node
network.host: 127.0.0.1
http.port: $HTTP_PORT
transport.port: $TRANSPORT_PORT
path.data: $INSTANCE_DIR/data
path.logs: $INSTANCE_DIR/logs
# The disk may be nearly full on CI machines: never go read-only because of watermarks.
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
# Nothing phones home: the integ-test zip has only transport-netty4 (no geoip, no plugins).
YML
mkdir -p "$INSTANCE_DIR/config/jvm.options.d"
printf -- '-Xms512m\n-Xmx512m\n' >"$INSTANCE_DIR/config/jvm.options.d/peregrine-heap.options"
own "$INSTANCE_DIR"
chmod 755 "$(dirname "$INSTANCE_DIR")"

OS_ENV=(OPENSEARCH_PATH_CONF="$INSTANCE_DIR/config" OPENSEARCH_JAVA_HOME="$JAVA_HOME_OS" JAVA_HOME="$JAVA_HOME_OS"
        OPENSEARCH_TMPDIR="$INSTANCE_DIR/tmp" OPENSEARCH_JAVA_OPTS=)
cd "$INSTANCE_DIR"
pid="$(spawn_supervised "${RUN_AS[@]}" "${OS_ENV[@]}" "$DIST/bin/opensearch")"
save_pid "$pid"
URL="http://127.0.0.1:$HTTP_PORT"
log "waiting for OpenSearch $OS_VERSION on $URL (pid $pid, log $LOGFILE)"
wait_for 240 "$LOGFILE" "$pid" curl -sf -o /dev/null "$URL/_cluster/health?wait_for_status=yellow&timeout=1s"
version="$(curl -sf "$URL/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"]["number"])')" \
  || fail start "GET / did not answer with a version" "$LOGFILE"

write_state "$(json_state url="$URL" version="$version" log="$LOGFILE" port="$HTTP_PORT" transportPort="$TRANSPORT_PORT" \
  home="$DIST" dataDir="$INSTANCE_DIR/data" controlDir="$CTL_DIR")"
log "OpenSearch $version ready on $URL"
