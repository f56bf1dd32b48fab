#!/usr/bin/env bash
# Runs every test of gridmap: format and vet checks, then go test over all
# packages, including the API tests on a real server, the tile decoding in
# node, the browser test in Debian's chromium and the PostgreSQL tests on a
# private cluster (scripts/pg.sh). Installs what is missing
# first (scripts/test-deps.sh). Screenshots go to ./artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-deps.sh

# a private PostgreSQL + PostGIS cluster on a loopback port for the tests of
# the PostgreSQL stores and of several replicas (internal/pgtest); stopped
# and removed when the tests end
if [ -z "${GRIDMAP_TEST_PG:-}" ]; then
  eval "$(bash scripts/pg.sh start)"
  trap 'bash scripts/pg.sh stop "$GRIDMAP_TEST_PGDIR"; rm -rf "$GRIDMAP_TEST_PGDIR"' EXIT
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './tools/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

export GRIDMAP_ARTIFACTS="${GRIDMAP_ARTIFACTS:-$PWD/artifacts}"
mkdir -p "$GRIDMAP_ARTIFACTS"
go test -race -count=1 -timeout 25m "$@" ./...
# the allocation tests skip themselves under -race (sync.Pool drops items at
# random there): run them once more without it, and fail if one is skipped
go test -count=1 -v -run 'Allocs$' ./server/ ./lookup/... | tee "$GRIDMAP_ARTIFACTS/allocs.txt"
if grep -q -- '--- SKIP' "$GRIDMAP_ARTIFACTS/allocs.txt" ||
  ! grep -q -- '--- PASS: TestLookupHandlerAllocs' "$GRIDMAP_ARTIFACTS/allocs.txt"; then
  echo "an allocation test was skipped or did not run"; exit 1
fi
# once more as a fresh clone without ../shared runs them: the Jiangyin tests
# read the bundled sample, and what only the shared data holds is skipped
# (outside CI, Need skips instead of failing)
env -u CI GRIDMAP_SHARED=/nonexistent go test -count=1 ./geo/... ./importer/ ./synth/ ./tiles/ ./lookup/... ./export/ ./cmd/gridmap/
