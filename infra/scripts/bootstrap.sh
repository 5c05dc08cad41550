#!/usr/bin/env bash
# Installs the project's pinned tooling into .venv (moto server, SAM CLI, cargo-lambda, zig).
# Idempotent: reinstalls only when infra/requirements.txt changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.venv"
stamp="$venv/.installed-$(sha256sum "$root/infra/requirements.txt" | cut -c1-16)"
if [ -f "$stamp" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet -r "$root/infra/requirements.txt"
rm -f "$venv"/.installed-*
touch "$stamp"
