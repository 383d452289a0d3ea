#!/usr/bin/env bash
# Benchmark of the export intake: parse-only and end to end on H2 and PostgreSQL.
# See docs/benchmarks.md. All arguments go to dev.encore.bench.IntakeBenchmark, e.g.
#   bench/intake.sh --records 100000 --db h2
#   bench/intake.sh                      # 1,000,000 records, H2 and PostgreSQL
# The heap is capped at 256 MB (override with BENCH_HEAP=512m), so the heap target is enforced,
# not just measured. MVN_ARGS passes extra flags to Maven (e.g. MVN_ARGS=-o for offline).
set -euo pipefail

cd "$(dirname "$0")/.."
HEAP="${BENCH_HEAP:-256m}"

# Build when the classes or the classpath are missing or older than the sources.
if [[ ! -f target/bench.classpath || ! -f target/test-classes/dev/encore/bench/IntakeBenchmark.class ]] \
   || [[ -n "$(find src pom.xml -newer target/bench.classpath -print -quit)" ]]; then
  echo "Building (mvn test-compile) ..."
  # (the sed drops the colour resets this Maven prints even in batch mode)
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_ARGS:-} -DskipTests test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
  touch target/bench.classpath # the goal leaves an unchanged file untouched
fi

# Which databases, and where PostgreSQL is (the same defaults as the Java program).
args=("$@")
db=both
pg_url="jdbc:postgresql://127.0.0.1:5432/postgres"
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --db) db="${args[i+1]:-both}" ;;
    --pg-url) pg_url="${args[i+1]:-$pg_url}" ;;
  esac
done
hostport="${pg_url#jdbc:postgresql://}"; hostport="${hostport%%/*}"
pg_host="${hostport%%:*}"; pg_port=5432
[[ "$hostport" == *:* ]] && pg_port="${hostport##*:}"

pg_up() { (exec 3<>"/dev/tcp/$pg_host/$pg_port") 2>/dev/null; }

if [[ "$db" != h2 ]] && ! pg_up; then
  if [[ "$(id -u)" == 0 && -d /etc/postgresql ]] && command -v pg_ctlcluster >/dev/null; then
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    echo "PostgreSQL is down on $pg_host:$pg_port; starting cluster $version/main ..."
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 30); do pg_up && break; sleep 1; done
  fi
  if ! pg_up; then
    if [[ "$db" == postgres ]]; then
      echo "ERROR: PostgreSQL is not reachable on $pg_host:$pg_port and could not be started." >&2
      exit 1
    fi
    echo "*** PostgreSQL is not reachable on $pg_host:$pg_port and could not be started:"
    echo "*** FALLING BACK TO H2 ONLY (no PostgreSQL figures in this run)."
    filtered=()
    for ((i = 0; i < ${#args[@]}; i++)); do
      if [[ "${args[i]}" == --db ]]; then ((i++)) || true; continue; fi
      filtered+=("${args[i]}")
    done
    args=("${filtered[@]}" --db h2)
  fi
fi

# encore.log.level=WARN: the per-file INFO lines of ExportImporter would drown the report.
exec java "-Xmx$HEAP" -Dencore.log.level=WARN ${BENCH_JAVA_OPTS:-} \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.encore.bench.IntakeBenchmark "${args[@]}"
