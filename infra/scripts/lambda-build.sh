#!/usr/bin/env bash
# Builds every Lambda function under functions/ for arm64 (provided.al2023), with the
# cargo-lambda and zig from the project venv. Output: target/lambda/<function>/bootstrap.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
"$root/infra/scripts/bootstrap.sh"
export PATH="$root/.venv/bin:$PATH"
rustup target add aarch64-unknown-linux-gnu >/dev/null
packages=()
for manifest in functions/*/Cargo.toml; do
  packages+=(-p "$(basename "$(dirname "$manifest")")")
done
cargo lambda build --release --arm64 --locked "${packages[@]}"
for manifest in functions/*/Cargo.toml; do
  name="$(basename "$(dirname "$manifest")")"
  bin="${CARGO_TARGET_DIR:-target}/lambda/$name/bootstrap"
  [ -f "$bin" ] || { echo "missing $bin" >&2; exit 1; }
  printf '%s %s bytes\n' "$bin" "$(stat -c %s "$bin")"
done
