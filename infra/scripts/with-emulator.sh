#!/usr/bin/env bash
# Runs a command with the local AWS emulator (moto, from the project venv) started on a
# free loopback port, and stops the emulator when the command ends (or on Ctrl-C).
# The command sees AWS_ENDPOINT_URL and dummy credentials.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
"$root/infra/scripts/bootstrap.sh"
py="$root/.venv/bin/python"
port="${EMULATOR_PORT:-$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
log="${EMULATOR_LOG:-$root/target/emulator.log}"
mkdir -p "$(dirname "$log")"
"$py" "$root/infra/emulator/server.py" 127.0.0.1 "$port" >"$log" 2>&1 &
emulator_pid=$!
cleanup() { kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/_outbox" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$emulator_pid" 2>/dev/null; then echo "emulator failed to start; see $log" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/_outbox" >/dev/null || { echo "emulator not answering on port $port; see $log" >&2; exit 1; }
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
echo "emulator: moto on $AWS_ENDPOINT_URL (log: $log)" >&2
"$@"
