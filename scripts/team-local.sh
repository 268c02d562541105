#!/usr/bin/env bash
# Starts a team deployment on this machine: PostgreSQL and Redis in a temporary folder, one web node and two
# workers, all on loopback ports. Prints the dashboard URL and stops everything on Ctrl+C.
# Needs the Debian packages postgresql and redis-server, and a build: dotnet build RandomFit.Web
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [[ -z "$pg_bin" || ! -x "$pg_bin/pg_ctl" ]]; then
  echo "PostgreSQL server binaries not found; install them with: apt-get install postgresql" >&2
  exit 1
fi
if ! command -v redis-server >/dev/null; then
  echo "redis-server not found; install it with: apt-get install redis-server" >&2
  exit 1
fi

web_dll="RandomFit.Web/bin/Debug/net10.0/RandomFit.Web.dll"
if [[ ! -f "$web_dll" ]]; then
  echo "$web_dll is missing; run: dotnet build RandomFit.Web" >&2
  exit 1
fi

pg_port="${PG_PORT:-55432}"
redis_port="${REDIS_PORT:-56379}"
web_port="${WEB_PORT:-5280}"
work="$(mktemp -d -t randomfit-team-XXXXXX)"
chmod 755 "$work"
pids=()
declare -A names

# PostgreSQL refuses to run as root, so as root its tools run as the postgres user.
as_postgres() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_all() {
  trap - INT TERM EXIT
  echo "Stopping..."
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  as_postgres "$pg_bin/pg_ctl" stop -m fast -D "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop_all INT TERM EXIT

mkdir "$work/pg" "$work/redis" "$work/logs"
if [[ "$(id -u)" -eq 0 ]]; then
  chown postgres:postgres "$work/pg"
fi
as_postgres "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 >/dev/null
as_postgres "$pg_bin/pg_ctl" start -w -D "$work/pg" -l "$work/pg/server.log" \
  -o "-p $pg_port -h 127.0.0.1 -k $work/pg" >/dev/null
echo "PostgreSQL on 127.0.0.1:$pg_port"

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis" \
  >"$work/logs/redis.log" 2>&1 &
pids+=($!)
echo "Redis on 127.0.0.1:$redis_port"

export RandomFit__Database__Provider=postgres
export ConnectionStrings__RandomFit="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
export ConnectionStrings__Redis="127.0.0.1:$redis_port"
web_folder="$(dirname "$web_dll")"

start_node() {
  local role="$1" name="$2" port="$3"
  # Another server on the port would answer the health check in this node's place.
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "Port $port is already in use; set WEB_PORT to a free range of three ports." >&2
    exit 1
  fi
  (cd "$web_folder" && RandomFit__Role="$role" RandomFit__Worker__Name="$name" \
    exec dotnet RandomFit.Web.dll --urls "http://127.0.0.1:$port") >"$work/logs/$name.log" 2>&1 &
  pids+=($!)
  names[$!]="$name"
}

wait_healthy() {
  local port="$1" name="$2"
  for _ in $(seq 1 300); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "$name did not become healthy; its log:" >&2
  tail -40 "$work/logs/$name.log" >&2
  exit 1
}

# The web node applies the migrations before the workers start, so no two nodes migrate at once.
start_node web web "$web_port"
wait_healthy "$web_port" web
start_node worker worker-1 $((web_port + 1))
start_node worker worker-2 $((web_port + 2))
wait_healthy $((web_port + 1)) worker-1
wait_healthy $((web_port + 2)) worker-2

echo "RandomFit: http://127.0.0.1:$web_port (workers: http://127.0.0.1:$web_port/workers)"
echo "Logs in $work/logs. Press Ctrl+C to stop everything."
stopped=""
wait -n -p stopped "${pids[@]}" || true
name="${names[$stopped]:-redis}"
echo "$name stopped; the end of its log:" >&2
tail -40 "$work/logs/$name.log" >&2
