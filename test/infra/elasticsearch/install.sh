#!/usr/bin/env bash
# Installs Elasticsearch for the integration tests: the official integ-test zip from Maven Central
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip, cached in ~/.m2),
# unpacked once, plus the small shim module in ./shim (see shim/src/.../ShimPlugin.java for why).
# Idempotent: with everything present it touches no network and finishes in about a second.
COMPONENT="${COMPONENT:-elasticsearch}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$INFRA_DIR/elasticsearch/common.sh"
: >"$INSTALL_LOG"

# 8.19 is the newest line published as an integ-test zip (there is no 9.x one) and runs on JDK 17.
ES_VERSION="${PEREGRINE_IT_ES_VERSION:-8.19.21}"
DIST="$RUN_ROOT/dist/elasticsearch-$ES_VERSION"

JAVA_HOME_ES="$(pick_java 17 javac)" || fail install "no JDK >= 17 with javac found (set PEREGRINE_IT_JAVA_HOME)"
command -v unzip >/dev/null || fail install "unzip is required (apt-get install unzip)"
ensure_run_user install

zip="$(fetch_maven_zip org.elasticsearch.distribution.integ-test-zip elasticsearch "$ES_VERSION")"
unpack_zip "$zip" "$DIST"

# The shim module: rebuilt when its source or the ES version changes.
shim_src="$INFRA_DIR/elasticsearch/shim/src/dev/peregrine/itshim/ShimPlugin.java"
shim_dir="$DIST/modules/peregrine-it-shim"
shim_sum="$(cat "$shim_src" | sha1sum | cut -c1-40) $ES_VERSION"
if [ "$(cat "$shim_dir/.source-sha" 2>/dev/null)" != "$shim_sum" ]; then
  log "building the shim module with $JAVA_HOME_ES"
  build="$(mktemp -d)"
  "$JAVA_HOME_ES/bin/javac" --release 17 -nowarn -proc:none -cp "$DIST/lib/*" -d "$build/classes" "$shim_src" \
    >>"$INSTALL_LOG" 2>&1 || { rm -rf "$build"; fail install "javac failed for the shim module" "$INSTALL_LOG"; }
  mkdir -p "$build/module"
  "$JAVA_HOME_ES/bin/jar" cf "$build/module/peregrine-it-shim.jar" -C "$build/classes" . >>"$INSTALL_LOG" 2>&1 \
    || { rm -rf "$build"; fail install "jar failed for the shim module" "$INSTALL_LOG"; }
  cat >"$build/module/plugin-descriptor.properties" <<PROPS
description=Peregrine integration-test shim: analysis components of the .security index, GET /
version=$ES_VERSION
name=peregrine-it-shim
classname=dev.peregrine.itshim.ShimPlugin
java.version=17
elasticsearch.version=$ES_VERSION
PROPS
  printf '%s\n' "$shim_sum" >"$build/module/.source-sha"
  rm -rf "$shim_dir"
  mv "$build/module" "$shim_dir"
  rm -rf "$build"
  own "$shim_dir"
fi
chmod -R a+rX "$DIST"
log "installed Elasticsearch $ES_VERSION in $DIST (java: $JAVA_HOME_ES)"
