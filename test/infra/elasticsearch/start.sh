#!/usr/bin/env bash
# Starts one single-node Elasticsearch on 127.0.0.1 with security ON (basic auth + API keys over
# plain HTTP), fresh data, and writes $PEREGRINE_IT_STATE/elasticsearch.json:
#   {"url","version","username","password","apiKey","security","log", "port","transportPort",
#    "home","dataDir","controlDir"}
COMPONENT="${COMPONENT:-elasticsearch}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$INFRA_DIR/elasticsearch/common.sh"

ES_VERSION="${PEREGRINE_IT_ES_VERSION:-8.19.21}"
DIST="$RUN_ROOT/dist/elasticsearch-$ES_VERSION"

stop_pids # leftovers of an interrupted run (by pid file only)
[ -f "$DIST/.peregrine-unpacked" ] && [ -f "$DIST/modules/peregrine-it-shim/.source-sha" ] \
  || fail start "Elasticsearch $ES_VERSION is not installed in $DIST (run the install step)"
JAVA_HOME_ES="$(pick_java 17)" || fail start "no JDK >= 17 found (set PEREGRINE_IT_JAVA_HOME)"
ensure_run_user start
run_user_cmd

read -r HTTP_PORT TRANSPORT_PORT < <(free_ports 2)
PASSWORD="$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"

rm -rf "$INSTANCE_DIR"
mkdir -p "$INSTANCE_DIR"/{config,data,logs,tmp,ctl}
cp -a "$DIST/config/." "$INSTANCE_DIR/config/"
cat >"$INSTANCE_DIR/config/elasticsearch.yml" <<YML
cluster.name: peregrine-it
node.name: peregrine-it-es
discovery.type: single-node
network.host: 127.0.0.1
http.port: $HTTP_PORT
transport.port: $TRANSPORT_PORT
path.data: $INSTANCE_DIR/data
path.logs: $INSTANCE_DIR/logs
# The disk may be nearly full on CI machines: never go read-only because of watermarks.
cluster.routing.allocation.disk.threshold_enabled: false
# Tests may delete indices by wildcard.
action.destructive_requires_name: false
# Security for real: native realm (elastic + bootstrap password from the keystore), API keys.
# Plain HTTP on loopback; single-node discovery does not need transport TLS.
xpack.security.enabled: true
xpack.security.autoconfiguration.enabled: false
xpack.security.http.ssl.enabled: false
xpack.security.transport.ssl.enabled: false
xpack.security.authc.api_key.enabled: true
xpack.license.self_generated.type: basic
# Nothing here phones home: the integ-test zip has no ingest-geoip (so no GeoIP downloader and no
# ingest.geoip.downloader.enabled setting — setting it would be an unknown-setting error) and no ML
# (same for xpack.ml.enabled); APM tracing/metrics are off by default.
YML
printf -- '-Xms512m\n-Xmx512m\n' >"$INSTANCE_DIR/config/jvm.options.d/peregrine-heap.options"
own "$INSTANCE_DIR"
chmod 755 "$(dirname "$INSTANCE_DIR")"

ES_ENV=(ES_PATH_CONF="$INSTANCE_DIR/config" ES_JAVA_HOME="$JAVA_HOME_ES" ES_TMPDIR="$INSTANCE_DIR/tmp" ES_JAVA_OPTS=)
printf '%s' "$PASSWORD" | "${RUN_AS[@]}" "${ES_ENV[@]}" "$DIST/bin/elasticsearch-keystore" add -x -f bootstrap.password \
  >"$INSTANCE_DIR/keystore.log" 2>&1 || fail start "could not write bootstrap.password to the keystore" "$INSTANCE_DIR/keystore.log"

cd "$INSTANCE_DIR" # gc.log and other relative paths land here, not in the shared dist
pid="$(spawn_supervised "${RUN_AS[@]}" "${ES_ENV[@]}" "$DIST/bin/elasticsearch")"
save_pid "$pid"
URL="http://127.0.0.1:$HTTP_PORT"
log "waiting for Elasticsearch $ES_VERSION on $URL (pid $pid, log $LOGFILE)"
wait_for 240 "$LOGFILE" "$pid" curl -sf -o /dev/null -u "elastic:$PASSWORD" "$URL/_cluster/health?wait_for_status=yellow&timeout=1s"

# An API key (base64 "id:key", ready for `Authorization: ApiKey ...`). Creating it also creates the
# .security index, so the first test does not pay for that.
resp="$(curl -sS -u "elastic:$PASSWORD" -H 'Content-Type: application/json' -X POST "$URL/_security/api_key" \
  -d '{"name":"peregrine-it"}' 2>>"$LOGFILE")" || fail start "could not create an API key" "$LOGFILE"
API_KEY="$(printf '%s' "$resp" | python3 -c 'import json,sys; print(json.load(sys.stdin)["encoded"])' 2>/dev/null)" \
  || fail start "could not create an API key: $resp" "$LOGFILE"
version="$(curl -sf -u "elastic:$PASSWORD" "$URL/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"]["number"])')" \
  || fail start "GET / did not answer with a version" "$LOGFILE"

write_state "$(json_state url="$URL" version="$version" username=elastic password="$PASSWORD" apiKey="$API_KEY" \
  security=true log="$LOGFILE" port="$HTTP_PORT" transportPort="$TRANSPORT_PORT" home="$DIST" \
  dataDir="$INSTANCE_DIR/data" controlDir="$CTL_DIR")"
log "Elasticsearch $version ready on $URL"
