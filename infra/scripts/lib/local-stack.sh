# Sourced by scripts that need a running local stack: starts the built binary on a free
# port against $AWS_ENDPOINT_URL (run under infra/scripts/with-emulator.sh), waits for it,
# exports BASE_URL, and stops it when the calling script exits.
: "${AWS_ENDPOINT_URL:?run under infra/scripts/with-emulator.sh (it starts the AWS emulator)}"
stack_bin="${LOCAL_STACK_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/local-stack}"
[ -x "$stack_bin" ] || { echo "no local stack binary at $stack_bin (cargo build -p local-stack)" >&2; exit 1; }
stack_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
stack_log="$root/target/$(basename "$0" .sh)-stack.log"
mkdir -p "$(dirname "$stack_log")"
# Emptied here, not only by the redirection below: that one happens in the forked child,
# and until it does the loop could read the previous run's "ready" line.
: >"$stack_log"
PORT="$stack_port" RUST_LOG="${RUST_LOG:-warn}" "$stack_bin" >"$stack_log" 2>&1 &
stack_pid=$!
trap 'kill "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do  # up to 30 s: a busy 2-core machine starts it slowly
  if grep -q "local stack ready" "$stack_log" 2>/dev/null; then break; fi
  kill -0 "$stack_pid" 2>/dev/null || { cat "$stack_log" >&2; echo "the local stack exited" >&2; exit 1; }
  sleep 0.1
done
grep -q "local stack ready" "$stack_log" || { cat "$stack_log" >&2; echo "the local stack did not start" >&2; exit 1; }
export BASE_URL="http://127.0.0.1:$stack_port"
for _ in $(seq 1 100); do  # and it answers HTTP (any status)
  if curl -s -o /dev/null --max-time 2 "$BASE_URL/openapi.json"; then break; fi
  sleep 0.1
done
curl -s -o /dev/null --max-time 5 "$BASE_URL/openapi.json" || { cat "$stack_log" >&2; echo "the local stack does not answer on $BASE_URL" >&2; exit 1; }
