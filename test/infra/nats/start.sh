#!/usr/bin/env bash
# Starts nats-server on a free 127.0.0.1 port with two users and a small max_payload, and writes
# $PEREGRINE_IT_STATE/nats.json (shape: test/infra/nats/state.ts):
#   falco:  may publish to falco.> only (a publish elsewhere is a "Permissions Violation")
#   reader: may subscribe to anything and use the JetStream API (the tests read what falco published)
# JetStream on: a test that must not miss what is published while it is not subscribed (the
# outage test) reads it back from a stream, kept on disk across a restart.
#   max_payload 256 KiB (the server's default is 1 MiB): an alert above it is refused by the client
# NATS_PORT, NATS_PASSWORD, NATS_READER_PASSWORD: start it again as before (the outage test).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=nats

NATS_VERSION=v2.15.3   # keep in sync with install.sh
bin="$PEREGRINE_IT_CACHE/nats/bin-$NATS_VERSION/nats-server"
dir="$PEREGRINE_IT_STATE/nats"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$bin" ] || fail start "nats-server is not installed at $bin (run the install step)" ""
# A restart (NATS_PORT set) keeps the JetStream store; a fresh start begins empty.
[ -n "${NATS_PORT:-}" ] || rm -rf "$dir"
mkdir -p "$dir"

port="${NATS_PORT:-$(free_port)}"
password="${NATS_PASSWORD:-pw-$(date +%s%N | sha256sum | cut -c1-16)}"
reader_password="${NATS_READER_PASSWORD:-rd-$(date +%s%N | sha256sum | cut -c1-16)}"
cat >"$dir/nats.conf" <<CONF
listen: 127.0.0.1:$port
max_payload: 262144
jetstream { store_dir: "$dir/js", max_memory_store: 64MB, max_file_store: 256MB }
authorization {
  users = [
    { user: falco, password: "$password", permissions: { publish: ["falco.>"], subscribe: ["_INBOX.>"] } }
    { user: reader, password: "$reader_password", permissions: { subscribe: [">"], publish: ["_INBOX.>", "\$JS.API.>"] } }
  ]
}
CONF
pid="$(spawn "$dir/nats.log" "$bin" -c "$dir/nats.conf")"
save_pid "$pid"
# Ready once it sends its INFO line.
wait_for 30 "$dir/nats.log" "$pid" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -c 4 <&3 | grep -q INFO"

write_state "$(cat <<JSON
{"host":"127.0.0.1","port":$port,"user":"falco","password":"$password","reader":{"user":"reader","password":"$reader_password"},"maxPayload":262144,"log":"$dir/nats.log"}
JSON
)"
log "nats-server $NATS_VERSION ready on 127.0.0.1:$port (pid $pid)"
