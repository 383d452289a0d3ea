#!/usr/bin/env bash
# Benchmark of the curated zone (docs/curated-zone.md, figures in docs/benchmarks.md): one user's
# 1,000,000 streams written as Parquet, month by month, then the pass after a one-month load.
#   bench/curated.sh                     # 1,000,000 streams, H2 file database
#   bench/curated.sh --streams 100000
#   bench/curated.sh --db jdbc:postgresql://127.0.0.1:5432/encore_bench   (an existing, empty database)
# The heap is capped at 256 MB (BENCH_HEAP to change it), as for the intake. MVN_ARGS passes flags to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
HEAP="${BENCH_HEAP:-256m}"
if [[ ! -f target/bench.classpath || ! -f target/test-classes/dev/encore/bench/CuratedBenchmark.class ]] \
   || [[ -n "$(find src pom.xml -newer target/bench.classpath -print -quit)" ]]; then
  echo "Building (mvn test-compile) ..."
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_ARGS:-} -DskipTests test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
  touch target/bench.classpath
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)  heap: -Xmx$HEAP"
exec java -Xmx"$HEAP" -Dencore.log.level=WARN -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.encore.bench.CuratedBenchmark "$@"
