#!/usr/bin/env bash
# startup.sh: a replica's start, two builds alternated round by round (their
# order swapping), each on its own data directory: seconds from `gridmap
# serve` to its first 200 on /readyz, resident memory then, a batch of
# lookups (NDJSON, POINTS points in BBOX, one POST, after one
# untimed batch and SETTLE seconds, default 2) with its rate, and resident
# memory after it; then the medians of each build. With
# COLD=1 the start's own files (binary, data dir) are dropped from the page
# cache before it. With GMLOAD=path of a cmd/gmload binary, single GETs
# too (8 connections, 3 rounds of 2 s: medians of rate, p50 and p99).
#
#   bash bench/pubindex/startup.sh ROUNDS BASE_BIN BASE_DATA NEW_BIN NEW_DATA [POINTS] [PORT]
set -euo pipefail
rounds=$1 bins=("$2" "$4") dirs=("$3" "$5") points=${6:-200000} port=${7:-18941}
names=(base new)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# BBOX=minlon,minlat,maxlon,maxlat (WGS84) of the random points, default
# Jiangyin's; the 100-copy province's is 119.98,31.68,126.29,34.95
box=${BBOX:-119.98,31.68,120.58,32.03}
awk -v n="$points" -v box="$box" 'BEGIN { split(box, b, ","); srand(19); for (i = 0; i < n; i++) printf "{\"id\":%d,\"lon\":%.7f,\"lat\":%.7f}\n", i, b[1] + rand() * (b[3] - b[1]), b[2] + rand() * (b[4] - b[2]) }' >"$work/points.ndjson"

# one NAME BIN DATA: one start, one line of figures
one() {
	local name=$1 bin=$2 data=$3
	if [ "${COLD:-0}" = 1 ]; then
		# this start's files only (the binary, the data dir) leave the page
		# cache: the machine is shared, and dropping every cache would make
		# the others' measurements cold too
		find "$data" -type f -print0 | xargs -0 -I{} dd if={} iflag=nocache count=0 status=none
		dd if="$bin" iflag=nocache count=0 status=none
	fi
	local start end pid rss0 rss1 t0 t1
	start=$(date +%s.%N)
	"$bin" serve --data "$data" --addr "127.0.0.1:$port" >"$work/$name.log" 2>&1 &
	pid=$!
	until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
		kill -0 $pid 2>/dev/null || { echo "$name: server exited; its log:" >&2; cat "$work/$name.log" >&2; exit 1; }
		sleep 0.005
	done
	end=$(date +%s.%N)
	rss0=$(awk '/^VmRSS:/ {print int($2 / 1024)}' /proc/$pid/status)
	# a first batch (what runs in the background after a start, the tile
	# source and the encoding ahead, finishes meanwhile), then the timed one
	curl -fs -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary "@$work/points.ndjson" "http://127.0.0.1:$port/api/v1/lookup"
	sleep "${SETTLE:-2}"
	t0=$(date +%s.%N)
	curl -fs -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary "@$work/points.ndjson" "http://127.0.0.1:$port/api/v1/lookup"
	t1=$(date +%s.%N)
	rss1=$(awk '/^VmRSS:/ {print int($2 / 1024)}' /proc/$pid/status)
	local gets=""
	if [ -n "${GMLOAD:-}" ]; then
		# single GETs in BBOX, 8 connections: medians of 3 × 2 s
		"$GMLOAD" --url "http://127.0.0.1:$port/api/v1/lookup" --bbox "$box" --conns 8 --duration 2s --warmup 1s --rounds 3 --json >"$work/gets.json"
		gets=$(jq -r '.summaries[0] | " gets_per_s \(.rps_median | floor) gets_p50_us \(.p50_us_median) gets_p99_us \(.p99_us_median)"' "$work/gets.json")
	fi
	kill $pid
	wait $pid 2>/dev/null || true
	echo "$name ready_s $(echo "$end - $start" | bc) rss_ready_mb $rss0 lookups_per_s $(echo "$points / ($t1 - $t0)" | bc) rss_after_mb $rss1$gets"
}

for ((r = 0; r < rounds; r++)); do
	for k in 0 1; do
		i=$(((k + r) % 2))
		one "${names[$i]}" "${bins[$i]}" "${dirs[$i]}"
	done
done | tee "$work/runs"
for name in "${names[@]}"; do
	for col in $(grep -m1 "^$name " "$work/runs" | awk '{for (c = 3; c <= NF; c += 2) printf "%d ", c}'); do
		grep "^$name " "$work/runs" | awk -v c=$col '{print $c, $(c - 1)}' | sort -g |
			awk -v name="$name" '{v[NR] = $1; f = $2} END {printf "%s %s median %s (min %s, max %s, %d runs)\n", name, f, v[int((NR + 1) / 2)], v[1], v[NR], NR}'
	done
done
