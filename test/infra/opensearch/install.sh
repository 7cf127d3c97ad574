#!/usr/bin/env bash
# Installs OpenSearch for the integration tests: the official integ-test zip from Maven Central
# (org.opensearch.distribution.integ-test-zip:opensearch:<version>:zip, cached in ~/.m2), unpacked
# once. Plain HTTP, no security plugin (the zip has only transport-netty4). Idempotent and offline
# once cached. Shares helpers with ../elasticsearch (common.sh, supervise.sh).
COMPONENT="${COMPONENT:-opensearch}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$INFRA_DIR/elasticsearch/common.sh"
: >"$INSTALL_LOG"

OS_VERSION="${PEREGRINE_IT_OS_VERSION:-2.19.6}"
DIST="$RUN_ROOT/dist/opensearch-$OS_VERSION"

pick_java 11 >/dev/null || fail install "no JDK >= 11 found (set PEREGRINE_IT_JAVA_HOME)"
command -v unzip >/dev/null || fail install "unzip is required (apt-get install unzip)"
ensure_run_user install
zip="$(fetch_maven_zip org.opensearch.distribution.integ-test-zip opensearch "$OS_VERSION")"
unpack_zip "$zip" "$DIST"
chmod -R a+rX "$DIST"
log "installed OpenSearch $OS_VERSION in $DIST"
