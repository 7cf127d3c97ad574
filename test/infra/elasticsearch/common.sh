#!/usr/bin/env bash
# Shared by test/infra/elasticsearch/*.sh and test/infra/opensearch/*.sh (source after ../lib.sh).
#
# Layout
#   zip (download)  $PEREGRINE_IT_M2_REPO (default ~/.m2/repository), fetched with `mvn dependency:get`
#   unpacked dist   $RUN_ROOT/dist/<name>-<version>        (install.sh; reused by every start)
#   one node        $RUN_ROOT/instances/<hash of $PEREGRINE_IT_STATE>/<component>/{config,data,logs,tmp,ctl}
#                   (start.sh recreates it; control.ts restarts on the same one)
# Elasticsearch and OpenSearch refuse to run as root, so as root everything runs as the throw-away
# system user `peregrine-it` under /var/lib/peregrine-it (a directory that user can reach: root's
# ~/.cache usually cannot be traversed by another user). Not root: the current user, under the cache.

ES_USER_NAME="${PEREGRINE_IT_RUN_USER:-peregrine-it}"
if [ "$(id -u)" = 0 ]; then
  RUN_USER="$ES_USER_NAME"
  RUN_ROOT="${PEREGRINE_IT_RUN_ROOT:-/var/lib/peregrine-it}"
else
  RUN_USER=""
  RUN_ROOT="${PEREGRINE_IT_RUN_ROOT:-$PEREGRINE_IT_CACHE/run}"
fi
M2_REPO="${PEREGRINE_IT_M2_REPO:-$HOME/.m2/repository}"
INSTANCE_DIR="$RUN_ROOT/instances/$(printf '%s' "$PEREGRINE_IT_STATE" | sha1sum | cut -c1-12)/$COMPONENT"
CTL_DIR="$INSTANCE_DIR/ctl"
LOGFILE="$PEREGRINE_IT_STATE/$COMPONENT.log"
INSTALL_LOG="$PEREGRINE_IT_STATE/$COMPONENT-install.log"

# ensure_run_user: idempotently create the throw-away system user (root only) and $RUN_ROOT.
ensure_run_user() {
  mkdir -p "$RUN_ROOT/dist" "$RUN_ROOT/instances"
  [ -n "$RUN_USER" ] || return 0
  command -v setpriv >/dev/null || fail "$1" "setpriv (util-linux) is required to drop root privileges"
  if ! id -u "$RUN_USER" >/dev/null 2>&1; then
    # elasticsearch and opensearch may be installed concurrently: serialise useradd.
    (
      flock 9
      if ! id -u "$RUN_USER" >/dev/null 2>&1; then
        getent group "$RUN_USER" >/dev/null || groupadd --system "$RUN_USER"
        useradd --system --gid "$RUN_USER" --home-dir "$RUN_ROOT" --no-create-home \
          --shell /usr/sbin/nologin --comment "Peregrine integration tests (throw-away)" "$RUN_USER"
      fi
    ) 9>"$PEREGRINE_IT_CACHE/.peregrine-it-user.lock" >>"$INSTALL_LOG" 2>&1 \
      || fail "$1" "could not create system user $RUN_USER" "$INSTALL_LOG"
  fi
  chown "$RUN_USER:$RUN_USER" "$RUN_ROOT" "$RUN_ROOT/dist" "$RUN_ROOT/instances"
  chmod 755 "$RUN_ROOT"
  # Every parent of RUN_ROOT must be traversable by the user.
  local d="$RUN_ROOT"
  while [ "$d" != / ]; do d="$(dirname "$d")"; chmod o+x "$d" 2>/dev/null || true; done
}

# run_user_cmd: sets RUN_AS=(...), the prefix that runs a command as the throw-away user (when root).
run_user_cmd() {
  if [ -n "$RUN_USER" ]; then
    RUN_AS=(setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups -- env HOME="$RUN_ROOT")
  else
    RUN_AS=(env HOME="$RUN_ROOT")
  fi
}
own() { [ -z "$RUN_USER" ] || chown -R "$RUN_USER:$RUN_USER" "$@"; }

