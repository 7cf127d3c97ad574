#!/usr/bin/env bash
# Starts two independent Alertmanagers (separate storage, clustering off) on free 127.0.0.1 ports, so
# tests can check that every hostport receives every alert, and writes
# $PEREGRINE_IT_STATE/alertmanager.json (shape: test/infra/alertmanager/state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=alertmanager

AM_VERSION=v0.35.0   # keep in sync with install.sh
binary="$PEREGRINE_IT_CACHE/alertmanager/alertmanager-$AM_VERSION"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "alertmanager is not built at $binary (run the install step)" ""

run_dir="$PEREGRINE_IT_STATE/alertmanager"
rm -rf "$run_dir" && mkdir -p "$run_dir"
# Every alert goes to a receiver that notifies nobody; resolve_timeout is Alertmanager's default.
cat >"$run_dir/alertmanager.yml" <<'YAML'
route:
  receiver: "null"
receivers:
  - name: "null"
YAML

urls=()
logs=()
for n in 0 1; do
  port="$(free_port)"
  logfile="$PEREGRINE_IT_STATE/alertmanager-$n.log"
  pid="$(spawn "$logfile" "$binary" --config.file="$run_dir/alertmanager.yml" --storage.path="$run_dir/data-$n" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address= --log.level=warn)"
  if [ "$n" = 0 ]; then save_pid "$pid"; else save_pid "$pid" "$n"; fi
  wait_for 60 "$logfile" "$pid" python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/-/ready', timeout=2)"
  urls+=("\"http://127.0.0.1:$port\"")
  logs+=("\"$logfile\"")
  log "alertmanager $n ready on 127.0.0.1:$port (pid $pid)"
done

write_state "$(printf '{"urls":[%s],"logs":[%s],"version":"%s"}' "$(IFS=,; echo "${urls[*]}")" "$(IFS=,; echo "${logs[*]}")" "${AM_VERSION#v}")"
