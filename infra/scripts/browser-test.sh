#!/usr/bin/env bash
# The manage-booking page in headless Chromium: installs Debian's chromium and
# playwright-core if missing, starts the local stack on a free port against the
# emulator (run this under infra/scripts/with-emulator.sh, as `make browser-test` does),
# runs infra/browser-test/*.test.mjs, and stops the stack. The screenshot goes to
# target/manage-booking-page.png (SCREENSHOT=docs/manage-booking-page.png to refresh the
# committed one).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
: "${AWS_ENDPOINT_URL:?run under infra/scripts/with-emulator.sh (it starts the AWS emulator)}"

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [ ! -d infra/browser-test/node_modules/playwright-core ]; then
  (cd infra/browser-test && npm ci --no-audit --no-fund --silent)
fi

bin="${LOCAL_STACK_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/local-stack}"
[ -x "$bin" ] || { echo "no local stack binary at $bin (cargo build -p local-stack)" >&2; exit 1; }
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
log="$root/target/browser-test-stack.log"
mkdir -p "$(dirname "$log")"
PORT="$port" RUST_LOG="${RUST_LOG:-warn}" "$bin" >"$log" 2>&1 &
stack_pid=$!
trap 'kill "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if grep -q "local stack ready" "$log" 2>/dev/null; then break; fi
  kill -0 "$stack_pid" 2>/dev/null || { cat "$log" >&2; echo "the local stack exited" >&2; exit 1; }
  sleep 0.1
done
grep -q "local stack ready" "$log" || { cat "$log" >&2; echo "the local stack did not start" >&2; exit 1; }

BASE_URL="http://127.0.0.1:$port" node --test infra/browser-test/
