#!/usr/bin/env bash
# Starts two mailpit servers on free 127.0.0.1 ports and writes $PEREGRINE_IT_STATE/mailpit.json
# (shape: test/infra/mailpit/state.ts):
#   plain: no TLS, no AUTH; recipients outside @example.com get "550 5.1.0"; chaos API on (4xx tests)
#   auth:  STARTTLS required (a fresh self-signed certificate for 127.0.0.1) and SMTP AUTH PLAIN/LOGIN
#          with one user from a password file
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=mailpit

MAILPIT_VERSION=v1.33.1   # keep in sync with install.sh
bin="$PEREGRINE_IT_CACHE/mailpit/bin-$MAILPIT_VERSION/mailpit"
dir="$PEREGRINE_IT_STATE/mailpit"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$bin" ] || fail start "mailpit is not installed at $bin (run the install step)" ""
rm -rf "$dir" && mkdir -p "$dir"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" >"$dir/openssl.log" 2>&1 || fail start "openssl could not make the certificate" "$dir/openssl.log"
user=falco
password="pw-$(date +%s%N | sha256sum | cut -c1-16)"
printf '%s:%s\n' "$user" "$password" >"$dir/auth"

common=(--disable-version-check --smtp-disable-rdns --database "")

smtp1="$(free_port)"; http1="$(free_port)"
pid1="$(spawn "$dir/plain.log" "$bin" "${common[@]}" --smtp "127.0.0.1:$smtp1" --listen "127.0.0.1:$http1" \
  --smtp-allowed-recipients '@example\.com$' --enable-chaos)"
save_pid "$pid1" plain
smtp2="$(free_port)"; http2="$(free_port)"
pid2="$(spawn "$dir/auth.log" "$bin" "${common[@]}" --smtp "127.0.0.1:$smtp2" --listen "127.0.0.1:$http2" \
  --smtp-auth-file "$dir/auth" --smtp-tls-cert "$dir/cert.pem" --smtp-tls-key "$dir/key.pem" --smtp-require-starttls)"
save_pid "$pid2" auth

ready() { python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$1/api/v1/info', timeout=2)"; }
wait_for 60 "$dir/plain.log" "$pid1" ready "$http1"
wait_for 60 "$dir/auth.log" "$pid2" ready "$http2"

write_state "$(cat <<JSON
{"plain":{"host":"127.0.0.1","smtpPort":$smtp1,"api":"http://127.0.0.1:$http1","log":"$dir/plain.log"},
 "auth":{"host":"127.0.0.1","smtpPort":$smtp2,"api":"http://127.0.0.1:$http2","user":"$user","password":"$password","cacert":"$dir/cert.pem","log":"$dir/auth.log"}}
JSON
)"
log "mailpit ready: plain smtp 127.0.0.1:$smtp1 (api :$http1), auth+starttls smtp 127.0.0.1:$smtp2 (api :$http2)"
