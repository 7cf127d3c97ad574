#!/usr/bin/env bash
# Starts one RabbitMQ node of our own: its epmd, the node's AMQP listener and its Erlang distribution
# port, all on free 127.0.0.1 ports; no plugins; data, logs and the Erlang cookie under
# $PEREGRINE_IT_STATE/rabbitmq. Writes $PEREGRINE_IT_STATE/rabbitmq.json (shape: state.ts). The
# default user guest/guest may log in (RabbitMQ allows it from loopback only).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=rabbitmq

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || fail start "rabbitmq-server is not installed (run the install step)" ""

home="$PEREGRINE_IT_STATE/rabbitmq"
rm -rf "$home" && mkdir -p "$home"
echo '[].' >"$home/enabled_plugins"
logfile="$PEREGRINE_IT_STATE/rabbitmq.log"
amqp="$(free_port)"; dist="$(free_port)"; epmd_port="$(free_port)"

# epmd in the foreground, ours: the node would otherwise start a daemon of its own that outlives it.
epmd_pid="$(spawn "$PEREGRINE_IT_STATE/rabbitmq-epmd.log" env HOME="$home" epmd -port "$epmd_port" -address 127.0.0.1)"
save_pid "$epmd_pid" epmd

export HOME="$home" ERL_EPMD_PORT="$epmd_port" RABBITMQ_NODENAME="peregrine-it@localhost" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp" RABBITMQ_DIST_PORT="$dist" \
  RABBITMQ_MNESIA_BASE="$home/mnesia" RABBITMQ_LOG_BASE="$home/log" RABBITMQ_LOGS=- \
  RABBITMQ_ENABLED_PLUGINS_FILE="$home/enabled_plugins" \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
pid="$(spawn "$logfile" /usr/lib/rabbitmq/bin/rabbitmq-server)"
save_pid "$pid"
wait_for 90 "$logfile" "$pid" grep -q "Server startup complete" "$logfile"

write_state "$(cat <<JSON
{"host":"127.0.0.1","port":$amqp,"url":"amqp://guest:guest@127.0.0.1:$amqp","log":"$logfile",
 "ctl":{"command":"/usr/lib/rabbitmq/bin/rabbitmqctl","env":{"HOME":"$home","ERL_EPMD_PORT":"$epmd_port","RABBITMQ_NODENAME":"peregrine-it@localhost","RABBITMQ_CTL_ERL_ARGS":"-kernel inet_dist_use_interface {127,0,0,1}"}}}
JSON
)"
log "rabbitmq ready on 127.0.0.1:$amqp (pid $pid)"
