#!/usr/bin/env bash
# Shared by install.sh and start.sh: the pinned version and where its binary lives. Source it after lib.sh.
COMPONENT=statsdexporter
SE_VERSION=v0.31.0
binary="$PEREGRINE_IT_CACHE/statsdexporter/statsd_exporter-$SE_VERSION"
