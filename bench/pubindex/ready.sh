#!/usr/bin/env bash
# ready.sh: seconds from the start of `gridmap serve` to its first 200 on
# /readyz, and its resident memory then. The server is stopped afterwards;
# its log (which says whether the point index was read from the version's
# published file or built, and why) is kept in OUT.log.
#
#   bash bench/pubindex/ready.sh GRIDMAP DATA [PORT] [OUT]
set -euo pipefail
bin=$1 data=$2 port=${3:-18919} out=${4:-/dev/null}
if curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; then
	echo "port $port already answers" >&2
	exit 1
fi
start=$(date +%s.%N)
"$bin" serve --data "$data" --addr "127.0.0.1:$port" >"$out.log" 2>&1 &
pid=$!
# the server is waited for, so that a next run does not find it still
# answering on the port
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
	kill -0 $pid 2>/dev/null || { echo "server exited; see $out.log" >&2; exit 1; }
	sleep 0.01
done
end=$(date +%s.%N)
rss=$(awk '/^VmRSS:/ {print $2}' /proc/$pid/status)
echo "ready in $(echo "$end - $start" | bc) s, RSS $((rss / 1024)) MB"
