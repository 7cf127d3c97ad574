#!/usr/bin/env bash
# Shared by install.sh and start.sh: the pinned version and where its binary lives. Source it after lib.sh.
COMPONENT=victorialogs
VL_VERSION=v1.52.2
binary="$PEREGRINE_IT_CACHE/victorialogs/victoria-logs-$VL_VERSION"
