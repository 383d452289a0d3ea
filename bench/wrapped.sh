#!/usr/bin/env bash
# Benchmark of the wrapped endpoint over HTTP: one user with 1,000,000 generated streams, on H2
# and PostgreSQL, p50/p95/max per query (see docs/benchmarks.md):
#   bench/wrapped.sh                                   # 1,000,000 streams, 100 requests, both databases
#   bench/wrapped.sh --records 200000 --requests 50 --db h2
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
exec java -Xmx1g -Dencore.log.level=WARN ${BENCH_JAVA_OPTS:-} \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.encore.bench.WrappedBenchmark "$@"
