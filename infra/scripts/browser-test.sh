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

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  [ -x /usr/bin/chromium ] || { echo "apt-get did not install /usr/bin/chromium" >&2; exit 1; }
fi
if [ ! -d infra/browser-test/node_modules/playwright-core ]; then
  (cd infra/browser-test && npm ci --no-audit --no-fund --silent)
fi

. "$root/infra/scripts/lib/local-stack.sh"

node --test --test-timeout=120000 infra/browser-test/
