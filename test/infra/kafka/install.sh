#!/usr/bin/env bash
# Installs the Apache Kafka broker (org.apache.kafka:kafka_2.13 + slf4j-reload4j, see pom.xml) from
# Maven Central into $PEREGRINE_IT_CACHE/kafka-<version>/lib. Idempotent: when the lib dir is
# complete it returns at once without running Maven (no network).
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$INFRA_DIR/kafka/common.sh"

java_bin="$(kafka_java)"
[ -n "$java_bin" ] || fail install "no java found (need JDK 17+; set JAVA_HOME or put java on PATH)"

if [ -f "$KAFKA_LIB/.complete" ]; then
  log "kafka $KAFKA_VERSION already installed in $KAFKA_LIB"
  exit 0
fi

command -v mvn >/dev/null 2>&1 || fail install "mvn (Maven 3) not found; install it (Debian: apt-get install maven)"
mkdir -p "$KAFKA_HOME_DIR"
install_log="$KAFKA_HOME_DIR/install.log"
tmp="$KAFKA_HOME_DIR/lib.tmp.$$"
rm -rf "$tmp"
log "downloading kafka_2.13 $KAFKA_VERSION from Maven Central (log: $install_log)"
if ! mvn -B -q -f "$KAFKA_SCRIPT_DIR/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$install_log" 2>&1; then
  rm -rf "$tmp"
  fail install "mvn dependency:copy-dependencies failed" "$install_log"
fi
for jar in "kafka_2.13-$KAFKA_VERSION.jar" "kafka-clients-$KAFKA_VERSION.jar" slf4j-reload4j-*.jar reload4j-*.jar; do
  compgen -G "$tmp/$jar" >/dev/null || { rm -rf "$tmp"; fail install "$jar missing after mvn copy-dependencies" "$install_log"; }
done
touch "$tmp/.complete"
if [ -f "$KAFKA_LIB/.complete" ]; then
  rm -rf "$tmp"   # a concurrent install finished first
else
  rm -rf "$KAFKA_LIB"
  mv "$tmp" "$KAFKA_LIB"
fi
log "kafka $KAFKA_VERSION installed in $KAFKA_LIB ($(ls "$KAFKA_LIB" | wc -l) jars)"
