#!/usr/bin/env bash
# Builds (once) an OpenTelemetry Collector that receives OTLP (otlpreceiver, HTTP + gRPC) and writes
# what it accepted to a file (fileexporter, OTLP/JSON), for the otlp output's integration tests.
# Same release set as test/infra/splunk (v0.147.0 / core v1.53.0) so the Go module and build caches
# are shared. lokireceiver is NOT in it: the module proxy reachable here has no
# lokireceiver@v0.147.0 (only v0.145.0, which would pull a second, older core); the Loki push API is
# served by test/infra/victorialogs instead.
# Cached: the builder and the binary under $PEREGRINE_IT_CACHE/otelcol (builder shared with splunk
# when that one is present), Go modules and build cache in the Go defaults (~/go/pkg/mod,
# ~/.cache/go-build). A rebuild happens only when the manifest below changes (its sha256 is the key).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=otelcol

OTEL_VERSION=v0.147.0
CORE_VERSION=v1.53.0   # the stable core modules released with v0.147.0
CONTRIB=github.com/open-telemetry/opentelemetry-collector-contrib

dir="$PEREGRINE_IT_CACHE/otelcol"
logfile="$dir/install.log"
mkdir -p "$dir/bin"

if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.24 on PATH)" ""
export GOFLAGS="-mod=mod -buildvcs=false"
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"
# As in test/infra/splunk: the checksum database has no entries for many OpenTelemetry module
# versions; skip it for those two module trees only.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}$CONTRIB,go.opentelemetry.io/collector"

manifest="$(cat <<YAML
dist:
  name: otelcol-peregrine-otlp
  module: peregrine.test/otelcol-peregrine-otlp
  description: OTLP test receiver for Peregrine integration tests
  output_path: $dir/build
receivers:
  - gomod: go.opentelemetry.io/collector/receiver/otlpreceiver $OTEL_VERSION
exporters:
  - gomod: $CONTRIB/exporter/fileexporter $OTEL_VERSION
providers:
  - gomod: go.opentelemetry.io/collector/confmap/provider/fileprovider $CORE_VERSION
  - gomod: go.opentelemetry.io/collector/confmap/provider/envprovider $CORE_VERSION
  - gomod: go.opentelemetry.io/collector/confmap/provider/yamlprovider $CORE_VERSION
YAML
)"
key="$(printf '%s\n%s\n' "$manifest" "$(go env GOVERSION)" | sha256sum | cut -c1-16)"
binary="$dir/otelcol-peregrine-otlp"
stamp="$dir/otelcol-peregrine-otlp.key"

if [ -x "$binary" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
  log "collector $OTEL_VERSION already built ($binary)"
  exit 0
fi

: >"$logfile"
builder="$dir/bin/builder-$OTEL_VERSION"
shared="$PEREGRINE_IT_CACHE/splunk/bin/builder-$OTEL_VERSION"
if [ ! -x "$builder" ] && [ -x "$shared" ]; then cp "$shared" "$builder"; fi
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
# Sources only, then `go build -mod=mod`: the builder's own `go mod tidy` would also resolve test-only
# dependencies that the reachable proxy refuses (see test/infra/splunk/install.sh).
"$builder" --config "$dir/manifest.yaml" --skip-get-modules --skip-compilation >>"$logfile" 2>&1 \
  || fail install "the collector builder failed to generate sources" "$logfile"
(cd "$dir/build" && go build -trimpath -ldflags="-s -w" -o otelcol-peregrine-otlp .) >>"$logfile" 2>&1 \
  || fail install "go build of the collector failed" "$logfile"
[ -x "$dir/build/otelcol-peregrine-otlp" ] || fail install "go build did not produce $dir/build/otelcol-peregrine-otlp" "$logfile"
"$dir/build/otelcol-peregrine-otlp" components >>"$logfile" 2>&1 || fail install "the built collector does not run" "$logfile"
mv -f "$dir/build/otelcol-peregrine-otlp" "$binary"
printf '%s\n' "$key" >"$stamp"
log "built $binary in $((SECONDS - started))s"
