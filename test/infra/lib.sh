#!/usr/bin/env bash
# Shared helpers for test/infra/<component>/{install,start,stop}.sh. Source it; do not run it.
# Contract (see README.md here): downloads are cached outside the repo, run state lives in
# $PEREGRINE_IT_STATE, every server binds 127.0.0.1 on a free port, and we only ever stop
# processes we started (by the pid file we wrote).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/../.." && pwd)"
export PEREGRINE_IT_CACHE="${PEREGRINE_IT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/peregrine-test}"
export PEREGRINE_IT_STATE="${PEREGRINE_IT_STATE:-$REPO_DIR/.it-state}"
mkdir -p "$PEREGRINE_IT_CACHE" "$PEREGRINE_IT_STATE"

log() { printf '[infra:%s] %s\n' "${COMPONENT:-?}" "$*" >&2; }

# apt-get for install steps that run in parallel (.ci/run installs every component at once): one at a
# time through a lock file, and waiting for a dpkg lock someone else holds instead of failing.
apt_get() {
  local sudo_=""
  [ "$(id -u)" = 0 ] || sudo_="sudo"
  flock /tmp/peregrine-infra-apt.lock $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

# fail STEP MESSAGE [LOGFILE]: the one way a script reports failure (component, step, log, retry command).
fail() {
  local step="$1" msg="$2" logfile="${3:-}"
  {
    printf '\n[infra:%s] FAILED at step "%s": %s\n' "${COMPONENT:-?}" "$step" "$msg"
    if [ -n "$logfile" ] && [ -f "$logfile" ]; then
      printf '[infra:%s] log: %s (last 30 lines below)\n' "${COMPONENT:-?}" "$logfile"
      tail -n 30 "$logfile" | sed 's/^/    /'
    fi
    printf '[infra:%s] retry with: bash test/infra/infra.sh %s %s\n' "${COMPONENT:-?}" "${COMPONENT:-?}" "$step"
  } >&2
  exit 1
}

# free_port: prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for TIMEOUT_S LOGFILE PID COMMAND...: retries COMMAND until it succeeds, the pid dies, or time runs out.
wait_for() {
  local timeout="$1" logfile="$2" pid="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then fail start "process $pid exited before it was ready" "$logfile"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then fail start "not ready after ${timeout}s" "$logfile"; fi
    sleep 0.5
  done
}

# write_state JSON: the file tests read (test/infra/state.ts), $PEREGRINE_IT_STATE/<component>.json.
write_state() { printf '%s\n' "$1" >"$PEREGRINE_IT_STATE/$COMPONENT.json.tmp" && mv "$PEREGRINE_IT_STATE/$COMPONENT.json.tmp" "$PEREGRINE_IT_STATE/$COMPONENT.json"; }

# save_pid PID [NAME]: record a process we started so stop.sh (and leftover cleanup) can end exactly it.
save_pid() { printf '%s\n' "$1" >"$PEREGRINE_IT_STATE/$COMPONENT${2:+-$2}.pid"; }

# stop_pids: end every process whose pid file this component wrote, then remove its state.
stop_pids() {
  local f pid
  for f in "$PEREGRINE_IT_STATE/$COMPONENT".pid "$PEREGRINE_IT_STATE/$COMPONENT"-*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  rm -f "$PEREGRINE_IT_STATE/$COMPONENT.json"
}

# spawn LOGFILE COMMAND...: start COMMAND detached in its own process group; prints its pid.
spawn() {
  local logfile="$1"; shift
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  echo $!
}

# go_install MODULE@VERSION NAME DEST [CHECK_ARG]: builds the command NAME of MODULE with `go install`
# from the Go module proxy (pure Go, no VCS stamping) into the file DEST, once it runs
# (`NAME CHECK_ARG`, default -version). Output goes to $logfile; a failure is reported by fail().
go_install() {
  local module="$1" name="$2" dest="$3" check="${4:--version}" started=$SECONDS tmpbin d
  if ! command -v go >/dev/null 2>&1; then
    for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
  fi
  command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.26 on PATH)" ""
  log "building $name ${module##*@} (go install; first time only; log: $logfile)"
  tmpbin="$(mktemp -d)"
  GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}" CGO_ENABLED=0 GOBIN="$tmpbin" GOFLAGS="-buildvcs=false -trimpath" go install "$module" >>"$logfile" 2>&1 \
    || fail install "go install $module failed" "$logfile"
  "$tmpbin/$name" "$check" >>"$logfile" 2>&1 || fail install "the built $name does not run" "$logfile"
  mv -f "$tmpbin/$name" "$dest" && rmdir "$tmpbin"
  log "built $dest in $((SECONDS - started))s"
}
