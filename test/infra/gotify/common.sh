#!/usr/bin/env bash
# Shared by install.sh and start.sh: the pinned version and where its binary lives. Source it after lib.sh.
COMPONENT=gotify
GOTIFY_VERSION=v2.6.3
binary="$PEREGRINE_IT_CACHE/gotify/gotify-$GOTIFY_VERSION"
