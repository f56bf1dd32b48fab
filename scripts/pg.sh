#!/usr/bin/env bash
# A private PostgreSQL + PostGIS cluster on a loopback port, for the tests
# and benchmarks that need a database server.
#
#   eval "$(bash scripts/pg.sh start [DIR [PORT]])"   # prints export lines
#   bash scripts/pg.sh stop|restart|status DIR
#
# start installs postgresql-15-postgis-3 from Debian when no PostgreSQL 15+
# with PostGIS 3 is there (apt-get update first), runs initdb in DIR (default
# a new temporary directory) and starts the server on 127.0.0.1:PORT
# (default a free port), its socket in DIR, trust authentication, user
# postgres. It prints GRIDMAP_TEST_PG (the DSN of database postgres: tests
# create their own databases in it), GRIDMAP_TEST_PGDIR and
# GRIDMAP_TEST_PGBIN. As root the server runs as user postgres, which
# PostgreSQL requires. Nothing outside DIR is written.
set -euo pipefail

pgbin() {
	local b
	b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
	if [ -z "$b" ] || [ "$(basename "$(dirname "$b")")" -lt 15 ] ||
		! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
		echo "pg.sh: installing postgresql-15-postgis-3 from Debian" >&2
		local sudo=""
		[ "$(id -u)" = 0 ] || sudo=sudo
		$sudo apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-postgis-3 >&2
		b=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	fi
	echo "$b"
}

# as runs a command as the cluster's owner: postgres when we are root.
as() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

freeport() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	echo "pg.sh: no free port found" >&2
	exit 1
}

cmd=${1:-}
case "$cmd" in
start)
	BIN=$(pgbin)
	DIR=${2:-$(mktemp -d "${TMPDIR:-/tmp}/gridmap-pg.XXXXXX")}
	PORT=${3:-$(freeport)}
	mkdir -p "$DIR"
	[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
	if [ ! -f "$DIR/data/PG_VERSION" ]; then
		as "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
		# fsync off: the tests kill gridmap, not the database server, and
		# a fast stop or restart still writes everything out
		cat >>"$DIR/data/postgresql.conf" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
full_page_writes = off
jit = off
max_connections = 300
shared_buffers = 256MB
EOF
	fi
	if ! as "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
		as "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 start >/dev/null
	fi
	PORT=$(sed -n 's/^port = //p' "$DIR/data/postgresql.conf" | tail -1)
	echo "export GRIDMAP_TEST_PG='postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable'"
	echo "export GRIDMAP_TEST_PGDIR='$DIR'"
	echo "export GRIDMAP_TEST_PGBIN='$BIN'"
	;;
stop | restart | status)
	DIR=${2:?usage: pg.sh $cmd DIR}
	BIN=${GRIDMAP_TEST_PGBIN:-$(pgbin)}
	if [ "$cmd" = status ]; then
		as "$BIN/pg_ctl" -D "$DIR/data" status
	elif [ "$cmd" = restart ]; then
		as "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -m fast -w -t 60 restart >/dev/null
	else
		as "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	fi
	;;
*)
	echo "usage: pg.sh start [DIR [PORT]] | stop|restart|status DIR" >&2
	exit 2
	;;
esac
