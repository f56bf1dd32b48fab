#!/usr/bin/env bash
# switch.sh: how long after an activation's commit every replica of a
# PostgreSQL store serves the new version, on the synthetic province
# (COPIES, default 10). Two replicas serve version 1; `gridmap import
# --store` publishes version 2 (its index and z0–15 tiles published
# before the activation, which the replicas build ahead of); a poller
# reads each replica's /readyz every few milliseconds and prints when it
# first names version 2, against the activation's time in the database
# (gridmap.active.activated, the activating transaction's start, a few
# milliseconds before its commit). ROUNDS imports (default 3) alternate
# between the two sets. Needs PostgreSQL 15 + PostGIS (scripts/pg.sh: a
# cluster of its own is started and stopped). Hold the machine-wide lock:
#   flock /tmp/gm-heavy.lock env COPIES=25 bash bench/switch.sh
source "$(dirname "$0")/lib.sh"
COPIES=${COPIES:-10}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18451}
W=$OUT/switch-$COPIES
PIDS=()
PGDIR=$W/pg
trap 'for p in "${PIDS[@]}"; do stop_pid "$p"; done; bash "$ROOT/scripts/pg.sh" stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
rm -rf "$W" && mkdir -p "$W"
build
"$BIN/gridmap" synth --copies "$COPIES" --out "$W/a" >/dev/null
# the second set: every town renamed
mkdir -p "$W/b" && cp "$W"/a/*.geojson "$W/b/"
sed -i 's/"name":"\([^"]*\)"/"name":"\1（更名）"/g' "$W/b/towns.geojson"
eval "$(bash "$ROOT/scripts/pg.sh" start "$PGDIR")"
DSN=${GRIDMAP_TEST_PG/\/postgres\?/\/gridmap?}
"$GRIDMAP_TEST_PGBIN/psql" "$GRIDMAP_TEST_PG" -qc "create database gridmap"
LIM=(--max-file-bytes -1 --max-features -1)
layers() { for l in county towns villages grids microgrids; do echo "$l=$W/$1/$l.geojson"; done; }
log "importing version 1 ($COPIES copies)"
"$BIN/gridmap" import --data "$W/importer" --store "$DSN" "${LIM[@]}" $(layers a) >"$W/import-1.log" 2>&1
for r in 1 2; do
	"$BIN/gridmap" serve --data "$W/r$r" --store "$DSN" --addr "127.0.0.1:$((PORT + r))" >"$W/r$r.log" 2>&1 &
	PIDS+=($!)
done
for r in 1 2; do
	until curl -fs "http://127.0.0.1:$((PORT + r))/readyz" >/dev/null; do sleep 0.1; done
done
log "replicas ready: $(grep -h 'serving version' "$W"/r?.log | head -2 | tr '\n' ' ')"

# first NAME PORT ID: prints the epoch seconds at which the replica on PORT
# first answers /readyz naming version ID
first() {
	until curl -fs "http://127.0.0.1:$2/readyz" 2>/dev/null | grep -q "\"version\":\"$3\""; do sleep 0.002; done
	echo "$1 $(date +%s.%N)"
}
for ((i = 1; i <= ROUNDS; i++)); do
	v=v$((i + 1))
	set=$([ $((i % 2)) = 1 ] && echo b || echo a)
	polls=()
	for r in 1 2; do
		first "r$r" $((PORT + r)) "$v" >"$W/seen-$r" &
		polls+=($!)
	done
	t0=$(date +%s.%N)
	"$BIN/gridmap" import --data "$W/importer" --store "$DSN" "${LIM[@]}" $(layers "$set") >"$W/import-$v.log" 2>&1
	wait "${polls[@]}" # not the replicas
	act=$("$GRIDMAP_TEST_PGBIN/psql" "$DSN" -Atc "select extract(epoch from activated) from gridmap.active")
	printf '%s import %.1f s;' "$v" "$(echo "$act - $t0" | bc)"
	for r in 1 2; do
		read -r name at <"$W/seen-$r"
		printf ' %s answered %.0f ms after the activation;' "$name" "$(echo "($at - $act) * 1000" | bc)"
	done
	echo
	grep -h "built ahead\|served as built ahead\|loaded and built" "$W"/r?.log | grep " $v" | sed 's/^/    /' | cut -c1-200
done
