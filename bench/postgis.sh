#!/usr/bin/env bash
# PostGIS as gridmap's peer and oracle, in the same run as gridmap.
#
#   bash bench/postgis.sh            # starts its own gridmap (sample data) on 127.0.0.1:18480
#   GM_URL=http://127.0.0.1:PORT/api/v1/lookup bash bench/postgis.sh   # use a running gridmap
#
# Installs postgresql-15-postgis-3 when missing, runs a throwaway cluster on
# 127.0.0.1:$PGPORT (temp dir, postgres user), loads the five Jiangyin layers
# (ogr2ogr, else bench/pgpeer load), builds GiST indexes, then: prepared
# ST_Covers single lookups at 1 and 8 connections next to gmload on the same
# points; a 1M-point join next to a 1M-point gridmap batch of the same points;
# the ST_Covers oracle. Results: $OUT/postgis.jsonl and $OUT/postgis.txt.
# Then the incident figures (pgpeer stats): STATS_N synthetic incidents in a
# stats.Ledger and in a PostGIS table, the figures by towns and by micro
# grids alternated, STATS_ROUNDS rounds each.
#
#   PARTS=stats bash bench/postgis.sh    # only the incident figures
source "$(dirname "$0")/lib.sh"
PGPORT=${PGPORT:-55432}
PGBIN=/usr/lib/postgresql/15/bin
DUR=${DUR:-5s}
ROUNDS=${ROUNDS:-3}
BATCH=${BATCH:-1000000}
PARTS=${PARTS:-lookup stats}
STATS_N=${STATS_N:-1000000}
STATS_ROUNDS=${STATS_ROUNDS:-7}
want() { [[ " $PARTS " == *" $1 "* ]]; }
RES=$OUT/postgis.jsonl
TXT=$OUT/postgis.txt
: >"$RES"; : >"$TXT"

if ! dpkg -s postgresql-15-postgis-3 >/dev/null 2>&1; then
	log "installing postgresql-15-postgis-3"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
fi
[ -x "$BIN/pgpeer" ] || build

PGDIR=$(mktemp -d /tmp/gridmap-pg.XXXXXX)
chown postgres: "$PGDIR"
GM_PID=""
cleanup() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
	stop_pid "$GM_PID"
	rm -rf "$PGDIR"
}
trap cleanup EXIT

log "initdb in $PGDIR, port $PGPORT"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
	-o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c work_mem=64MB -c jit=off -c fsync=off -c synchronous_commit=off" start >/dev/null
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE bench" >/dev/null
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d bench -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE EXTENSION postgis" >/dev/null
DSN="postgres://postgres@127.0.0.1:$PGPORT/bench?sslmode=disable"
echo "{\"peer\":\"postgis\",\"mode\":\"version\",\"postgis\":\"$("${PSQL[@]}" -c 'SELECT postgis_lib_version()')\",\"postgres\":\"$("${PSQL[@]}" -c 'SHOW server_version')\"}" >>"$RES"

t0=$(date +%s.%N)
if command -v ogr2ogr >/dev/null; then
	log "loading layers with ogr2ogr"
	for l in county towns villages grids microgrids; do
		ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PGPORT user=postgres dbname=bench" "$SRC/$l.geojson" \
			-nln "$l" -nlt MULTIPOLYGON -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE -lco FID=fid -overwrite
	done
else
	log "loading layers with pgpeer (no ogr2ogr)"
	"$BIN/pgpeer" load --dsn "$DSN" --dir "$SRC"
fi
for l in county towns villages grids microgrids; do
	"${PSQL[@]}" -c "CREATE INDEX ${l}_gist ON $l USING gist (geom); ANALYZE $l"
done
echo "{\"peer\":\"postgis\",\"mode\":\"load\",\"seconds\":$(echo "$(date +%s.%N) - $t0" | bc)}" >>"$RES"
"${PSQL[@]}" -c "SELECT 'rows', (SELECT count(*) FROM microgrids), (SELECT count(*) FROM grids)" >>"$TXT"

if want lookup; then
	if [ -z "${GM_URL:-}" ]; then
		start_gridmap "$OUT/pg-gridmap-data" 18480
		GM_URL=http://127.0.0.1:18480/api/v1/lookup
	fi

	PTS=$OUT/inside-points.csv
	"$BIN/pgpeer" points --dsn "$DSN" --n 65536 --out "$PTS"

	for c in 1 8; do
		log "single lookups, $c conns: PostGIS then gridmap, $ROUNDS rounds of $DUR"
		"$BIN/pgpeer" single --dsn "$DSN" --points "$PTS" --conns $c --duration "$DUR" --rounds "$ROUNDS" | tee -a "$RES" | grep summary >&2
		"$BIN/gmload" --url "$GM_URL" --points "$PTS" --conns $c --duration "$DUR" --rounds "$ROUNDS" --json 2>/dev/null |
			jq -c '{peer:"gridmap",mode:"single-summary",conns:.conns,rps_median:.summaries[0].rps_median,p50_us_median:.summaries[0].p50_us_median,p99_us_median:.summaries[0].p99_us_median,errors:.summaries[0].errors}' | tee -a "$RES" >&2
	done

	log "batch: PostGIS join of $BATCH points, gridmap POST of $BATCH points (same inside points, cycled)"
	"$BIN/pgpeer" batch --dsn "$DSN" --n "$BATCH" --rounds "$ROUNDS" | tee -a "$RES" | grep summary >&2
	for r in $(seq 1 "$ROUNDS"); do
		"$BIN/gmload" --url "$GM_URL" --points "$PTS" --batch "$BATCH" --format csv --content-length --json |
			jq -c '{peer:"gridmap",mode:"batch",format:.format,points:.points,answered:.answered,points_per_sec:.points_per_sec,error:.error}' | tee -a "$RES" >&2
	done

	log "oracle: truth points, 20000 random, 20000 on shared vertices and edges"
	"$BIN/pgpeer" oracle --dsn "$DSN" --url "$GM_URL" --truth "$SRC/points.csv" --random 20000 --border 20000 >>"$RES"
	jq -r 'select(.mode=="oracle-count") | "\(.layer)\t\(.kind)\t\(.outcome)\t\(.n)"' "$RES" | column -t >>"$TXT"
	jq -r 'select(.mode=="oracle-mismatch") | "\(.outcome) \(.layer) \(.kind) \(.lon),\(.lat) gridmap=\(.gridmap) st_covers=\(.st_covers) deg_outside_county=\(.deg_outside_county)"' "$RES" >>"$TXT"
fi

if want stats; then
	log "incident figures: $STATS_N incidents, ledger and PostGIS alternated, $STATS_ROUNDS rounds"
	"$BIN/pgpeer" stats --dsn "$DSN" --dir "$SRC" --n "$STATS_N" --rounds "$STATS_ROUNDS" | tee -a "$RES" >&2
	jq -r 'select(.mode=="stats") | "stats \(.layer): gridmap \(.gridmap_ms_median) ms, postgis \(.postgis_ms_median) ms, ratio \(.ratio), grids agree \(.grids_agree)/\(.grids)"' "$RES" >>"$TXT"
fi
log "done: $RES, $TXT"
