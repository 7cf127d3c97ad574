#!/usr/bin/env bash
# Builds an OpenTelemetry Collector with the collector builder, for the components that need one
# (splunk: HEC receiver; otelcol: OTLP receiver). Source it after lib.sh; do not run it.
#
# One aligned release set for every collector here: newer contrib releases (>=v0.148) of
# splunkhecreceiver are not served by the module proxy reachable here; v0.147.0 has every module
# we need, and builder v0.147.0 pins the matching core (v0.147.0 / v1.53.0) modules. Keeping them
# aligned also shares the Go module and build caches (~/go/pkg/mod, ~/.cache/go-build).
OTEL_VERSION=v0.147.0
CORE_VERSION=v1.53.0   # the stable core modules released with v0.147.0
CONTRIB=github.com/open-telemetry/opentelemetry-collector-contrib

# collector_go_env: Go on PATH and the module settings every build here uses.
collector_go_env() {
  # Go: the machine image ships it in /usr/local/go; a non-login shell may not have it on PATH.
  if ! command -v go >/dev/null 2>&1; then
    for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
  fi
  command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.24 on PATH)" ""
  export GOFLAGS="-mod=mod -buildvcs=false"
  export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"
  # The checksum database (reached through the proxy) has no entries for many OpenTelemetry module
  # versions, so `go` would refuse them ("verifying go.mod: ... 404 Not Found"). Skip the sumdb for
  # the two OpenTelemetry module trees only; every other dependency is still verified.
  export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}$CONTRIB,go.opentelemetry.io/collector"
}

# build_collector DIR NAME MANIFEST: builds DIR/NAME from the builder MANIFEST (whose output_path
# must be DIR/build), once: the sha256 of the manifest and the Go version is the cache key.
build_collector() {
  local dir="$1" name="$2" manifest="$3"
  local logfile="$dir/install.log"
  mkdir -p "$dir/bin"
  collector_go_env
  local key binary="$dir/$name" stamp="$dir/$name.key"
  key="$(printf '%s\n%s\n' "$manifest" "$(go env GOVERSION)" | sha256sum | cut -c1-16)"
  if [ -x "$binary" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
    log "collector $OTEL_VERSION already built ($binary)"
    return 0
  fi

  : >"$logfile"
  local builder="$dir/bin/builder-$OTEL_VERSION"
  if [ ! -x "$builder" ]; then
    log "installing the collector builder $OTEL_VERSION (go install)"
    local tmpbin
    tmpbin="$(mktemp -d)"
    GOBIN="$tmpbin" go install "go.opentelemetry.io/collector/cmd/builder@$OTEL_VERSION" >>"$logfile" 2>&1 \
      || fail install "go install go.opentelemetry.io/collector/cmd/builder@$OTEL_VERSION failed" "$logfile"
    mv "$tmpbin/builder" "$builder" && rmdir "$tmpbin"
  fi

  log "building the collector (first time only: several minutes on 2 cores; log: $logfile)"
  printf '%s\n' "$manifest" >"$dir/manifest.yaml"
  rm -rf "$dir/build"
  local started=$SECONDS
  # The builder only generates the sources: its own `go mod tidy` step also resolves the *test*
  # dependencies of every imported module, and some of those versions (zpagesextension,
  # telemetrytest, otlpencodingextension @v0.147.0) are refused by the module proxy reachable here.
  # `go build -mod=mod` downloads just what the binary imports.
  "$builder" --config "$dir/manifest.yaml" --skip-get-modules --skip-compilation >>"$logfile" 2>&1 \
    || fail install "the collector builder failed to generate sources" "$logfile"
  (cd "$dir/build" && go build -trimpath -ldflags="-s -w" -o "$name" .) >>"$logfile" 2>&1 \
    || fail install "go build of the collector failed" "$logfile"
  [ -x "$dir/build/$name" ] || fail install "go build did not produce $dir/build/$name" "$logfile"
  "$dir/build/$name" components >>"$logfile" 2>&1 || fail install "the built collector does not run" "$logfile"
  mv -f "$dir/build/$name" "$binary"
  printf '%s\n' "$key" >"$stamp"
  log "built $binary in $((SECONDS - started))s"
}
