#!/usr/bin/env bash
# Deploy conformance of template.yaml: what AWS enforces on a deployed stack and the
# emulator cannot show (docs/deploy.md, docs/reliability.md). Offline, a few seconds:
#   1. cfn-lint: 0 errors, 0 warnings;
#   2. checkov (cloudformation) on the template, and on the template expanded by
#      aws-sam-translator (the IAM roles, rules and schedules SAM generates): 0 failed
#      checks; skips live in each resource's Metadata, with the reason;
#   3. the project's own rules (infra/conformance/rules.py), each with its AWS page, and
#      their tests: each passes on template.yaml and fails on a broken copy.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
"$root/infra/scripts/bootstrap.sh" conformance
bin="$root/.venv-conformance/bin"
template="${TEMPLATE:-template.yaml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

echo "--- cfn-lint $template"
# Warnings fail too: cfn-lint exits non-zero on any error or warning.
"$bin/cfn-lint" --format parseable -- "$template"
echo "cfn-lint: 0 errors, 0 warnings"

echo "--- checkov (cloudformation): $template and its SAM translation"
"$bin/python" infra/conformance/sam_translate.py "$template" "$work/sam-translated.json"
# One run for both files (checkov's start-up is most of its time); it fails on any
# failed check. Offline: no guideline download.
BC_SKIP_MAPPING=TRUE "$bin/checkov" --quiet --compact --skip-download --framework cloudformation \
  -f "$template" -f "$work/sam-translated.json"

echo "--- project rules (infra/conformance)"
"$bin/python" infra/conformance/rules.py "$template"
(cd infra/conformance && "$bin/python" -m unittest discover -s . -q)

echo "conformance: ok ($(( $(date +%s) - start ))s)"
