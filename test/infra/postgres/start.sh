#!/usr/bin/env bash
# Starts a PostgreSQL server of its own: a fresh cluster (initdb) in a temporary directory, listening
# on a free 127.0.0.1 port only (its Unix socket in that directory), password authentication
# (scram-sha-256) for every TCP connection, and one role `falco` (a password, the owner of the
# database `falcosidekick`). TLS is on (a self-signed certificate made per start), and a second role
# `falco_tls` may log in over TLS only (hostssl; hostnossl rejects it), as a server that requires TLS
# (AWS RDS) has it. As root, initdb and postgres refuse to run: they run as the `postgres`
# user the Debian package creates. Writes $PEREGRINE_IT_STATE/postgres.json (shape:
# test/infra/postgres/state.ts).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=postgres

stop_pids   # leftovers of an interrupted run (only our own pid files)
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$bindir" ] && [ -x "$bindir/postgres" ] || fail start "postgresql is not installed (run the install step)" ""

# The cluster lives outside the repo, in a directory the server's user owns.
old="$(cat "$PEREGRINE_IT_STATE/postgres.dir" 2>/dev/null || true)"
case "$old" in /tmp/peregrine-postgres.*) rm -rf "$old" ;; esac
dir="$(mktemp -d /tmp/peregrine-postgres.XXXXXX)"
printf '%s\n' "$dir" >"$PEREGRINE_IT_STATE/postgres.dir"
as_server=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || fail start "running as root needs the postgres user (the Debian package creates it)" ""
  chown postgres: "$dir"
  as_server=(runuser -u postgres --)
fi
chmod 0700 "$dir"

port="$(free_port)"
password="pw-$(date +%s%N | sha256sum | cut -c1-16)"
superpw="su-$(date +%s%N | sha256sum | cut -c1-16)"
printf '%s\n' "$superpw" >"$dir/superpw"
[ "$(id -u)" = 0 ] && chown postgres: "$dir/superpw"
logfile="$dir/postgres.log"
"${as_server[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$dir/superpw" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || fail start "initdb failed" "$dir/initdb.log"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout "$dir/server.key" -out "$dir/server.crt" >"$dir/openssl.log" 2>&1 \
  || fail start "openssl could not make the test certificate" "$dir/openssl.log"
chmod 0600 "$dir/server.key"
# falco_tls: over TLS only (the first matching line wins, before initdb's "host all all").
{ printf 'hostnossl all falco_tls 127.0.0.1/32 reject\nhostssl all falco_tls 127.0.0.1/32 scram-sha-256\n'; cat "$dir/data/pg_hba.conf"; } >"$dir/pg_hba.conf.new" && mv "$dir/pg_hba.conf.new" "$dir/data/pg_hba.conf"
[ "$(id -u)" = 0 ] && chown postgres: "$dir/server.key" "$dir/server.crt" "$dir/data/pg_hba.conf"
pid="$(spawn "$logfile" "${as_server[@]}" "$bindir/postgres" -D "$dir/data" -h 127.0.0.1 -p "$port" -k "$dir" -c fsync=off -c log_min_messages=warning \
  -c ssl=on -c ssl_cert_file="$dir/server.crt" -c ssl_key_file="$dir/server.key")"
save_pid "$pid"
wait_for 60 "$logfile" "$pid" "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -q

psql_su() { PGPASSWORD="$superpw" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql_su -d postgres -c "CREATE ROLE falco LOGIN PASSWORD '$password'" -c "CREATE ROLE falco_tls LOGIN PASSWORD '$password'" -c "CREATE DATABASE falcosidekick OWNER falco" >"$dir/setup.log" 2>&1 \
  || fail start "creating the falco role and database failed" "$dir/setup.log"

write_state "$(cat <<JSON
{"host":"127.0.0.1","port":$port,"database":"falcosidekick","user":"falco","password":"$password","tlsOnly":{"user":"falco_tls","password":"$password"},"superuser":{"user":"postgres","password":"$superpw"},"psql":"$bindir/psql","log":"$logfile"}
JSON
)"
log "postgres ready on 127.0.0.1:$port (pid $pid, cluster $dir)"
