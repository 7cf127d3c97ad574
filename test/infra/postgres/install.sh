#!/usr/bin/env bash
# Installs the PostgreSQL server (initdb, postgres) from Debian (apt), and openssl for its test certificate. Idempotent: nothing to do, and
# no network, when the server binaries are already installed. TimescaleDB's extension is not packaged
# by Debian: the timescaledb output writes with plain INSERTs, which a hypertable and a plain table
# take alike, so the tests use a plain table.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=postgres

logfile="$PEREGRINE_IT_CACHE/postgres/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/postgres"
pg_bindir() { local d; d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"; [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && echo "$d"; }
if [ -n "$(pg_bindir)" ] && command -v openssl >/dev/null 2>&1; then
  log "postgresql already installed ($("$(pg_bindir)/postgres" --version))"
  exit 0
fi
: >"$logfile"
log "installing postgresql and openssl (apt)"
# The package's own cluster and service start are left to the machine's policy (containers usually
# forbid it through policy-rc.d); the tests never use a system cluster, only the one start.sh runs.
{ apt_get install -y --no-install-recommends postgresql openssl || { apt_get update && apt_get install -y --no-install-recommends postgresql openssl; }; } >>"$logfile" 2>&1 \
  || fail install "apt-get install postgresql failed" "$logfile"
[ -n "$(pg_bindir)" ] || fail install "initdb/postgres missing after apt-get install" "$logfile"
log "installed $("$(pg_bindir)/postgres" --version)"
