"""A fault-injecting HTTP proxy between the AWS SDK and the emulator (`make soak`).

Usage: fault_proxy.py HOST PORT UPSTREAM_URL [--exit-with-parent]
(PORT 0: a free port; the first line printed names it. --exit-with-parent: exit when
stdin closes, i.e. when the process that started it with a pipe ends.)

It forwards every request to UPSTREAM_URL (the moto server of infra/emulator/server.py)
and, once enabled, injects a fault into a set fraction of the AWS API calls, chosen by a
seeded RNG:

  throttle      400 ThrottlingException / ProvisionedThroughputExceededException
                (DynamoDB), 400 Throttling (SNS); not forwarded
  http500       500 InternalServerError; not forwarded
  http503       503 ServiceUnavailable; not forwarded
  drop_before   the connection is closed without an answer; not forwarded
  drop_after    forwarded and applied by the emulator, then the connection is closed
                without the answer: the caller never learns its write happened
  delay         held for `delay_seconds` (longer than the SDK's attempt timeout), then
                forwarded and applied, the answer going to a caller that gave up
  apply_late    answered at once with a 500 (what the caller sees when its attempt
                timed out), then forwarded and applied `delay_seconds` later: a write
                that lands after its caller heard an error and moved on. Only when
                asked for by `kinds` or `sequence` (not in the default mix)

SNS Publish and SES SendEmail get every kind too: the application retries a text or an
email only where the service surely did not take it (a throttling answer, a connection
that never opened), so `drop_after` ("send applied, answer lost") and `delay` ("send slow
past the timeout", then applied) must end in one text or email, recorded as
unconfirmed, never two.

Control (never faulted; paths starting with `/_` are passed through unfaulted too, so
`/_outbox` and `/_stats` read the emulator directly):
  POST /_faults {"rate": 0.05, "seed": 7, "delay_seconds": 3, "kinds": [...],
                "operations": ["DynamoDB.PutItem", ...], "limit": 1,
                "sequence": ["drop_after", "http500"]}
      sets the rate (0 disables) and resets the counters and the RNG; `kinds`,
      `operations`, `limit` (faults in all) and `sequence` (exactly these faults, in
      this order, to the matching calls) narrow it, for targeted tests
  GET /_faults
      {"rate", "seed", "requests", "faulted", "injected": {kind: n},
       "by_operation": {"DynamoDB.TransactWriteItems": {"requests": n, kind: n}}}
"""
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ALL_KINDS = ["throttle", "http500", "http503", "drop_before", "drop_after", "delay"]
# Chosen only when named (targeted tests); the default mix stays ALL_KINDS.
TARGETED_KINDS = ["apply_late"]
# Sends that the SDK's retry would repeat, never to be applied-and-unanswered. None left:
# SNS Publish and SES SendEmail are retried only where they surely did not arrive,
# which is what their faults test.
UNSAFE_OPERATIONS = set()

_lock = threading.Lock()
_state = {
    "rate": 0.0,
    "seed": 0,
    "delay_seconds": 3.0,
    "kinds": list(ALL_KINDS),
    "operations": None,
    "limit": None,
    "sequence": None,
    "rng": random.Random(0),
    "requests": 0,
    "faulted": 0,
    "injected": {},
    "by_operation": {},
}
_upstream = None  # (host, port)
_local = threading.local()


def _operation(headers, path, body):
    """The service and operation of an AWS call, e.g. DynamoDB.PutItem, SNS.Publish."""
    target = headers.get("X-Amz-Target", "")
    if target:
        service, _, op = target.partition(".")
        service = {"DynamoDB_20120810": "DynamoDB", "AmazonSQS": "SQS",
                   "AWSEvents": "EventBridge", "secretsmanager": "SecretsManager"}.get(service, service)
        return f"{service}.{op}"
    auth = headers.get("Authorization", "")
    service = "unknown"
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            service = {"sns": "SNS", "ses": "SESv2" if path.startswith("/v2/") else "SES",
                       "sqs": "SQS", "events": "EventBridge"}.get(scope[3], scope[3])
    op = "unknown"
    if body:
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            op = form.get("Action", ["unknown"])[0]
        except Exception:
            pass
    if service == "SESv2" and op == "unknown":
        op = "SendEmail" if path.startswith("/v2/email/outbound-emails") else "other"
    return f"{service}.{op}"


def _decide(operation):
    """The fault for this call, or None; counts the call."""
    with _lock:
        st = _state
        st["requests"] += 1
        per_op = st["by_operation"].setdefault(operation, {"requests": 0})
        per_op["requests"] += 1
        if st["rate"] <= 0 or st["rng"].random() >= st["rate"]:
            return None
        if st["operations"] is not None and operation not in st["operations"]:
            return None
        if st["limit"] is not None and st["faulted"] >= st["limit"]:
            return None
        kinds = [k for k in st["kinds"]
                 if not (k in ("drop_after", "apply_late") and operation in UNSAFE_OPERATIONS)]
        if not operation.startswith(("DynamoDB.", "SNS.")):
            kinds = [k for k in kinds if k != "throttle"]
        if not kinds:
            return None
        if st["sequence"] is not None:
            if st["faulted"] >= len(st["sequence"]):
                return None
            kind = st["sequence"][st["faulted"]]
        else:
            kind = st["rng"].choice(kinds)
        st["faulted"] += 1
        st["injected"][kind] = st["injected"].get(kind, 0) + 1
        per_op[kind] = per_op.get(kind, 0) + 1
        # Which throttling error DynamoDB answers with, also from the seeded RNG.
        variant = st["rng"].random()
        return kind, variant


