#!/usr/bin/env bash
# Builds (once) an OpenTelemetry Collector that receives OTLP (otlpreceiver, HTTP + gRPC) and writes
# what it accepted to a file (fileexporter, OTLP/JSON), for the otlp, otlptraces and otlpmetrics outputs'
# integration tests.
# Same release set as test/infra/splunk (test/infra/collector.sh), so the Go caches are shared.
# lokireceiver is NOT in it: the module proxy reachable here has no lokireceiver@v0.147.0 (only
# v0.145.0, which would pull a second, older core); test/infra/victorialogs serves the Loki push API.
# Cached under $PEREGRINE_IT_CACHE/otelcol, keyed by the manifest (see build_collector).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../collector.sh"
COMPONENT=otelcol

dir="$PEREGRINE_IT_CACHE/otelcol"
build_collector "$dir" otelcol-peregrine-otlp "$(cat <<YAML
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
