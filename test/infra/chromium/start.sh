#!/usr/bin/env bash
# Nothing to run: each browser test launches its own headless chromium through playwright-core.
# Writes $PEREGRINE_IT_STATE/chromium.json (shape: test/infra/chromium/state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=chromium
[ -x /usr/bin/chromium ] || fail start "/usr/bin/chromium is not installed (run the install step)" ""
write_state '{"executablePath":"/usr/bin/chromium"}'
log "chromium ready: /usr/bin/chromium"
