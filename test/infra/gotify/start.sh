#!/usr/bin/env bash
# Starts a Gotify server on a free 127.0.0.1 port with a fresh SQLite database under
# $PEREGRINE_IT_STATE/gotify, its admin user, and one application whose token the tests post with.
# Writes $PEREGRINE_IT_STATE/gotify.json (shape: state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "gotify is not installed (run the install step)" ""

data="$PEREGRINE_IT_STATE/gotify"
rm -rf "$data" && mkdir -p "$data"
logfile="$PEREGRINE_IT_STATE/gotify.log"
port="$(free_port)"
user=admin
pass="it-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

pid="$(spawn "$logfile" env GIN_MODE=release GOTIFY_SERVER_PORT="$port" GOTIFY_SERVER_LISTENADDR=127.0.0.1 \
  GOTIFY_DATABASE_DIALECT=sqlite3 GOTIFY_DATABASE_CONNECTION="$data/gotify.db" \
  GOTIFY_DEFAULTUSER_NAME="$user" GOTIFY_DEFAULTUSER_PASS="$pass" \
  GOTIFY_UPLOADEDIMAGESDIR="$data/images" GOTIFY_PLUGINSDIR= "$binary")"
save_pid "$pid"
wait_for 30 "$logfile" "$pid" curl -sf "http://127.0.0.1:$port/health"

app="$(curl -sf -u "$user:$pass" -H 'content-type: application/json' -d '{"name":"falco"}' "http://127.0.0.1:$port/application")" \
  || fail start "creating the test application failed" "$logfile"
token="$(printf '%s' "$app" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
appid="$(printf '%s' "$app" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')"
[ -n "$token" ] && [ -n "$appid" ] || fail start "no token in Gotify's answer: $app" "$logfile"

write_state "$(cat <<JSON
{"url":"http://127.0.0.1:$port","user":"$user","password":"$pass","token":"$token","applicationId":$appid,"log":"$logfile"}
JSON
)"
log "gotify ready on 127.0.0.1:$port (pid $pid)"
