#!/usr/bin/env bash
# Starts redis-server on a free 127.0.0.1 port, no persistence, and a read-only replica of it on
# another (the redis output's READONLY test), and writes $PEREGRINE_IT_STATE/redis.json (shape:
# test/infra/redis/state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=redis

logfile="$PEREGRINE_IT_STATE/redis.log"
stop_pids   # leftovers of an interrupted run (only our own pid files)
command -v redis-server >/dev/null 2>&1 || fail start "redis-server is not installed (run the install step)" ""

port="$(free_port)"
pid="$(spawn "$logfile" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes --dir "$PEREGRINE_IT_STATE")"
save_pid "$pid"
wait_for 30 "$logfile" "$pid" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG"

replica_log="$PEREGRINE_IT_STATE/redis-replica.log"
replica_port="$(free_port)"
replica_pid="$(spawn "$replica_log" redis-server --port "$replica_port" --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes \
  --dir "$PEREGRINE_IT_STATE" --dbfilename redis-replica.rdb --replicaof 127.0.0.1 "$port")"
save_pid "$replica_pid" replica
wait_for 30 "$replica_log" "$replica_pid" bash -c "exec 3<>/dev/tcp/127.0.0.1/$replica_port && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG"

write_state "$(cat <<JSON
{"host":"127.0.0.1","port":$port,"address":"127.0.0.1:$port","log":"$logfile","replica":{"port":$replica_port,"address":"127.0.0.1:$replica_port","log":"$replica_log"}}
JSON
)"
log "redis-server ready on 127.0.0.1:$port (pid $pid), its read-only replica on 127.0.0.1:$replica_port (pid $replica_pid)"
