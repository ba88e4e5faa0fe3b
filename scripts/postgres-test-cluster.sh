#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: `start` creates one in a new temporary folder
# and prints, on stdout, shell assignments for the caller to eval:
#   HARK_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres
#   HARK_TEST_PG_DIR=/tmp/hark-pg-XXXXXX
# `stop DIR` stops that cluster and removes its folder. `down DIR` stops it (fast shutdown:
# sessions are cut, as in a server restart) and keeps it; `up DIR` starts it again on the same
# port: the restart tests take the database away from running nodes and give it back.
#
#   eval "$(scripts/postgres-test-cluster.sh start)"
#   ...
#   scripts/postgres-test-cluster.sh stop "$HARK_TEST_PG_DIR"
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user
# (Debian's package creates it); as anyone else it belongs to the caller. It listens on
# 127.0.0.1 on a free port and on a unix socket inside its folder, trusts every local and
# loopback connection, and trades durability for speed (fsync off): test data only.
set -euo pipefail

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
  elif command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
  else
    # Debian installs each major version side by side; take the newest.
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$dir" && -x "$dir/initdb" ]] || {
      echo "postgres-test-cluster: no PostgreSQL binaries found (install Debian's postgresql, or set PG_BIN)" >&2
      return 1
    }
    echo "$dir"
  fi
}

# Runs a command as the cluster's owner.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    # From /: the postgres user may not be allowed into the folder the tests run from (a 0700 clone).
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local bin dir port locale
  bin=$(find_bin)
  # Under /tmp, not $TMPDIR: the postgres user must be able to reach the folder, and a
  # TMPDIR inside a 0700 home would shut it out.
  dir=$(mktemp -d /tmp/hark-pg-XXXXXX)
  chmod 0755 "$dir"
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi
  # C.UTF-8 classifies every Unicode letter (plain C knows ASCII only) and sorts bytewise.
  locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale="$locale" \
    --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    return 1
  }
  # A free port can be taken between the probe and the server's bind: try a few.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    echo "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off \
       -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >"$dir/options"
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start -o "$(cat "$dir/options")" \
      >/dev/null; then
      echo "HARK_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
      echo "HARK_TEST_PG_DIR=$dir"
      return 0
    fi
  done
  cat "$dir/postgres.log" >&2
  rm -rf "$dir"
  return 1
}

stop() {
  local dir="${1:?usage: postgres-test-cluster.sh stop DIR}" bin
  bin=$(find_bin)
  if [[ -d "$dir/data" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  # Only ever a folder this script made.
  case "$dir" in
  /tmp/hark-pg-*) rm -rf "$dir" ;;
  *) echo "postgres-test-cluster: not removing $dir (not made by this script)" >&2 ;;
  esac
}

down() {
  local dir="${1:?usage: postgres-test-cluster.sh down DIR}"
  as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
}

up() {
  local dir="${1:?usage: postgres-test-cluster.sh up DIR}"
  as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start -o "$(cat "$dir/options")" \
    >/dev/null
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
down) down "${2:-}" ;;
up) up "${2:-}" ;;
*)
  echo "usage: $0 start | stop DIR | down DIR | up DIR" >&2
  exit 2
  ;;
esac