# pick_java MIN_MAJOR [need_javac]: prints a JAVA_HOME. $PEREGRINE_IT_JAVA_HOME wins; then JDK 17,
# 21, then any other JDK >= MIN found under /usr/lib/jvm, then $JAVA_HOME.
pick_java() {
  local min="$1" need_javac="${2:-}" c major
  for c in "${PEREGRINE_IT_JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 \
           /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-arm64 /usr/lib/jvm/* "${JAVA_HOME:-}"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    [ -z "$need_javac" ] || [ -x "$c/bin/javac" ] || continue
    major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$c/release" 2>/dev/null)"
    [ -n "$major" ] && [ "$major" -ge "$min" ] || continue
    printf '%s\n' "$c"; return 0
  done
  return 1
}

# fetch_maven_zip GROUP ARTIFACT VERSION: makes sure the zip is in the local Maven repository
# (no network when it already is) and prints its path.
fetch_maven_zip() {
  local g="$1" a="$2" v="$3" path url
  path="$M2_REPO/${g//.//}/$a/$v/$a-$v.zip"
  if [ ! -s "$path" ]; then
    log "downloading $g:$a:$v:zip from Maven Central"
    if command -v mvn >/dev/null; then
      mvn -B -q -Dmaven.repo.local="$M2_REPO" dependency:get -Dartifact="$g:$a:$v:zip" -Dtransitive=false \
        >>"$INSTALL_LOG" 2>&1 || fail install "mvn could not download $g:$a:$v:zip" "$INSTALL_LOG"
    else
      url="https://repo1.maven.org/maven2/${g//.//}/$a/$v/$a-$v.zip"
      mkdir -p "$(dirname "$path")"
      { curl -fsSL --retry 3 -o "$path.part" "$url" && curl -fsSL --retry 3 -o "$path.sha1" "$url.sha1" \
          && [ "$(sha1sum "$path.part" | cut -c1-40)" = "$(cut -c1-40 "$path.sha1")" ] && mv "$path.part" "$path"; } \
        >>"$INSTALL_LOG" 2>&1 || { rm -f "$path.part"; fail install "could not download $url (no mvn on PATH)" "$INSTALL_LOG"; }
    fi
    [ -s "$path" ] || fail install "downloaded, but $path is missing" "$INSTALL_LOG"
  fi
  printf '%s\n' "$path"
}

# unpack_zip ZIP DEST: unpack the distribution once into DEST (atomically: a half-unpacked dir is
# never mistaken for a complete one).
unpack_zip() {
  local zip="$1" dest="$2" tmp
  [ -f "$dest/.peregrine-unpacked" ] && return 0
  log "unpacking $(basename "$zip") into $dest"
  tmp="$(mktemp -d "$RUN_ROOT/dist/.unpack.XXXXXX")"
  unzip -q "$zip" -d "$tmp" >>"$INSTALL_LOG" 2>&1 || { rm -rf "$tmp"; fail install "could not unzip $zip" "$INSTALL_LOG"; }
  rm -rf "$dest"
  mv "$tmp"/* "$dest" && rm -rf "$tmp"
  touch "$dest/.peregrine-unpacked"
  own "$dest"
}

# free_ports N: prints N distinct free ports.
free_ports() {
  python3 -c '
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()' "$1"
}

# json_state KEY=VALUE...: prints a JSON object (values that look like JSON literals — numbers,
# true/false/null — are written as such; everything else is a string).
json_state() {
  python3 -c '
import json, sys
out = {}
for arg in sys.argv[1:]:
    k, v = arg.split("=", 1)
    if v in ("true", "false", "null") or (v.isdigit() and not v.startswith("0")):
        out[k] = json.loads(v)
    else:
        out[k] = v
print(json.dumps(out))' "$@"
}

# spawn_supervised JAVA_START_CMD...: starts test/infra/elasticsearch/supervise.sh (which runs the
# command and lets control.ts stop/start it without losing the pid file) detached; prints its pid.
spawn_supervised() {
  mkdir -p "$CTL_DIR"; rm -f "$CTL_DIR/paused" "$CTL_DIR/child.pid"
  spawn "$LOGFILE" bash "$INFRA_DIR/elasticsearch/supervise.sh" "$CTL_DIR" "$@"
}
