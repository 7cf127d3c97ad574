#!/usr/bin/env bash
# Builds (once) an OpenTelemetry Collector that speaks Splunk HEC: splunkhecreceiver + fileexporter +
# bearertokenauthextension (scheme "Splunk") + ackextension, all from one contrib release.
# Cached: the builder and the collector binary under $PEREGRINE_IT_CACHE/splunk, Go modules and the
# build cache in the Go defaults (~/go/pkg/mod, ~/.cache/go-build). A rebuild happens only when the
# manifest below changes (its sha256 is the cache key).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=splunk

# One aligned release set. Newer contrib releases (>=v0.148) of splunkhecreceiver are not served by
# the module proxy reachable here; v0.147.0 has every module we need, and builder v0.147.0 pins the
# matching core (v0.147.0 / v1.53.0) modules.
OTEL_VERSION=v0.147.0
CORE_VERSION=v1.53.0   # the stable core modules released with v0.147.0
CONTRIB=github.com/open-telemetry/opentelemetry-collector-contrib

dir="$PEREGRINE_IT_CACHE/splunk"
logfile="$dir/install.log"
mkdir -p "$dir/bin"

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

manifest="$(cat <<YAML
dist:
  name: otelcol-peregrine-hec
  module: peregrine.test/otelcol-peregrine-hec
  description: Splunk HEC test receiver for Peregrine integration tests
  output_path: $dir/build
receivers:
  - gomod: $CONTRIB/receiver/splunkhecreceiver $OTEL_VERSION
exporters:
  - gomod: $CONTRIB/exporter/fileexporter $OTEL_VERSION
extensions:
  - gomod: $CONTRIB/extension/bearertokenauthextension $OTEL_VERSION
  - gomod: $CONTRIB/extension/ackextension $OTEL_VERSION
providers:
  - gomod: go.opentelemetry.io/collector/confmap/provider/fileprovider $CORE_VERSION
  - gomod: go.opentelemetry.io/collector/confmap/provider/envprovider $CORE_VERSION
  - gomod: go.opentelemetry.io/collector/confmap/provider/yamlprovider $CORE_VERSION
YAML
)"
key="$(printf '%s\n%s\n' "$manifest" "$(go env GOVERSION)" | sha256sum | cut -c1-16)"
binary="$dir/otelcol-peregrine-hec"
stamp="$dir/otelcol-peregrine-hec.key"

if [ -x "$binary" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
  log "collector $OTEL_VERSION already built ($binary)"
  exit 0
fi

: >"$logfile"
builder="$dir/bin/builder-$OTEL_VERSION"
if [ ! -x "$builder" ]; then
  log "installing the collector builder $OTEL_VERSION (go install)"
  tmpbin="$(mktemp -d)"
  GOBIN="$tmpbin" go install "go.opentelemetry.io/collector/cmd/builder@$OTEL_VERSION" >>"$logfile" 2>&1 \
    || fail install "go install go.opentelemetry.io/collector/cmd/builder@$OTEL_VERSION failed" "$logfile"
  mv "$tmpbin/builder" "$builder" && rmdir "$tmpbin"
fi

log "building the collector (first time only: several minutes on 2 cores; log: $logfile)"
printf '%s\n' "$manifest" >"$dir/manifest.yaml"
rm -rf "$dir/build"
started=$SECONDS
# The builder only generates the sources: its own `go mod tidy` step also resolves the *test*
# dependencies of every imported module, and some of those versions (zpagesextension,
# telemetrytest, otlpencodingextension @v0.147.0) are refused by the module proxy reachable here.
# `go build -mod=mod` downloads just what the binary imports.
"$builder" --config "$dir/manifest.yaml" --skip-get-modules --skip-compilation >>"$logfile" 2>&1 \
  || fail install "the collector builder failed to generate sources" "$logfile"
(cd "$dir/build" && go build -trimpath -ldflags="-s -w" -o otelcol-peregrine-hec .) >>"$logfile" 2>&1 \
  || fail install "go build of the collector failed" "$logfile"
[ -x "$dir/build/otelcol-peregrine-hec" ] || fail install "go build did not produce $dir/build/otelcol-peregrine-hec" "$logfile"
"$dir/build/otelcol-peregrine-hec" components >>"$logfile" 2>&1 || fail install "the built collector does not run" "$logfile"
mv -f "$dir/build/otelcol-peregrine-hec" "$binary"
printf '%s\n' "$key" >"$stamp"
log "built $binary in $((SECONDS - started))s"
