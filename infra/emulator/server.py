"""The local AWS emulator: one endpoint for every service the application calls.

DynamoDB requests (by their `X-Amz-Target`) go to AWS's own DynamoDB Local, which
infra/scripts/with-emulator.sh starts beside this process; everything else is moto's
server. Plus `GET /_outbox`, which reports what the emulated SNS and SES have "sent"
(read from moto's own in-process backends), `GET /_sms?from=n`, the texts from the n-th
on (the local carrier reports their outcomes), and `/_stats`, the DynamoDB requests by
operation (make bench-api).

Usage: server.py HOST PORT DYNAMODB_LOCAL_URL
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

from moto.server import DomainDispatcherApplication, create_backend_app
from moto.sesv2 import responses as sesv2_responses
from moto.sns import models as sns_models
from werkzeug.serving import run_simple

_lock = threading.Lock()
_sms: list = []

_original_publish = sns_models.SNSBackend.publish


def _recording_publish(self, message, arn=None, phone_number=None, subject=None,
                       message_attributes=None, *args, **kwargs):
    """moto keeps only (number, text) of an SMS; keep the origination number and the
    message id too."""
    result = _original_publish(self, message, arn, phone_number, subject,
                               message_attributes, *args, **kwargs)
    if phone_number:
        attrs = message_attributes or {}
        origin = attrs.get("AWS.MM.SMS.OriginationNumber", {})
        with _lock:
            _sms.append({
                "to": phone_number,
                "from": origin.get("Value") or origin.get("StringValue"),
                "body": message,
                # The Publish's message id: what SNS's delivery-status record names.
                "message_id": result,
                # When SNS took it (Unix seconds): when the text left, for make
                # bench-on-time.
                "at": time.time(),
            })
    return result


sns_models.SNSBackend.publish = _recording_publish


_emails_sent: list = []
_original_sesv2_send = sesv2_responses.SESV2Response.send_email


def _recording_sesv2_send(self):
    """moto's SES v2 keeps one body part of a simple email (the HTML one); keep the
    request's subject and both parts exactly as SES received them."""
    result = _original_sesv2_send(self)
    params = json.loads(self.body)
    simple = (params.get("Content") or {}).get("Simple")
    if simple:
        body = simple.get("Body", {})
        with _lock:
            _emails_sent.append({
                "to": (params.get("Destination") or {}).get("ToAddresses", []),
                "from": params.get("FromEmailAddress"),
                "subject": (simple.get("Subject") or {}).get("Data"),
                "text": (body.get("Text") or {}).get("Data"),
                "html": (body.get("Html") or {}).get("Data"),
                "raw": None,
            })
    return result


sesv2_responses.SESV2Response.send_email = _recording_sesv2_send


_stats_lock = threading.Lock()
_dynamodb_calls = {}

# Hop-by-hop headers, which a proxy neither forwards nor copies back (RFC 9110 7.6.1).
_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
        "proxy-authorization", "proxy-authenticate"}


def _to_dynamodb_local(netloc, environ, start_response):
    """Forwards one DynamoDB request to DynamoDB Local, unchanged, and its answer back.
    A new connection per request and no retry: a write whose answer is lost must stay
    lost for the caller, as it would be against AWS."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").title()
            if name.lower() not in _HOP:
                headers[name] = value
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    headers["Content-Length"] = str(len(body))
    connection = http.client.HTTPConnection(netloc, timeout=60)
    try:
        path = environ.get("PATH_INFO") or "/"
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        connection.request(environ["REQUEST_METHOD"], path, body=body, headers=headers)
        answer = connection.getresponse()
        payload = answer.read()
        reply = [(k, v) for k, v in answer.getheaders()
                 if k.lower() not in _HOP and k.lower() != "content-length"]
        reply.append(("Content-Length", str(len(payload))))
        start_response(f"{answer.status} {answer.reason}", reply)
        return [payload]
    finally:
        connection.close()


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    dynamodb_local = urllib.parse.urlsplit(sys.argv[3]).netloc
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        path = environ.get("PATH_INFO")
        if path == "/_stats":
            # DynamoDB requests by operation since the last reset (make bench counts the
            # calls each route makes); POST resets.
            with _stats_lock:
                payload = {"dynamodb": dict(_dynamodb_calls)}
                if environ.get("REQUEST_METHOD") == "POST":
                    _dynamodb_calls.clear()
            body = json.dumps(payload).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("DynamoDB_20120810."):
            with _stats_lock:
                op = target.split(".", 1)[1]
                _dynamodb_calls[op] = _dynamodb_calls.get(op, 0) + 1
            return _to_dynamodb_local(dynamodb_local, environ, start_response)
        if path == "/_sms":
            # The texts from the n-th on (`?from=n`), for the local carrier's outcomes.
            query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
            start = int((query.get("from") or ["0"])[0] or 0)
            with _lock:
                payload = {"from": start, "sms": _sms[start:]}
            body = json.dumps(payload).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        if path == "/_outbox":
            with _lock:
                payload = {"sms": list(_sms), "emails": list(_emails_sent)}
            body = json.dumps(payload).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return moto_app(environ, start_response)

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


if __name__ == "__main__":
    main()
