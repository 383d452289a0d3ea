#!/usr/bin/env bash
# What one poll of the local raw zone costs as it grows: N loaded raw files over D days, listed
# as raw-intake-local lists them and naively. See docs/raw-zone.md. Arguments go to
# dev.encore.bench.RawListingBenchmark, e.g.
#   bench/raw-listing.sh --files 50000 --days 365
# MVN_ARGS passes extra flags to Maven (e.g. MVN_ARGS=-o for offline).
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ ! -f target/bench.classpath || ! -f target/test-classes/dev/encore/bench/RawListingBenchmark.class ]] \
   || [[ -n "$(find src pom.xml -newer target/bench.classpath -print -quit)" ]]; then
  echo "Building (mvn test-compile) ..."
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_ARGS:-} -DskipTests test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
  touch target/bench.classpath
fi
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.encore.bench.RawListingBenchmark "$@"
