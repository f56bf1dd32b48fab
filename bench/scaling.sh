#!/usr/bin/env bash
# The measurements of docs/scaling.md: for Jiangyin (COPIES=1) or the
# synthetic province (COPIES=100): import time and peak memory into the
# embedded store and into PostgreSQL, and a replica's start on each:
# first (no index file yet: built and published), cold (a new replica: an
# empty local cache, the index file fetched from the store), warm (a
# restart); resident memory at ready and single-lookup latency (gmload,
# 1 connection). Results: $OUT/scaling-$COPIES.txt, one "name value" line
# each. Needs PostgreSQL 15 + PostGIS (scripts/pg.sh; a cluster of its own
# is started and stopped). Hold the machine-wide lock for the province:
#   flock /tmp/gm-heavy.lock env COPIES=100 EMBEDDED=0 bash bench/scaling.sh
source "$(dirname "$0")/lib.sh"
COPIES=${COPIES:-1}
PORT=${PORT:-18391}
W=$OUT/scaling-$COPIES
RES=$OUT/scaling-$COPIES.txt
GM_PID=""
PGDIR=$W/pg
trap 'stop_pid "$GM_PID"; bash "$ROOT/scripts/pg.sh" stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
rm -rf "$W" && mkdir -p "$W"
: >"$RES"
put() { echo "$*" | tee -a "$RES" >&2; }
build
"$BIN/gridmap" synth --copies "$COPIES" --out "$W/src" >/dev/null
put "grids $(for l in county towns villages grids microgrids; do grep -c '"type":"Feature"' "$W/src/$l.geojson"; done | paste -sd/)"
eval "$(bash "$ROOT/scripts/pg.sh" start "$PGDIR")"
DSN=${GRIDMAP_TEST_PG/\/postgres\?/\/gridmap?}
"$GRIDMAP_TEST_PGBIN/psql" "$GRIDMAP_TEST_PG" -qc "create database gridmap"
"$BIN/gridmap" migrate up --store "$DSN" >/dev/null
layers() { for l in county towns villages grids microgrids; do echo "$l=$W/src/$l.geojson"; done; }
LIM=(--max-file-bytes -1 --max-features -1)

# timed NAME CMD…: wall seconds and peak RSS (MB) of CMD
timed() {
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/$name.log" 2>&1
	read -r s kb <"$W/time"
	put "$name ${s}s $((kb / 1024))MB"
}
# EMBEDDED=0 skips the embedded store (the province's figures are on
# docs/performance.md already)
EMBEDDED=${EMBEDDED:-1}
[ "$EMBEDDED" = 0 ] || timed import_embedded "$BIN/gridmap" import --data "$W/embedded" "${LIM[@]}" $(layers)
timed import_postgres "$BIN/gridmap" import --data "$W/importer" --store "$DSN" "${LIM[@]}" $(layers)
put "postgres_size $("$GRIDMAP_TEST_PGBIN/psql" "$DSN" -Atc "select pg_size_pretty(pg_database_size(current_database()))")"

# start NAME ARGS…: serve until /readyz; time to ready, RSS at ready, then
# lookup latency over the copies' bounding box
start() {
	local name=$1; shift
	local t0=$(date +%s.%N)
	"$BIN/gridmap" serve --addr "127.0.0.1:$PORT" "$@" >"$W/$name.log" 2>&1 &
	GM_PID=$!
	until curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do
		kill -0 "$GM_PID" 2>/dev/null || { cat "$W/$name.log" >&2; exit 1; }
		sleep 0.1
	done
	put "$name ready $(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.2f')s rss $(rss_mb "$GM_PID")MB"
	local bbox=$(python3 -c "import json;b=[1e9,1e9,-1e9,-1e9]
for l in open('$W/src/county.geojson'):
  if '\"Feature\"' not in l: continue
  f=json.loads(l.rstrip(',\n'));
  for p in f['geometry']['coordinates']:
    for r in (p if f['geometry']['type']=='MultiPolygon' else [p]):
      for x,y in r: b=[min(b[0],x),min(b[1],y),max(b[2],x),max(b[3],y)]
print(','.join(map(str,b)))")
	"$BIN/gmload" -url "http://127.0.0.1:$PORT/api/v1/lookup" -bbox "$bbox" -duration 5s -json >"$W/$name-load.json" 2>&1 || true
	put "$name lookup_p50 $(python3 -c "import json,statistics;d=json.load(open('$W/$name-load.json'));print('%.1fus p99 %.0fus rps %.0f'%(statistics.median(r['p50_us'] for r in d['runs']),statistics.median(r['p99_us'] for r in d['runs']),statistics.median(r['rps'] for r in d['runs'])))")"
	stop_pid "$GM_PID"; GM_PID=""
}
if [ "$EMBEDDED" != 0 ]; then
	start embedded_first --data "$W/embedded"
	start embedded_warm --data "$W/embedded"
fi
start postgres_first --data "$W/replica1" --store "$DSN"
start postgres_cold --data "$W/replica2" --store "$DSN"
start postgres_warm --data "$W/replica2" --store "$DSN"
put "index_file $(du -m "$(find "$W/replica2" -name index.bin | head -1)" | cut -f1)MB"
