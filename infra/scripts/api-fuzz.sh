#!/usr/bin/env bash
# Hostile input: schemathesis generates requests from the local stack's /openapi.json
# (schema-valid and schema-violating, coverage and fuzzing phases) with a valid token,
# and checks that no answer is a 5xx and every answer's status, content type and body
# match the document. Run under infra/scripts/with-emulator.sh (`make fuzz-api`).
# Excluded checks, and why: `positive_data_acceptance` — a schema-valid string can
# still be a business-invalid value (a phone number that does not exist, a cursor this
# list never issued), which we answer with 422; `unsupported_method` — API Gateway HTTP
# APIs answer 404, not 405, for a method a path does not have, and so do we.
# So that answers are checked against their schemas and not only 404s, the run first
# creates a workspace, a study, a participant with a booking and a conversation through
# the API, and fixes the path parameters `ws`, `sid`, `pid`, `bid`, `cid`, `share_token`
# and `manage_token` to them (schemathesis.toml `[parameters]`; `user_id` and `nid`
# stay generated, so the fuzzer cannot remove itself from its workspace; the cancel route
# gets a second booking, so the others keep a live one). A second, shorter run covers the
# `/me/` routes with the booked participant's own token.
# EXAMPLES (per operation, default 25), SEED (fixed in `make test`, so CI runs the same
# cases) and MIN_CASES (fail unless schemathesis generated at least that many).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ ! -x .venv-fuzz/bin/schemathesis ]; then
  python3 -m venv .venv-fuzz
  .venv-fuzz/bin/pip install -q -r infra/requirements-fuzz.txt
fi
. "$root/infra/scripts/lib/local-stack.sh"
# A local token for `sub` and `email`.
dev_token() {
  curl -fsS -X POST "$BASE_URL/_dev/token" -d "{\"sub\":\"$1\",\"email\":\"$2\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
# One schemathesis run with `token`, its summary teed to `summary`; more options after.
fuzz() {
  local token="$1" summary="$2"
  shift 2
  .venv-fuzz/bin/schemathesis --config-file "$config" run "$BASE_URL/openapi.json" \
    -H "Authorization: Bearer $token" \
    --max-examples "${EXAMPLES:-25}" \
    --phases examples,coverage,fuzzing \
    --exclude-checks positive_data_acceptance,unsupported_method \
    --report ndjson --report-dir "$root/target/schemathesis" \
    ${SEED:+--seed "$SEED"} "$@" | tee "$summary"
}
token="$(dev_token fuzzer fuzzer@example.org)"
mkdir -p "$root/target/schemathesis"
summary="$root/target/schemathesis/last-run.txt"
config="$root/target/schemathesis/schemathesis.toml"
BASE_URL="$BASE_URL" TOKEN="$token" python3 - >"$config" <<'PY'
import datetime, json, os, urllib.request

base, token = os.environ["BASE_URL"], os.environ["TOKEN"]

def call(method, path, body=None, auth=True):
    request = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json",
                 **({"authorization": f"Bearer {token}"} if auth else {})})
    with urllib.request.urlopen(request) as reply:
        return json.load(reply)

def book(study, email, phone):
    starts = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)
    return call("POST", f"/public/studies/{study['share_token']}/bookings",
                {"name": "Ann Example", "email": email,
                 "starts_at": starts.strftime("%Y-%m-%dT%H:%M:00Z"),
                 "time_zone": "America/New_York", "phone": phone, "sms_consent": True},
                auth=False)

ws = call("POST", "/workspaces", {"name": "Fuzz lab"})["id"]
call("PUT", f"/workspaces/{ws}/settings/sms", {"enabled": True})
study = call("POST", f"/workspaces/{ws}/studies",
             {"name": "Fuzz study", "kind": "interview", "recruitment": "direct"})
booking = book(study, "ann-fuzz@example.org", "+16175550188")
# The cancel route gets a booking of its own, so the others keep a live one.
to_cancel = book(study, "bo-fuzz@example.org", "+16175550189")
conversation = call("POST", f"/studies/{study['id']}/conversations",
                    {"participant_id": booking["participant_id"], "body": "Hello"})
# A study recruiting from the panel, with a panel participant, for the chat routes.
panel_study = call("POST", f"/workspaces/{ws}/studies",
                   {"name": "Fuzz panel study", "kind": "interview", "recruitment": "respondent"})
panel_pid = call("POST", f"/studies/{panel_study['id']}/participants",
                 {"email": "cy-fuzz@example.org", "name": "Cy Example", "source": "respondent",
                  "panel_participant_id": "panel-fuzz-1"})["id"]
call("POST", f"/studies/{panel_study['id']}/participants/{panel_pid}/approve")
# A teammate the two removal routes may remove (once; then they answer 404).
call("PUT", f"/workspaces/{ws}/members/fuzz-teammate", {"role": "member", "email": "dee-fuzz@example.org"})
call("PUT", f"/studies/{study['id']}/team/fuzz-teammate", {"role": "teammate", "external_panel": False})
print("[parameters]")
for name, value in {"ws": ws, "sid": study["id"], "pid": booking["participant_id"],
                    "bid": booking["booking_id"], "cid": conversation["conversation_id"],
                    "share_token": study["share_token"],
                    "manage_token": booking["manage_token"]}.items():
    print(f'"path.{name}" = "{value}"')
def operation(name, **parameters):
    print()
    print("[[operations]]")
    print(f'include-name = "{name}"')
    print("parameters = { " + ", ".join(f'"path.{k}" = "{v}"' for k, v in parameters.items()) + " }")

operation("POST /studies/{sid}/bookings/{bid}/cancel", bid=to_cancel["booking_id"])
for route in ("GET /studies/{sid}/chat", "GET /studies/{sid}/chat/{pid}/messages",
              "POST /studies/{sid}/chat/{pid}/messages"):
    operation(route, sid=panel_study["id"], pid=panel_pid)
for route in ("DELETE /workspaces/{ws}/members/{user_id}", "DELETE /studies/{sid}/team/{user_id}"):
    operation(route, user_id="fuzz-teammate")
PY
fuzz "$token" "$summary"
if [ -n "${MIN_CASES:-}" ]; then
  generated="$(grep -oE '[0-9]+ generated' "$summary" | tail -n 1 | cut -d' ' -f1)"
  if [ "${generated:-0}" -lt "$MIN_CASES" ]; then
    echo "schemathesis generated ${generated:-0} test cases; at least $MIN_CASES are required" >&2
    exit 1
  fi
  echo "schemathesis: $generated test cases, none failed" >&2
fi
# The participant's side: the /me routes with the booked participant's own token (the
# team member's token above finds no conversation of theirs there). The run above may
# have left the workspace requiring a verified phone for messages; it is turned off
# again so the participant's conversation is open to them.
ws="$(sed -n 's/^"path.ws" = "\(.*\)"$/\1/p' "$config")"
curl -fsS -o /dev/null -X PUT "$BASE_URL/workspaces/$ws/settings/messaging" \
  -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"require_phone_verification": false}'
fuzz "$(dev_token fuzz-participant ann-fuzz@example.org)" \
  "$root/target/schemathesis/last-participant-run.txt" --include-path-regex '^/me/'
