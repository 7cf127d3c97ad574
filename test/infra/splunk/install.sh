#!/usr/bin/env bash
# Builds (once) an OpenTelemetry Collector that speaks Splunk HEC: splunkhecreceiver + fileexporter +
# bearertokenauthextension (scheme "Splunk") + ackextension, all from one contrib release
# (test/infra/collector.sh: versions, Go settings, the build and its cache).
# Cached: the builder and the collector binary under $PEREGRINE_IT_CACHE/splunk, Go modules and the
# build cache in the Go defaults (~/go/pkg/mod, ~/.cache/go-build). A rebuild happens only when the
# manifest below changes (its sha256 is the cache key).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../collector.sh"
COMPONENT=splunk

dir="$PEREGRINE_IT_CACHE/splunk"
build_collector "$dir" otelcol-peregrine-hec "$(cat <<YAML
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
