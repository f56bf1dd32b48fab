# Shared helpers of the bench scripts; source it. Only loopback is used.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=${SRC:-$(cd "$ROOT/.." && pwd)/shared/data/jiangyin}
OUT=${OUT:-$ROOT/bench/out}
BIN=${BIN:-$OUT/bin}
mkdir -p "$OUT" "$BIN"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The binaries and go tests are built from a snapshot of the committed tree
# (git archive HEAD), so that uncommitted work of others in the working tree
# cannot break or skew a run. It lies beside the repo, so that tests find
# ../shared/data as they do in the repo.
TREE=${TREE:-$(dirname "$ROOT")/gmbench-src}

build() {
	log "snapshot of HEAD ($(git -C "$ROOT" rev-parse --short HEAD)) in $TREE; building gridmap, gmload, pgpeer, province into $BIN"
	rm -rf "$TREE" && mkdir -p "$TREE" && git -C "$ROOT" archive HEAD | tar -x -C "$TREE"
	(cd "$TREE" && go build -o "$BIN/gridmap" ./cmd/gridmap && go build -o "$BIN/gmload" ./cmd/gmload &&
		go build -o "$BIN/pgpeer" ./bench/pgpeer && go build -o "$BIN/province" ./bench/province)
}

# start_gridmap DATA PORT: serves DATA on 127.0.0.1:PORT in the background,
# waits for /healthz; sets GM_PID. Import first or let serve import the sample.
start_gridmap() {
	local data=$1 port=$2
	"$BIN/gridmap" serve --data "$data" --addr "127.0.0.1:$port" >"$OUT/serve-$port.log" 2>&1 &
	GM_PID=$!
	for _ in $(seq 1 600); do
		if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
		kill -0 "$GM_PID" 2>/dev/null || { cat "$OUT/serve-$port.log" >&2; return 1; }
		sleep 0.5
	done
	log "gridmap on $port did not come up"; return 1
}

stop_pid() { [ -n "${1:-}" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