def _error_body(operation, status, kind, variant):
    if operation.startswith("DynamoDB."):
        if kind == "throttle":
            name = "ThrottlingException" if variant < 0.5 else "ProvisionedThroughputExceededException"
        else:
            name = "InternalServerError" if status == 500 else "ServiceUnavailable"
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{name}",
                           "message": f"injected by the fault proxy ({kind})"})
        return "application/x-amz-json-1.0", body.encode()
    if operation.startswith(("SQS.", "EventBridge.", "SecretsManager.")):
        name = "InternalFailure" if status == 500 else "ServiceUnavailable"
        body = json.dumps({"__type": name, "message": f"injected by the fault proxy ({kind})"})
        return "application/x-amz-json-1.1", body.encode()
    code = {"throttle": "Throttling", "http500": "InternalError", "http503": "ServiceUnavailable"}[kind]
    kind_of = "Sender" if kind == "throttle" else "Receiver"
    body = (f"<ErrorResponse><Error><Type>{kind_of}</Type><Code>{code}</Code>"
            f"<Message>injected by the fault proxy ({kind})</Message></Error>"
            f"<RequestId>fault-proxy</RequestId></ErrorResponse>")
    return "text/xml", body.encode()


def _forward(method, path, headers, body):
    conn = getattr(_local, "conn", None)
    for attempt in range(2):
        if conn is None:
            conn = http.client.HTTPConnection(*_upstream, timeout=120)
            _local.conn = conn
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp.reason, resp.getheaders(), data
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = None
            _local.conn = None
            if attempt == 1:
                raise


def _forward_late(delay, method, path, headers, body):
    """apply_late: the held request reaches the emulator after its caller gave up."""
    time.sleep(delay)
    try:
        _forward(method, path, headers, body)
    except (http.client.HTTPException, OSError):
        pass
    finally:
        conn = getattr(_local, "conn", None)
        if conn is not None:
            conn.close()


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: requests can carry personal data
        pass

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, reason, headers, body):
        self.send_response(status, reason)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, payload):
        self._send(200, "OK", [("Content-Type", "application/json")], json.dumps(payload).encode())

    def _drop(self):
        """Closes the connection without a word (RST rather than a polite FIN)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _control(self, body):
        with _lock:
            if self.command == "POST":
                config = json.loads(body or b"{}")
                _state["rate"] = float(config.get("rate", 0))
                _state["seed"] = int(config.get("seed", 0))
                _state["delay_seconds"] = float(config.get("delay_seconds", 3))
                _state["kinds"] = [k for k in config.get("kinds", ALL_KINDS)
                                   if k in ALL_KINDS + TARGETED_KINDS]
                _state["operations"] = config.get("operations")
                _state["limit"] = config.get("limit")
                _state["sequence"] = config.get("sequence")
                _state["rng"] = random.Random(_state["seed"])
                _state["requests"] = 0
                _state["faulted"] = 0
                _state["injected"] = {}
                _state["by_operation"] = {}
            payload = {k: v for k, v in _state.items() if k != "rng"}
            payload = json.loads(json.dumps(payload))
        self._json(payload)

    def _handle(self):
        body = self._read_body()
        path = self.path
        if path.startswith("/_faults"):
            return self._control(body)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if body:
            headers["Content-Length"] = str(len(body))
        fault = None
        operation = None
        if not path.startswith("/_"):
            operation = _operation(self.headers, path, body)
            fault = _decide(operation)
        if fault is None:
            status, reason, resp_headers, data = _forward(self.command, path, headers, body)
            return self._send(status, reason, resp_headers, data)
        kind, variant = fault
        if kind in ("throttle", "http500", "http503"):
            status = {"throttle": 400, "http500": 500, "http503": 503}[kind]
            content_type, data = _error_body(operation, status, kind, variant)
            reason = {400: "Bad Request", 500: "Internal Server Error", 503: "Service Unavailable"}[status]
            return self._send(status, reason, [("Content-Type", content_type)], data)
        if kind == "drop_before":
            return self._drop()
        if kind == "apply_late":
            content_type, data = _error_body(operation, 500, "http500", variant)
            if operation not in UNSAFE_OPERATIONS:
                late = threading.Thread(
                    target=_forward_late,
                    args=(_state["delay_seconds"], self.command, path, headers, body),
                    daemon=True)
                late.start()
            return self._send(500, "Internal Server Error", [("Content-Type", content_type)], data)
        if kind == "drop_after":
            _forward(self.command, path, headers, body)
            return self._drop()
        # delay: longer than the SDK's attempt timeout, then applied (or, for a send,
        # never delivered); the caller has given up by then.
        time.sleep(_state["delay_seconds"])
        if operation not in UNSAFE_OPERATIONS:
            _forward(self.command, path, headers, body)
        return self._drop()

    def do_GET(self):
        try:
            self._handle()
        except (BrokenPipeError, ConnectionResetError):
            # The caller gave up (its SDK attempt timed out) before the answer.
            self.close_connection = True

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET


def main():
    global _upstream
    host, port, upstream = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    parsed = urllib.parse.urlparse(upstream)
    _upstream = (parsed.hostname, parsed.port or 80)
    if "--exit-with-parent" in sys.argv[4:]:
        def watch():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    print(f"fault proxy on http://{host}:{server.server_address[1]} -> {upstream}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
