#!/usr/bin/env bash
# supervise.sh CTL_DIR COMMAND...: runs COMMAND (an Elasticsearch/OpenSearch node) in the foreground.
# start.sh records THIS process's pid, so the node can be stopped and started again by control.ts
# (test "destination down for 30 s") while the component still counts as running:
#   - CTL_DIR/paused exists  -> the node stays stopped (control.ts stop: touch paused, TERM child.pid);
#                               once it is down the supervisor writes CTL_DIR/stopped, which
#                               control.ts waits for (so a quick start cannot race the paused check)
#   - paused removed         -> the node is started again with the same config, port and data
# If the node exits on its own (not paused), the supervisor exits with its status, so wait_for and
# useInfra() see a dead component. TERM/INT (stop.sh, via the process group) stop everything.
set -u
ctl="$1"; shift
child=""
stop_child() {
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi
}
trap 'stop_child; exit 143' TERM INT HUP
while :; do
  if [ -e "$ctl/paused" ]; then sleep 0.2 & wait $!; continue; fi
  rm -f "$ctl/stopped"
  echo "[supervise] $(date -u +%FT%T.%3NZ) starting node"
  "$@" &
  child=$!
  echo "$child" >"$ctl/child.pid"
  wait "$child"
  rc=$?
  child=""
  if [ -e "$ctl/paused" ]; then
    rm -f "$ctl/child.pid"
    echo "[supervise] $(date -u +%FT%T.%3NZ) node stopped on request (exit $rc)"
    date -u +%FT%T.%3NZ >"$ctl/stopped"
    continue
  fi
  rm -f "$ctl/child.pid"
  echo "[supervise] $(date -u +%FT%T.%3NZ) node exited on its own (exit $rc)"
  exit "$rc"
done
