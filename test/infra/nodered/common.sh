#!/usr/bin/env bash
# Shared by install.sh and start.sh (source it after ../lib.sh): the pinned Node-RED version, where
# it is installed, and the project's Node 24 (node_modules/.bin), never a system Node.
COMPONENT=nodered
NODERED_VERSION=4.1.15   # the newest 4.x; engines node >= 18.5, runs on Node 24; pinned exactly
NODERED_DIR="$PEREGRINE_IT_CACHE/nodered/$NODERED_VERSION"
NODERED_RED_JS="$NODERED_DIR/node_modules/node-red/red.js"
[ -x "$REPO_DIR/node_modules/.bin/node" ] || fail "${STEP:-install}" "no Node 24 at $REPO_DIR/node_modules/.bin/node (run npm ci first)" ""
export PATH="$REPO_DIR/node_modules/.bin:$PATH"
NODE="$REPO_DIR/node_modules/.bin/node"
