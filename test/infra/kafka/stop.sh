#!/usr/bin/env bash
# Stops every kafka broker this component started (the shared one and any dedicated
# KAFKA_INSTANCE brokers), by pid file only, and removes their state and run dirs.
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
KAFKA_INSTANCE="" source "$INFRA_DIR/kafka/common.sh"

for f in "$PEREGRINE_IT_STATE"/kafka.pid "$PEREGRINE_IT_STATE"/kafka-*.pid; do
  if [ -f "$f" ]; then stop_instance "$f"; fi
done
stop_pids   # lib.sh: anything left under kafka*.pid, then kafka.json
rm -f "$PEREGRINE_IT_STATE"/kafka.json "$PEREGRINE_IT_STATE"/kafka-*.json
# Shared broker: keep config, certs and broker.log of the last run for debugging, drop the data
# (start.sh wipes it anyway). Dedicated brokers (kafka-<name>/): remove entirely.
rm -rf "$PEREGRINE_IT_STATE/kafka/data"
for d in "$PEREGRINE_IT_STATE"/kafka-*/; do
  if [ -d "$d" ]; then rm -rf "$d"; fi
done
log "stopped"
