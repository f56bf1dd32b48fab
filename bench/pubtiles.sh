#!/usr/bin/env bash
# Published tiles (issue 19): Jiangyin's archive (z0–15) build time and
# size, then cold tiles/s of a fresh replica serving it against PostGIS
# ST_AsMVT, alternated rounds in one run.
#
#   bash bench/pubtiles.sh     # results: $OUT/pubtiles.jsonl
#
# Imports the five Jiangyin layers, starts gridmap serve once so that it
# publishes versions/v1/tiles.pmtiles (its log line gives the render time,
# tiles and size), starts a private PostgreSQL + PostGIS (scripts/pg.sh),
# loads the same layers (pgpeer load) with GiST indexes, then
# bench/tilepeer in cold mode: each round a fresh gridmap serve answers
# every z10–z15 tile over the data once over HTTP on 8 connections, and
# PostGIS answers the same tiles (every layer gridmap shows at the zoom,
# concatenated ST_AsMVT, prepared) on 8 connections; the order alternates.
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5}
PORT=${PORT:-18496}
RES=$OUT/pubtiles.jsonl
: >"$RES"
build
(cd "$TREE" && go build -o "$BIN/tilepeer" ./bench/tilepeer)
DATA=$OUT/pubtiles-data
rm -rf "$DATA"
"$BIN/gridmap" import --data "$DATA" "$SRC"/{county,towns,villages,grids,microgrids}.geojson >/dev/null
start_gridmap "$DATA" "$PORT"
for _ in $(seq 1 1200); do
	grep -q "published tiles z0–15 rendered and written" "$OUT/serve-$PORT.log" && break
	sleep 0.5
done
stop_pid "$GM_PID"
line=$(grep "published tiles z0–15 rendered and written" "$OUT/serve-$PORT.log")
log "$line"
echo "{\"mode\":\"archive\",\"log\":\"${line//\"/\'}\",\"bytes\":$(stat -c %s "$DATA"/versions/v1/tiles.pmtiles)}" >>"$RES"

PGDIR=$(mktemp -d /tmp/gridmap-pubtiles-pg.XXXXXX)
cleanup() { bash "$ROOT/scripts/pg.sh" stop "$PGDIR"; rm -rf "$PGDIR"; }
trap cleanup EXIT
eval "$(bash "$ROOT/scripts/pg.sh" start "$PGDIR")"
psql "$GRIDMAP_TEST_PG" -qc "CREATE DATABASE bench" >/dev/null
DSN=${GRIDMAP_TEST_PG/\/postgres\?/\/bench?}
psql "$DSN" -qc "CREATE EXTENSION postgis" >/dev/null
"$BIN/pgpeer" load --dsn "$DSN" --dir "$SRC" >/dev/null
for l in county towns villages grids microgrids; do
	psql "$DSN" -qc "CREATE INDEX ${l}_gist ON $l USING gist (geom); ANALYZE $l" >/dev/null
done
log "cold tiles: $ROUNDS alternated rounds, fresh gridmap serve with published tiles vs PostGIS ST_AsMVT"
"$BIN/tilepeer" --dsn "$DSN" --data "$DATA" --rounds "$ROUNDS" --cold-bin "$BIN/gridmap" --port $((PORT + 1)) --cold-log "$OUT/pubtiles-serve.log" | tee -a "$RES" >&2
grep -o 'snapshot in .*' "$OUT/pubtiles-serve.log" | sed 's/^/start: /' >&2
log "done: $RES"
