#!/usr/bin/env bash
# Starts moto_server (AWS mock with Security Hub) on a free 127.0.0.1 port and writes
# $PEREGRINE_IT_STATE/securityhub.json (shape: test/infra/securityhub/state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=securityhub

MOTO_VERSION=5.2.5   # keep in sync with install.sh
venv="$PEREGRINE_IT_CACHE/securityhub/venv-moto-$MOTO_VERSION"
logfile="$PEREGRINE_IT_STATE/securityhub.log"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$venv/bin/moto_server" ] || fail start "moto is not installed in $venv (run the install step)" ""

port="$(free_port)"
# moto's default account is 123456789012 (moto.core.models.DEFAULT_ACCOUNT_ID); any access key works.
# The request recorder (POST /moto-api/recorder/start-recording; awslambda's test reads the invocations
# from it) writes here, not into the current directory.
pid="$(spawn "$logfile" env MOTO_RECORDER_FILEPATH="$PEREGRINE_IT_STATE/securityhub-recording.jsonl" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$port")"
save_pid "$pid"
# Ready once the moto API answers over HTTP.
wait_for 60 "$logfile" "$pid" python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=2)"

write_state "$(cat <<JSON
{"endpoint":"http://127.0.0.1:$port","region":"us-east-1","accountId":"123456789012","accessKeyId":"testing","secretAccessKey":"testing","log":"$logfile"}
JSON
)"
log "moto_server ready on 127.0.0.1:$port (pid $pid)"
