#!/usr/bin/env bash
# Benchmark of the hourly extraction: one tick for many connected users against the Spotify stub
# with a per-call latency, on PostgreSQL, one replica and two (see docs/benchmarks.md):
#   bench/live.sh                                   # 1,000 users, 100 ms latency, 4 workers per replica
#   bench/live.sh --users 200 --latency-ms 50 --concurrency 8 --pg-url jdbc:postgresql://127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
exec java -Xmx1g -Dencore.log.level=WARN -Dsun.net.httpserver.nodelay=true \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.encore.bench.LiveBenchmark "$@"
