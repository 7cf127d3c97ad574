#!/usr/bin/env bash
# Starts statsd_exporter with a StatsD UDP listener and its /metrics on 127.0.0.1 and writes
# $PEREGRINE_IT_STATE/statsdexporter.json (shape and read-back helpers: test/infra/statsdexporter/state.ts).
#   udpPort   where StatsD lines go;  url   base URL of /metrics
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

logfile="$PEREGRINE_IT_STATE/statsdexporter.log"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "statsd_exporter not installed: $binary (run the install step)" ""

udp="$(free_port)"
web="$(free_port)"
# DogStatsD tags only (the other tag dialects off, so a line in another one is an error, not a tag).
pid="$(spawn "$logfile" "$binary" --statsd.listen-udp="127.0.0.1:$udp" --statsd.listen-tcp= --web.listen-address="127.0.0.1:$web" \
  --statsd.parse-dogstatsd-tags --no-statsd.parse-influxdb-tags --no-statsd.parse-librato-tags --no-statsd.parse-signalfx-tags --log.level=info)"
save_pid "$pid"
ready() { python3 -c "import sys,urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$1/metrics', timeout=2).status == 200 else 1)"; }
wait_for 60 "$logfile" "$pid" ready "$web"

write_state "$(cat <<JSON
{"udpPort":$udp,"url":"http://127.0.0.1:$web","log":"$logfile"}
JSON
)"
log "statsd_exporter ready: UDP 127.0.0.1:$udp, metrics http://127.0.0.1:$web (pid $pid)"
