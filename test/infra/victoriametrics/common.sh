#!/usr/bin/env bash
# Shared by install.sh and start.sh: the pinned version and where its binary lives. Source it after lib.sh.
COMPONENT=victoriametrics
VM_VERSION=v1.151.0
binary="$PEREGRINE_IT_CACHE/victoriametrics/victoria-metrics-$VM_VERSION"
