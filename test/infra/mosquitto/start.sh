#!/usr/bin/env bash
# Starts mosquitto on a free 127.0.0.1 port from a generated config: no anonymous access, a password
# file with two users and an ACL; writes $PEREGRINE_IT_STATE/mosquitto.json (shape:
# test/infra/mosquitto/state.ts):
#   falco:  may publish to falco/# only (elsewhere: dropped under MQTT 3.1.1, "not authorized" under 5)
#   reader: may subscribe to anything (the tests read what falco published)
# MOSQUITTO_PORT, MOSQUITTO_PASSWORD, MOSQUITTO_READER_PASSWORD: start it again as before (outage test).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=mosquitto

dir="$PEREGRINE_IT_STATE/mosquitto"
stop_pids   # leftovers of an interrupted run (only our own pid files)
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -x "$mosquitto_bin" ] || fail start "mosquitto is not installed (run the install step)" ""
rm -rf "$dir" && mkdir -p "$dir"

port="${MOSQUITTO_PORT:-$(free_port)}"
password="${MOSQUITTO_PASSWORD:-pw-$(date +%s%N | sha256sum | cut -c1-16)}"
reader_password="${MOSQUITTO_READER_PASSWORD:-rd-$(date +%s%N | sha256sum | cut -c1-16)}"
: >"$dir/passwd"
mosquitto_passwd -b "$dir/passwd" falco "$password" >"$dir/passwd.log" 2>&1 || fail start "mosquitto_passwd failed" "$dir/passwd.log"
mosquitto_passwd -b "$dir/passwd" reader "$reader_password" >>"$dir/passwd.log" 2>&1 || fail start "mosquitto_passwd failed" "$dir/passwd.log"
cat >"$dir/acl" <<ACL
user falco
topic write falco/#

user reader
topic read #
ACL
# As root, mosquitto would switch to its own user, which cannot read this directory: stay who we are.
cat >"$dir/mosquitto.conf" <<CONF
user $(id -un)
listener $port 127.0.0.1
allow_anonymous false
password_file $dir/passwd
acl_file $dir/acl
persistence false
# The test subscriber reads QoS 2 messages in bursts of hundreds: no cap on messages in flight to it.
max_inflight_messages 0
log_dest stdout
log_type error
log_type warning
log_type notice
log_type information
connection_messages true
CONF
chmod 0700 "$dir" && chmod 0600 "$dir/passwd" "$dir/acl"
pid="$(spawn "$dir/mosquitto.log" "$mosquitto_bin" -c "$dir/mosquitto.conf")"
save_pid "$pid"
wait_for 30 "$dir/mosquitto.log" "$pid" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"

write_state "$(cat <<JSON
{"host":"127.0.0.1","port":$port,"user":"falco","password":"$password","reader":{"user":"reader","password":"$reader_password"},"log":"$dir/mosquitto.log"}
JSON
)"
log "mosquitto ready on 127.0.0.1:$port (pid $pid)"
