#!/usr/bin/env bash
# Starts redis-server on a free 127.0.0.1 port, no persistence, and writes
# $PEREGRINE_IT_STATE/redis.json (shape: test/infra/redis/state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=redis

logfile="$PEREGRINE_IT_STATE/redis.log"
stop_pids   # leftovers of an interrupted run (only our own pid files)
command -v redis-server >/dev/null 2>&1 || fail start "redis-server is not installed (run the install step)" ""

port="$(free_port)"
pid="$(spawn "$logfile" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes --dir "$PEREGRINE_IT_STATE")"
save_pid "$pid"
wait_for 30 "$logfile" "$pid" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG"

write_state "$(cat <<JSON
{"host":"127.0.0.1","port":$port,"address":"127.0.0.1:$port","log":"$logfile"}
JSON
)"
log "redis-server ready on 127.0.0.1:$port (pid $pid)"
