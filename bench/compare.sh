#!/usr/bin/env bash
# Compares two commits side by side on this machine, alternating them round by
# round so that the machine's changing state falls on both alike:
#
#   bash bench/compare.sh [BASE [NEW]]     # default BASE=HEAD~1, NEW=HEAD
#
# Each round runs, for BASE then NEW (the order flips every round):
#   - the in-process benchmarks (BENCHES: name=pattern pairs, found in
#     whichever package of each tree defines them), one -count each;
#   - single GETs over HTTP against two fresh `gridmap serve` (bundled sample),
#     1 and 8 connections (gmload of NEW for both);
#   - one 1,000,000-point CSV and NDJSON batch POST each;
#   - an import of Jiangyin's five layers with every check.
# Results: $OUT/compare.jsonl (one line per measurement) and the medians and
# NEW/BASE ratios printed at the end (and in $OUT/compare.txt). Ratios are of
# times (ns/op, seconds): below 1 means NEW is faster; for rates (req/s,
# points/s) the ratio is NEW/BASE too, so above 1 means NEW is faster.
# Only loopback is used; bounded by ROUNDS.
source "$(dirname "$0")/lib.sh"
BASE=${1:-HEAD~1}
NEW=${2:-HEAD}
ROUNDS=${ROUNDS:-5}
HTTP_DUR=${HTTP_DUR:-2s}
PORT=${PORT:-18480}
BENCHES=${BENCHES:-"LookupChain LocateFinest LookupChainMany AppendLookup Batch TileZ14Uncached"}
PIDS=()
trap 'for p in "${PIDS[@]}"; do stop_pid "$p"; done' EXIT

# tree NAME COMMIT: a snapshot of COMMIT beside the repo (so that tests find
# ../shared/data) with its gridmap binary and test binaries.
tree() {
	local name=$1 commit=$2 dir
	dir=$(dirname "$ROOT")/gmcompare-$name
	log "$name = $(git -C "$ROOT" rev-parse --short "$commit") in $dir"
	rm -rf "$dir" && mkdir -p "$dir" && git -C "$ROOT" archive "$commit" | tar -x -C "$dir"
	(cd "$dir" && go build -o "$BIN/gridmap-$name" ./cmd/gridmap)
	for b in $BENCHES; do
		local pkg
		pkg=$(cd "$dir" && grep -rl --include='*_test.go' "^func Benchmark$b(" . | head -1 | xargs -r dirname)
		[ -n "$pkg" ] || { log "$name: no Benchmark$b"; continue; }
		[ -x "$BIN/$name-$(basename "$pkg").test" ] ||
			(cd "$dir" && go test -c -o "$BIN/$name-$(basename "$pkg").test" "$pkg")
		echo "$b $dir/$pkg $BIN/$name-$(basename "$pkg").test" >>"$OUT/compare-$name.benches"
	done
}

# bench NAME ROUND: one run of every in-process benchmark of tree NAME.
bench() {
	local name=$1 round=$2 b pkgdir bin
	while read -r b pkgdir bin; do
		(cd "$pkgdir" && "$bin" -test.run XXX -test.bench "^Benchmark$b\$" -test.benchmem -test.count 1 2>/dev/null) |
			awk -v t="$name" -v r="$round" '/^Benchmark/ && /ns\/op/ {
				n=$1; sub(/-[0-9]+$/, "", n); ns=""; for (i=2;i<=NF;i++) if ($(i+1)=="ns/op") ns=$i
				printf "{\"kind\":\"bench\",\"tree\":\"%s\",\"round\":%d,\"name\":\"%s\",\"value\":%s}\n", t, r, n, ns }' >>"$OUT/compare.jsonl"
	done <"$OUT/compare-$name.benches"
}

# http NAME ROUND PORT: single GETs and batches against tree NAME's server.
http() {
	local name=$1 round=$2 port=$3 c f url=http://127.0.0.1:$3/api/v1/lookup
	for c in 1 8; do
		"$BIN/gmload" --url "$url" --conns $c --duration "$HTTP_DUR" --warmup 500ms --json 2>/dev/null |
			jq -c --arg t "$name" --argjson r "$round" --arg n "http-$c-conns" \
				'{kind:"http", tree:$t, round:$r, name:$n, value:(.summaries[0].rps_median), p50_us:.summaries[0].p50_us_median, errors:.summaries[0].errors}' >>"$OUT/compare.jsonl"
	done
	for f in csv ndjson; do
		"$BIN/gmload" --url "$url" --batch 1000000 --format $f --content-length --json 2>/dev/null |
			jq -c --arg t "$name" --argjson r "$round" --arg n "batch-$f" \
				'{kind:"batch", tree:$t, round:$r, name:$n, value:.points_per_sec, answered, error}' >>"$OUT/compare.jsonl"
	done
}

# import_time NAME ROUND: seconds to import Jiangyin's five layers.
import_time() {
	local name=$1 round=$2 d=$OUT/compare-import-$1 t0 t1
	rm -rf "$d"
	t0=$(date +%s.%N)
	"$BIN/gridmap-$name" import --data "$d" "$SRC"/{county,towns,villages,grids,microgrids}.geojson >/dev/null 2>&1 || { log "$name import failed"; return; }
	t1=$(date +%s.%N)
	echo "{\"kind\":\"import\",\"tree\":\"$name\",\"round\":$round,\"name\":\"import-jiangyin-s\",\"value\":$(echo "$t1 - $t0" | bc)}" >>"$OUT/compare.jsonl"
	rm -rf "$d"
}

rm -f "$OUT"/compare-*.benches "$BIN"/base-*.test "$BIN"/new-*.test
: >"$OUT/compare.jsonl"
tree base "$BASE"
tree new "$NEW"
(cd "$(dirname "$ROOT")/gmcompare-new" && go build -o "$BIN/gmload" ./cmd/gmload)

declare -A PORTS=([base]=$PORT [new]=$((PORT + 1)))
for name in base new; do
	rm -rf "$OUT/compare-data-$name"
	"$BIN/gridmap-$name" serve --data "$OUT/compare-data-$name" --addr "127.0.0.1:${PORTS[$name]}" >"$OUT/compare-serve-$name.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:${PORTS[$name]}/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
done

for r in $(seq 1 "$ROUNDS"); do
	order="base new"
	[ $((r % 2)) = 0 ] && order="new base"
	for name in $order; do
		log "round $r/$ROUNDS: $name"
		bench "$name" "$r"
		http "$name" "$r" "${PORTS[$name]}"
		import_time "$name" "$r"
	done
done

# medians per (name, tree) and the NEW/BASE ratio of the medians, with the
# number of rounds in which NEW was better
jq -rs '
	def median: sort | if length == 0 then null elif length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end;
	group_by(.name) | .[] | . as $g |
	($g | map(select(.tree=="base") | .value) | median) as $b |
	($g | map(select(.tree=="new") | .value) | median) as $n |
	($g[0].kind) as $k |
	([range(1; 100)] | map(. as $r | [($g[] | select(.round==$r and .tree=="base") | .value), ($g[] | select(.round==$r and .tree=="new") | .value)] | select(length==2)) ) as $pairs |
	($pairs | map(if ($k=="http" or $k=="batch") then (.[1] > .[0]) else (.[1] < .[0]) end) | map(select(.)) | length) as $better |
	"\($g[0].name)\t\($k)\tbase \($b)\tnew \($n)\tratio \(if $b and $b != 0 then ($n / $b * 1000 | round / 1000) else null end)\tnew better in \($better) of \($pairs|length)"
' "$OUT/compare.jsonl" | column -t -s $'\t' | tee "$OUT/compare.txt"
