#!/usr/bin/env bash
# PostGIS ST_AsMVT as the peer of gridmap's uncached z14 tiles (issue 6), and
# the Jiangyin import time (issue 5), in one run.
#
#   bash bench/tilepeer.sh     # results: $OUT/tilepeer.jsonl, $OUT/import-jiangyin.txt
#
# Imports the five Jiangyin layers with every check (3 times, /usr/bin/time -v),
# runs a throwaway PostgreSQL + PostGIS cluster on 127.0.0.1:$PGPORT, loads the
# same five files (ogr2ogr, else pgpeer load), adds microgrids.geom3857 with
# its own GiST index (and the same for every layer shown at z14), then
# bench/tilepeer: every non-empty z14 tile, prepared ST_AsMVT (micro grids
# alone, and every layer gridmap shows at z14 concatenated) vs
# tiles.Source.Tile in process, plus the first and second GET of each tile
# from a fresh gridmap serve.
export TREE=${TREE:-$(cd "$(dirname "$0")/../.." && pwd)/gmbench-tile-src}
export BIN=${BIN:-$(cd "$(dirname "$0")" && pwd)/out/bin-tile}
source "$(dirname "$0")/lib.sh"
PGPORT=${PGPORT:-55433}
PORT=${PORT:-18490}
ROUNDS=${ROUNDS:-5}
PGBIN=/usr/lib/postgresql/15/bin
RES=$OUT/tilepeer.jsonl
IMP=$OUT/import-jiangyin.txt
: >"$RES"; : >"$IMP"
build
(cd "$TREE" && go build -o "$BIN/tilepeer" ./bench/tilepeer)

log "import of the five Jiangyin layers, every check, 3 runs"
for r in 1 2 3; do
	rm -rf "$OUT/tile-data"
	/usr/bin/time -v "$BIN/gridmap" import --data "$OUT/tile-data" "$SRC"/{county,towns,villages,grids,microgrids}.geojson >"$OUT/import-jiangyin.log" 2>"$OUT/import-jiangyin.err"
	echo "run $r: $(grep -E 'Elapsed \(wall|Maximum resident' "$OUT/import-jiangyin.err" | sed 's/^\s*//' | paste -sd ';')" | tee -a "$IMP" >&2
done
tail -3 "$OUT/import-jiangyin.log" >>"$IMP"

if ! dpkg -s postgresql-15-postgis-3 >/dev/null 2>&1; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
fi
PGDIR=$(mktemp -d /tmp/gridmap-pgtile.XXXXXX)
chown postgres: "$PGDIR"
GM_PID=""
cleanup() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
	stop_pid "$GM_PID"
	rm -rf "$PGDIR"
}
trap cleanup EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
	-o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c work_mem=64MB -c jit=off -c fsync=off -c synchronous_commit=off" start >/dev/null
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE bench" >/dev/null
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d bench -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE EXTENSION postgis" >/dev/null
DSN="postgres://postgres@127.0.0.1:$PGPORT/bench?sslmode=disable"
echo "{\"peer\":\"postgis\",\"mode\":\"version\",\"postgis\":\"$("${PSQL[@]}" -c 'SELECT postgis_lib_version()')\",\"postgres\":\"$("${PSQL[@]}" -c 'SHOW server_version')\"}" >>"$RES"
log "loading the five layers into PostGIS"
if command -v ogr2ogr >/dev/null; then
	for l in county towns villages grids microgrids; do
		ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PGPORT user=postgres dbname=bench" "$SRC/$l.geojson" \
			-nln "$l" -nlt MULTIPOLYGON -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE -lco FID=fid -overwrite
	done
else
	"$BIN/pgpeer" load --dsn "$DSN" --dir "$SRC"
fi
for l in county towns villages grids microgrids; do
	"${PSQL[@]}" -c "CREATE INDEX ${l}_gist ON $l USING gist (geom); ANALYZE $l"
done

start_gridmap "$OUT/tile-data" "$PORT"
log "tilepeer: $ROUNDS rounds over every non-empty z14 tile"
"$BIN/tilepeer" --dsn "$DSN" --data "$OUT/tile-data" --zoom 14 --rounds "$ROUNDS" --url "http://127.0.0.1:$PORT" | tee -a "$RES" >&2
log "done: $RES, $IMP"
