#!/usr/bin/env bash
# Start-up of a one-shot command as a person meets it: `./encore import` of one small file into a
# database that is already current, as a whole process, N times on H2 and on PostgreSQL (wall and
# user CPU seconds, from /usr/bin/time). Builds when needed, and the launcher's CDS archive with it.
#   bench/startup.sh                  # 5 runs each
#   bench/startup.sh --runs 10 --db h2
#   ENCORE_JIT=full bench/startup.sh  # both JIT compilers, as for an import past 64 MB
# PostgreSQL at 127.0.0.1:5432 with trust auth for user postgres (PGHOST/PGPORT/PGUSER override).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
db=both
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    *) echo "usage: bench/startup.sh [--runs N] [--db h2|postgres|both]" >&2; exit 2 ;;
  esac
done
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
work="$(mktemp -d /tmp/encore-startup-XXXXXX)"
pg_db="encore_startup_$(date +%s)$$"
cleanup() {
  [ "$db" = h2 ] || psql -qd postgres -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
printf '[{"ts":"2024-01-01T00:00:00Z","platform":"linux","ms_played":60000,"conn_country":"DE","master_metadata_track_name":"t","master_metadata_album_artist_name":"a","master_metadata_album_album_name":"b","spotify_track_uri":"spotify:track:0000000000000000000001","reason_start":"trackdone","reason_end":"trackdone","shuffle":false,"skipped":false,"offline":false,"incognito_mode":false}]' \
  > "$work/Streaming_History_Audio_2024.json"

time_imports() { # label url
  ./encore import --user warm --db "$2" "$work/Streaming_History_Audio_2024.json" >/dev/null # builds, migrates
  local line="" i
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e/%U" -o "$work/time" ./encore import --user "u$i" --db "$2" "$work/Streaming_History_Audio_2024.json" >/dev/null
    line="$line $(cat "$work/time")"
  done
  printf '%-11s %s\n' "$1" "$line"
}

echo "encore import of one 1-record file, wall/user CPU in s, $runs runs; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), ENCORE_JIT=${ENCORE_JIT:-auto}, ENCORE_CDS=${ENCORE_CDS:-on}"
if [ "$db" != postgres ]; then time_imports "H2" "jdbc:h2:file:$work/h2/encore"; fi
if [ "$db" != h2 ]; then
  psql -qd postgres -c "CREATE DATABASE $pg_db" >/dev/null
  time_imports "PostgreSQL" "jdbc:postgresql://$PGHOST:$PGPORT/$pg_db?user=$PGUSER"
fi
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
