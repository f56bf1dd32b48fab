#!/usr/bin/env bash
# Runs every gridmap benchmark in one go on this machine, bounded in time
# (about 15 minutes on 2 shared cores). Results under $OUT (bench/out):
#   gotest.txt, benchstat.txt     go test benchmarks (geo, lookup, tiles), -count 5
#   http-1.json, http-8.json      gmload: gridmap vs the bare handler, alternating rounds
#   batch.jsonl                   1M-point POSTs, NDJSON and CSV
#   postgis.jsonl, postgis.txt    PostGIS peer and oracle (bench/postgis.sh)
#   tilepeer.jsonl                PostGIS ST_AsMVT vs gridmap z14 tiles (bench/tilepeer.sh)
#   import-jiangyin.txt           Jiangyin import with every check, 3 runs (bench/tilepeer.sh)
#   province.jsonl, province.txt  100 Jiangyins: in-memory index, and synth → import → serve → lookup
#   prof-*.txt                    pprof tops
source "$(dirname "$0")/lib.sh"
COPIES=${COPIES:-100}
DUR=${DUR:-5s}
ROUNDS=${ROUNDS:-5}
# single GETs: many short alternating rounds, so that the machine's changing
# state falls on gridmap and the bare handler alike (the ratio is the median
# of the per-round ratios)
HTTP_ROUNDS=${HTTP_ROUNDS:-25}
HTTP_DUR=${HTTP_DUR:-1s}
PORT=${PORT:-18380}
GM_PID=""
trap 'stop_pid "$GM_PID"' EXIT
{ date -Is; uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo; free -m | sed -n 2p; go version; git -C "$ROOT" rev-parse --short HEAD; } >"$OUT/machine.txt"
build

log "go test benchmarks"
(cd "$TREE" && go test -run XXX -bench . -benchmem -count 5 ./geo/ ./lookup/ ./server/ 2>&1 &&
	go test -run XXX -bench . -benchmem -count 3 -benchtime 300ms ./tiles/ 2>&1) >"$OUT/gotest.txt" || true
(cd "$TREE" && go run golang.org/x/perf/cmd/benchstat@latest "$OUT/gotest.txt") >"$OUT/benchstat.txt" 2>&1 || true
(cd "$TREE" && go test -run XXX -bench 'LookupChain$' -benchtime 3s -cpuprofile "$OUT/geo.cpu" -o "$OUT/geo.test" ./geo/ >/dev/null 2>&1 &&
	go tool pprof -top -nodecount 25 "$OUT/geo.test" "$OUT/geo.cpu") >"$OUT/prof-geo.txt" 2>&1 || true

log "gridmap serve on 127.0.0.1:$PORT (fresh data dir, bundled sample)"
rm -rf "$OUT/data"
start_gridmap "$OUT/data" "$PORT"
URL=http://127.0.0.1:$PORT/api/v1/lookup
curl -fsS "$URL?lon=120.2817&lat=31.9065" >"$OUT/sample-answer.json"
for c in 1 8; do
	log "HTTP single lookups, $c conns, gridmap vs bare, $HTTP_ROUNDS rounds of $HTTP_DUR"
	"$BIN/gmload" --url "$URL" --conns $c --duration "$HTTP_DUR" --warmup 500ms --rounds "$HTTP_ROUNDS" --bare --bare-body "$OUT/sample-answer.json" --pid "$GM_PID" --json >"$OUT/http-$c.json" 2>"$OUT/http-$c.log"
	jq -c '{conns, ratio_rps, ratio_p50, ratio_server_cpu, summaries: [.summaries[] | {target, rps: (.rps_median|floor), p50_us: .p50_us_median, p99_us: .p99_us_median, server_cpu_us: .server_cpu_us_median, errors}]}' "$OUT/http-$c.json" >&2
done
log "batch: 1M points, NDJSON and CSV, gridmap vs a bare batch handler, 3 rounds each"
: >"$OUT/batch.jsonl"
for f in ndjson csv; do
	"$BIN/gmload" --url "$URL" --batch 1000000 --format $f --json | jq -c '. + {body:"chunked"}' >>"$OUT/batch.jsonl"
	"$BIN/gmload" --url "$URL" --batch 1000000 --format $f --content-length --bare --rounds 3 --json | jq -c '. + {body:"content-length"}' >>"$OUT/batch.jsonl"
done
jq -c '{format, body, answered, pps: (.points_per_sec|floor), rounds: .rounds_points_per_sec, bare: .bare_points_per_sec, ratio, error}' "$OUT/batch.jsonl" >&2
GM_PID_MAIN=$GM_PID

log "PostGIS peer and oracle against the same server"
GM_URL=$URL OUT=$OUT BIN=$BIN DUR=$DUR ROUNDS=3 bash "$ROOT/bench/postgis.sh" || log "postgis.sh failed"
stop_pid "$GM_PID_MAIN"; GM_PID=""

log "tile peer: PostGIS ST_AsMVT vs gridmap on every non-empty z14 tile; Jiangyin import ×3"
OUT=$OUT ROUNDS=$ROUNDS bash "$ROOT/bench/tilepeer.sh" || log "tilepeer.sh failed"

log "province: $COPIES copies in memory (index build, memory, lookup median), with one Jiangyin in the same run"
"$BIN/province" --copies "$COPIES" --src "$SRC" >"$OUT/province.jsonl"
cat "$OUT/province.jsonl" >&2

log "province: gridmap synth → import → serve → lookup"
: >"$OUT/province.txt"
rm -rf "$OUT/province-src" "$OUT/province-data"
/usr/bin/time -f 'synth: %e s, max RSS %M KB' "$BIN/gridmap" synth --copies "$COPIES" --out "$OUT/province-src" --src "$SRC" >>"$OUT/province.txt" 2>&1
if timeout 900 /usr/bin/time -f 'import: %e s, max RSS %M KB' "$BIN/gridmap" import --data "$OUT/province-data" \
	"$OUT"/province-src/{county,towns,villages,grids,microgrids}.geojson >"$OUT/province-import.log" 2>"$OUT/province-import.err"; then
	tail -1 "$OUT/province-import.err" >>"$OUT/province.txt"
	t0=$(date +%s.%N)
	start_gridmap "$OUT/province-data" $((PORT + 1))
	echo "serve: ready in $(echo "$(date +%s.%N) - $t0" | bc) s, RSS $(rss_mb "$GM_PID") MB" >>"$OUT/province.txt"
	"$BIN/gmload" --url "http://127.0.0.1:$((PORT + 1))/api/v1/lookup" --bbox 119.97,31.69,126.3,34.95 --conns 1 --duration "$DUR" --rounds 3 >>"$OUT/province.txt" 2>/dev/null
	for f in csv ndjson; do
		"$BIN/gmload" --url "http://127.0.0.1:$((PORT + 1))/api/v1/lookup" --bbox 119.97,31.69,126.3,34.95 --batch 1000000 --format $f --content-length --json |
			jq -c '{province_batch: .format, answered, pps: (.points_per_sec|floor), error}' >>"$OUT/province.txt" 2>/dev/null
	done
	echo "serve: RSS after load $(rss_mb "$GM_PID") MB" >>"$OUT/province.txt"
	stop_pid "$GM_PID"; GM_PID=""
else
	echo "import failed or timed out:" >>"$OUT/province.txt"; tail -5 "$OUT/province-import.err" >>"$OUT/province.txt"
fi
rm -rf "$OUT/province-src"
cat "$OUT/province.txt" >&2
log "done; results in $OUT"
