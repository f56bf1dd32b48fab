#!/usr/bin/env bash
# Where gridmap's HTTP time goes: serves the bundled sample in-process with a
# CPU profile (bench/httpprof) while gmload drives single lookups at 8 conns,
# then a 1M-point CSV batch; prints pprof tops to $OUT/prof-http-*.txt.
source "$(dirname "$0")/lib.sh"
PORT=${PORT:-18390}
[ -x "$BIN/gridmap" ] || build
(cd "$TREE" && go build -o "$BIN/httpprof" ./bench/httpprof)
data=$OUT/prof-data
rm -rf "$data"
# an active version: let gridmap serve import the sample, then stop it
start_gridmap "$data" "$PORT"; stop_pid "$GM_PID"
for mode in single batch; do
	"$BIN/httpprof" --data "$data" --addr "127.0.0.1:$PORT" --seconds 25 --out "$OUT/http-$mode.cpu" >/dev/null 2>&1 &
	P=$!
	sleep 1.5
	if [ $mode = single ]; then
		"$BIN/gmload" --url "http://127.0.0.1:$PORT/api/v1/lookup" --conns 8 --duration 10s --warmup 0 --rounds 1 >/dev/null 2>&1
	else
		for _ in 1 2 3 4 5 6; do "$BIN/gmload" --url "http://127.0.0.1:$PORT/api/v1/lookup" --batch 1000000 --format csv --content-length >/dev/null 2>&1; done
	fi
	sleep 2
	stop_pid $P
	go tool pprof -top -nodecount 35 "$BIN/httpprof" "$OUT/http-$mode.cpu" >"$OUT/prof-http-$mode.txt" 2>&1 || true
	log "$OUT/prof-http-$mode.txt"
done
