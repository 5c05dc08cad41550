#!/usr/bin/env bash
# A client generated from the local stack's /openapi.json by a standard generator
# (openapi-python-client, from PyPI) must generate without a warning, compile, and book
# one interview through the running stack with its typed models (infra/client-test).
# Run under infra/scripts/with-emulator.sh (part of `make test`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ ! -x .venv-client/bin/openapi-python-client ]; then
  python3 -m venv .venv-client
  .venv-client/bin/pip install -q -r infra/requirements-client.txt
fi
. "$root/infra/scripts/lib/local-stack.sh"
out="$root/target/python-client"
rm -rf "$out"
mkdir -p "$out"
curl -fsS "$BASE_URL/openapi.json" >"$out/openapi.json"
.venv-client/bin/openapi-python-client generate --path "$out/openapi.json" \
  --output-path "$out/client" --config infra/client-test/config.yaml --fail-on-warning
.venv-client/bin/python -m compileall -q "$out/client"
PYTHONPATH="$out/client" .venv-client/bin/python infra/client-test/book_one.py "$BASE_URL"
