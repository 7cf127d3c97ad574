#!/usr/bin/env bash
# Builds (once) Prometheus Alertmanager from its Go module (the Go module proxy), cached under
# $PEREGRINE_IT_CACHE/alertmanager; Go modules and the build cache stay in the Go defaults.
#
# Why not `go install …/cmd/alertmanager@v0.35.0`: since 0.32 the web UI is embedded from
# ui/app/dist, which is built by npm and is not part of the module, so `go install` fails
# ("pattern app/dist: no matching files found"). We build the same module source with a one-page
# placeholder in app/dist: the API the tests use is untouched, only the web UI is absent.
# (Debian's prometheus-alertmanager is 0.25, which still has the v1 API removed in 0.27.)
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=alertmanager

AM_VERSION=v0.35.0
dir="$PEREGRINE_IT_CACHE/alertmanager"
binary="$dir/alertmanager-$AM_VERSION"
logfile="$dir/install.log"
mkdir -p "$dir"

if [ -x "$binary" ]; then
  log "alertmanager $AM_VERSION already built ($binary)"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.25 on PATH)" ""
export GOFLAGS="-mod=mod -buildvcs=false"
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

: >"$logfile"
log "downloading github.com/prometheus/alertmanager@$AM_VERSION"
module_dir="$(go mod download -json "github.com/prometheus/alertmanager@$AM_VERSION" 2>>"$logfile" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')" \
  || fail install "go mod download github.com/prometheus/alertmanager@$AM_VERSION failed" "$logfile"

src="$dir/src-$AM_VERSION"
rm -rf "$src"
cp -r "$module_dir" "$src" && chmod -R u+w "$src"
for ui in elm mantine; do
  mkdir -p "$src/ui/app/dist/$ui"
  printf '<!doctype html><title>Alertmanager</title><p>Web UI not built (Peregrine test build).\n' >"$src/ui/app/dist/$ui/index.html"
done

log "building alertmanager $AM_VERSION (a few minutes the first time)"
( cd "$src" && go build -trimpath -ldflags "-X github.com/prometheus/common/version.Version=${AM_VERSION#v}" -o "$binary.tmp" ./cmd/alertmanager ) >>"$logfile" 2>&1 \
  || fail install "go build ./cmd/alertmanager failed" "$logfile"
mv "$binary.tmp" "$binary"
rm -rf "$src"
"$binary" --version >>"$logfile" 2>&1 || fail install "the built alertmanager does not run" "$logfile"
log "built $binary"
