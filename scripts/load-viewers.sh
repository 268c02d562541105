#!/usr/bin/env bash
# Starts RandomFit on 127.0.0.1 with a throwaway database and trains a scaled copy of the cnn-vs-mlp preset (seed 0,
# 4 epochs) twice: once without viewers and
# once with 100 hub clients watching. It prints the training slowdown and page latency. Extra arguments go to the
# load client (see RandomFit.LoadViewers/Program.cs), for example: scripts/load-viewers.sh --seeds 2 --viewers 50
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
port="${PORT:-5287}"
work="$(mktemp -d)"
app_pid=""

cleanup() {
    if [[ -n "$app_pid" ]] && kill -0 "$app_pid" 2>/dev/null; then
        kill "$app_pid"
        wait "$app_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Build output is shown only when a build fails.
for project in RandomFit.Web RandomFit.LoadViewers; do
    if ! dotnet build "$root/$project" -c Release -nologo >"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        exit 1
    fi
done

ConnectionStrings__RandomFit="Data Source=$work/randomfit.db" \
Logging__LogLevel__Default=Warning \
ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet "$root/RandomFit.Web/bin/Release/net10.0/RandomFit.Web.dll" --contentRoot "$root/RandomFit.Web" \
    >"$work/app.log" 2>&1 &
app_pid=$!

# Wait up to 60 s for the health check.
for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then
        break
    fi
    if ! kill -0 "$app_pid" 2>/dev/null; then
        echo "The app exited during start-up:" >&2
        cat "$work/app.log" >&2
        exit 1
    fi
    sleep 0.5
done

timeout 300 dotnet "$root/RandomFit.LoadViewers/bin/Release/net10.0/RandomFit.LoadViewers.dll" \
    --url "http://127.0.0.1:$port" "$@"
