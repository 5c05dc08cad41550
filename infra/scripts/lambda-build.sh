#!/usr/bin/env bash
# Builds every Lambda function under functions/ for arm64 (provided.al2023), with the
# cargo-lambda and zig from the project venv. Output: target/lambda/<function>/bootstrap.
#
# Two profiles (Cargo.toml): `release` is what `sam build` deploys (it always runs
# `cargo lambda build --release`), chosen for size: fat LTO, one codegen unit. Building
# all twenty that way would take most of CI's budget, so CI checks that every function
# builds and links for arm64 with `arm64-check` (unoptimised, no debug info) and builds
# one function, $DEPLOY_CHECK (default sms-inbound), exactly as `sam build` builds it.
# `PROFILE=fast` builds every function optimised without LTO; `PROFILE=release` builds
# every function the deployed way (docs/benchmarks.md, "Binary size").
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
"$root/infra/scripts/bootstrap.sh"
export PATH="$root/.venv/bin:$PATH"
rustup target add aarch64-unknown-linux-gnu >/dev/null
profile="${PROFILE:-arm64-check}"
deploy_check="${DEPLOY_CHECK:-sms-inbound}"
target="${CARGO_TARGET_DIR:-target}"
packages=()
for manifest in functions/*/Cargo.toml; do
  packages+=(-p "$(basename "$(dirname "$manifest")")")
done
size() { printf '%s %s bytes (%s)\n' "$1" "$(stat -c %s "$1")" "$2"; }
if [ "$profile" = release ]; then
  cargo lambda build --release --arm64 --locked "${packages[@]}"
else
  cargo lambda build --profile "$profile" --arm64 --locked "${packages[@]}"
fi
for manifest in functions/*/Cargo.toml; do
  name="$(basename "$(dirname "$manifest")")"
  bin="$target/lambda/$name/bootstrap"
  [ -f "$bin" ] || { echo "missing $bin" >&2; exit 1; }
  size "$bin" "$profile"
done
if [ "$profile" != release ]; then
  # cargo lambda writes every profile's binary to the same path: keep the checked one aside.
  cp "$target/lambda/$deploy_check/bootstrap" "$target/lambda/$deploy_check/bootstrap.$profile"
  cargo lambda build --release --arm64 --locked -p "$deploy_check"
  size "$target/lambda/$deploy_check/bootstrap" "release, as sam build deploys it"
fi
