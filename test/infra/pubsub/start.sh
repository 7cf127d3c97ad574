#!/usr/bin/env bash
# Starts the pstest Pub/Sub server on a free 127.0.0.1 port (plain gRPC, in memory) and writes
# $PEREGRINE_IT_STATE/pubsub.json (shape: test/infra/pubsub/state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=pubsub

PSTEST_VERSION=v2.9.0   # keep in sync with install.sh
binary="$PEREGRINE_IT_CACHE/pubsub/pstest-$PSTEST_VERSION"
logfile="$PEREGRINE_IT_STATE/pubsub.log"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "pstest is not installed at $binary (run the install step)" ""

port="$(free_port)"
pid="$(spawn "$logfile" "$binary" -port "$port")"
save_pid "$pid"
# Ready once it accepts connections and has said where it listens.
wait_for 30 "$logfile" "$pid" bash -c "grep -q 'pstest listening on 127.0.0.1:$port' '$logfile' && exec 3<>/dev/tcp/127.0.0.1/$port"

write_state "$(cat <<JSON
{"host":"127.0.0.1:$port","projectId":"peregrine-test","log":"$logfile"}
JSON
)"
log "pstest $PSTEST_VERSION ready on 127.0.0.1:$port (pid $pid)"
