#!/usr/bin/env bash
# Benchmark of enrichment against the Spotify stub with a per-call latency (see docs/benchmarks.md):
#   bench/enrichment.sh                                  # 5,000 tracks batch, 300 single, 100 ms latency
#   bench/enrichment.sh --tracks 2000 --latency-ms 50 --single-tracks 100
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
exec java -Xmx512m -Dencore.log.level=WARN -Dsun.net.httpserver.nodelay=true \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.encore.bench.EnrichmentBenchmark "$@"
