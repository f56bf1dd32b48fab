#!/usr/bin/env bash
# Measures what the middleware costs: the bare handler (routing, panic
# recovery, handler) against the full chain as gridmap serve runs it in
# production (keys required and a reader key sent as a bearer token,
# metrics, CORS, rates, the request log at info level in JSON through
# package logs, written to the null device), both served by one server of
# the bundled sample, alternating which goes first round by round so that
# the machine's changing state falls on both alike:
#
#   bash bench/observe.sh          # ROUNDS=5, DUR=2s
#
# Each round runs, for bare then full (the order flips every round):
#   - BenchmarkLookupLoopback: single GETs over loopback HTTP from 1 and 8
#     keep-alive connections (req/s);
#   - BenchmarkLookupChain: the handler called in process (ns/op, allocs/op);
#   - BenchmarkBatchLoopback: 1 M-point CSV and NDJSON batches over
#     loopback HTTP (points/s).
# Results: $OUT/observe.jsonl (one line per measurement) and the medians with
# the full/bare ratio of the medians printed at the end (and in
# $OUT/observe.txt): for req/s above 0.90 is the issue's bar; for ns/op
# the in-process multiple of the bare handler.
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5}
DUR=${DUR:-2s}

log "snapshot of HEAD ($(git -C "$ROOT" rev-parse --short HEAD)) in $TREE; building the server test binary"
rm -rf "$TREE" && mkdir -p "$TREE" && git -C "$ROOT" archive HEAD | tar -x -C "$TREE"
(cd "$TREE" && go test -c -o "$BIN/server-observe.test" ./server)

# run CHAIN ROUND: one run of both benchmarks for chain CHAIN (bare, full).
run() {
	local chain=$1 round=$2
	(cd "$TREE/server" && "$BIN/server-observe.test" -test.run XXX -test.benchtime "$DUR" -test.count 1 \
		-test.bench "^Benchmark(LookupLoopback|LookupChain|BatchLoopback)\$/^$chain\$" 2>&1) | tee -a "$OUT/observe-raw.txt" |
		awk -v c="$chain" -v r="$round" '/^Benchmark/ && /ns\/op/ {
			n=$1; sub(/-[0-9]+$/, "", n); sub("/" c, "", n)
			for (i=2; i<=NF; i++) {
				if ($(i+1)=="points/s") printf "{\"chain\":\"%s\",\"round\":%d,\"name\":\"%s points/s\",\"value\":%s}\n", c, r, n, $i
				if ($(i+1)=="req/s") printf "{\"chain\":\"%s\",\"round\":%d,\"name\":\"%s req/s\",\"value\":%s}\n", c, r, n, $i
				if ($(i+1)=="ns/op" && n !~ /Loopback/) printf "{\"chain\":\"%s\",\"round\":%d,\"name\":\"%s ns/op\",\"value\":%s}\n", c, r, n, $i
				if ($(i+1)=="allocs/op") printf "{\"chain\":\"%s\",\"round\":%d,\"name\":\"%s allocs/op\",\"value\":%s}\n", c, r, n, $i
			} }' >>"$OUT/observe.jsonl"
}

: >"$OUT/observe.jsonl"
: >"$OUT/observe-raw.txt" # the benchmarks' own output: a failure shows there
for r in $(seq 1 "$ROUNDS"); do
	order="bare full"
	[ $((r % 2)) = 0 ] && order="full bare"
	for chain in $order; do
		log "round $r/$ROUNDS: $chain"
		run "$chain" "$r"
	done
done

jq -rs '
	def median: sort | if length == 0 then null elif length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end;
	group_by(.name) | .[] | . as $g |
	($g | map(select(.chain=="bare") | .value) | median) as $b |
	($g | map(select(.chain=="full") | .value) | median) as $f |
	"\($g[0].name)\tbare \($b)\tfull \($f)\tfull/bare \(if $b and $b != 0 then ($f / $b * 1000 | round / 1000) else null end)\trounds \($g | map(select(.chain=="full")) | length)"
' "$OUT/observe.jsonl" | column -t -s $'\t' | tee "$OUT/observe.txt"
