#!/usr/bin/env bash
# Encore's intake side by side with the loaders people write by hand, in one run, over the same
# generated extended-history files and the same local PostgreSQL (docs/benchmarks.md):
#   1. the in-process load (bench/intake.sh, first load on a fresh database)
#   2. `encore import` as a whole process (./encore, start-up included), fresh database
#   3. pandas read_json -> to_sql(method="multi", chunksize=1000)   (no key, no checks)
#   4. pandas read_json -> CSV buffer -> COPY                        (no key, no checks)
#   5. the ceiling: Encore's own rows `\copy`-ed into a fresh table identical to `stream`
#      (same columns, same unique natural key), as fast as the database takes them
# and prints each rate (records per second) and the ratios.
#   bench/compare.sh                           # 301,500 records in 21 files, as in issue 13
#   bench/compare.sh --records 100000 --files 7 --to-sql-files 2
# --to-sql-files bounds the slow to_sql loader to the first K files (its rate is per record).
# Needs psql and Debian's python3-pandas, python3-sqlalchemy and python3-psycopg2; PostgreSQL on
# 127.0.0.1:5432 with trust auth for user postgres (PGHOST/PGPORT/PGUSER override).
set -euo pipefail
cd "$(dirname "$0")/.."

records=301500 files=21 to_sql_files=3
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    --to-sql-files) to_sql_files="$2"; shift 2 ;;
    *) echo "usage: bench/compare.sh [--records N] [--files F] [--to-sql-files K]" >&2; exit 2 ;;
  esac
done
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
PY=/usr/bin/python3 # Debian's python, which has the Debian packages
work="$(mktemp -d /tmp/encore-compare-XXXXXX)"
suffix="$(date +%s)$$"
dbs=()
cleanup() {
  for d in "${dbs[@]+"${dbs[@]}"}"; do psql -qd postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fresh_db() { psql -qd postgres -c "CREATE DATABASE $1" >/dev/null; dbs+=("$1"); }
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "Encore loaders compared: $records records in $files files, PostgreSQL at $PGHOST:$PGPORT ($(psql -qtAd postgres -c 'SHOW server_version'))"
echo "Machine: $(nproc) cores, load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. in-process, which also writes the files and leaves its database (Encore's rows) behind
bench/intake.sh --records "$records" --files "$files" --db postgres --work-dir "$work" --keep > "$work/intake.txt"
inproc=$(awk '/^PostgreSQL first load/ { gsub(",", "", $6); print $6 }' "$work/intake.txt")
bench_db=$(sed -n 's|^Kept the PostgreSQL database jdbc:postgresql://[^/]*/\([A-Za-z0-9_]*\).*|\1|p' "$work/intake.txt")
dbs+=("$bench_db")
mapfile -t json < <(find "$work"/export-* -name 'Streaming_History_*.json' ! -name 'renewed-*' | sort)
bytes=$(cat "${json[@]}" | wc -c)
echo "Files: ${#json[@]}, $((bytes / 1000000)) MB"

# 2. encore import, the whole process (the archive and the jar are built before the clock starts)
ENCORE_CDS=${ENCORE_CDS:-on} ./encore --help >/dev/null
fresh_db "cmp_encore_$suffix"
t0=$(now)
./encore import --user compare --db "jdbc:postgresql://$PGHOST:$PGPORT/cmp_encore_$suffix?user=$PGUSER" "${json[@]}" > "$work/import.txt"
t1=$(now)
whole_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
loaded=$(psql -qtAd "cmp_encore_$suffix" -c "SELECT COUNT(*) FROM stream")
[ "$loaded" = "$records" ] || { echo "encore import stored $loaded rows, expected $records" >&2; exit 1; }
whole=$(rate "$records" "$whole_s")

# 3 and 4. pandas, each into a fresh database, as a whole process each
fresh_db "cmp_pandas_$suffix"
cat > "$work/pandas_load.py" <<'EOF'
import io, sys, time
import pandas as pd
import sqlalchemy
mode, url, files = sys.argv[1], sys.argv[2], sys.argv[3:]
engine = sqlalchemy.create_engine(url)
rows = 0
for i, f in enumerate(files):
    df = pd.read_json(f)
    rows += len(df)
    table = "stream_" + mode
    if mode == "to_sql":
        df.to_sql(table, engine, if_exists="append", index=False, method="multi", chunksize=1000)
    else:
        if i == 0:
            df.head(0).to_sql(table, engine, if_exists="replace", index=False)
        buf = io.StringIO()
        df.to_csv(buf, index=False, header=False)
        buf.seek(0)
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur:
                cur.copy_expert('COPY %s FROM STDIN WITH (FORMAT csv)' % table, buf)
            raw.commit()
        finally:
            raw.close()
print(rows)
EOF
pg_sa="postgresql+psycopg2://$PGUSER@$PGHOST:$PGPORT/cmp_pandas_$suffix"
t0=$(now)
to_sql_rows=$($PY "$work/pandas_load.py" to_sql "$pg_sa" "${json[@]:0:$to_sql_files}")
t1=$(now)
to_sql=$(rate "$to_sql_rows" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
t0=$(now)
copy_rows=$($PY "$work/pandas_load.py" copy "$pg_sa" "${json[@]}")
t1=$(now)
pandas_copy=$(rate "$copy_rows" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")

# 5. the ceiling: Encore's rows into an identical table (columns, identity, unique key), by \copy
cols="user_id, ts_utc, ts_precision, ms_played, kind, content_hash, track_uri, episode_uri, audiobook_uri, chapter_uri, track_name, artist_name, album_name, episode_name, show_name, audiobook_title, chapter_title, platform, conn_country, reason_start, reason_end, shuffle, skipped, offline, offline_ts, incognito, source, import_run_id"
psql -qd "$bench_db" -c "\\copy (SELECT $cols FROM stream) TO '$work/rows.tsv'"
psql -qd "$bench_db" -c "CREATE TABLE stream_ceiling (LIKE stream INCLUDING ALL)"
t0=$(now)
psql -qd "$bench_db" -c "\\copy stream_ceiling ($cols) FROM '$work/rows.tsv'"
t1=$(now)
ceiling=$(rate "$records" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")

echo "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-62s %12s %12s\n' "loader" "records/s" "of ceiling"
row() { printf '%-62s %12s %12s\n' "$1" "$(printf "%'d" "$2")" "$(awk -v a="$2" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')"; }
row "encore import, whole process ($(printf '%.1f' "$whole_s") s)" "$whole"
row "Encore in-process first load (bench/intake.sh)" "$inproc"
row "pandas read_json -> to_sql(multi, 1000) ($to_sql_rows records)" "$to_sql"
row "pandas read_json -> CSV -> COPY (no key, no checks)" "$pandas_copy"
row "\\copy of Encore's rows into an identical stream table" "$ceiling"
echo
awk -v w="$whole" -v i="$inproc" -v t="$to_sql" -v p="$pandas_copy" 'BEGIN {
  printf "encore import / pandas to_sql: %.1fx   encore import / pandas+COPY: %.2fx   in-process / pandas+COPY: %.2fx\n", w / t, w / p, i / p }'
