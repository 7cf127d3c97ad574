#!/usr/bin/env bash
# Installs (once) the Gotify server (MIT) from the Go module proxy. Its build embeds the web UI's
# build output (ui/serve.go: //go:embed build/*), which the module does not ship (it is made by
# yarn): the module is copied out of the module cache, a placeholder page put where the UI goes
# (the tests use the REST API only), and built with cgo (its SQLite driver). ~80 s the first time.
# Cached: the binary under $PEREGRINE_IT_CACHE/gotify, modules/build cache in ~/go, ~/.cache.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir="$PEREGRINE_IT_CACHE/gotify"
logfile="$dir/install.log"
mkdir -p "$dir"

if [ -x "$binary" ]; then
  log "gotify $GOTIFY_VERSION already installed ($binary)"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.26 on PATH)" ""
command -v gcc >/dev/null 2>&1 || fail install "gcc is not installed (Gotify's SQLite driver needs cgo)" ""
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

: >"$logfile"
log "building gotify $GOTIFY_VERSION (go build with cgo; first time only; log: $logfile)"
started=$SECONDS
module="$(GOFLAGS=-mod=mod go mod download -json "github.com/gotify/server/v2@$GOTIFY_VERSION" 2>>"$logfile" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$module" ] || fail install "go mod download github.com/gotify/server/v2@$GOTIFY_VERSION failed" "$logfile"
src="$(mktemp -d)"
cp -r "$module/." "$src/" && chmod -R u+w "$src"
mkdir -p "$src/ui/build/static"
echo '<!doctype html><title>Gotify (test build, no UI)</title>' >"$src/ui/build/index.html"
echo '{}' >"$src/ui/build/manifest.json"
echo '{}' >"$src/ui/build/asset-manifest.json"
echo placeholder >"$src/ui/build/static/placeholder.txt"
(cd "$src" && CGO_ENABLED=1 GOFLAGS="-buildvcs=false -trimpath" go build -o "$binary.tmp" .) >>"$logfile" 2>&1 \
  || fail install "go build of gotify $GOTIFY_VERSION failed" "$logfile"
rm -rf "$src"
mv -f "$binary.tmp" "$binary"
log "built $binary in $((SECONDS - started))s"
