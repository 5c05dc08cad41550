"""The local AWS emulator: moto's server, plus `GET /_outbox`, which reports what the
emulated SNS and SES have "sent" (read from moto's own in-process backends).

Usage: server.py HOST PORT
"""
import json
import sys
import threading

from moto.server import DomainDispatcherApplication, create_backend_app
from moto.sns import models as sns_models
from werkzeug.serving import run_simple

_lock = threading.Lock()
_sms: list = []

_original_publish = sns_models.SNSBackend.publish


def _recording_publish(self, message, arn=None, phone_number=None, subject=None,
                       message_attributes=None, *args, **kwargs):
    """moto keeps only (number, text) of an SMS; keep the origination number too."""
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
            })
    return result


sns_models.SNSBackend.publish = _recording_publish


def _serialise_dynamodb():
    """moto rolls a failed TransactWriteItems back by restoring a deep copy of every
    table it touched, which erases writes other request threads made in the meantime
    (real DynamoDB never does). Serialising moto's DynamoDB operations restores the
    isolation the application relies on, so race tests test the application."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    names = [
        "put_item", "update_item", "delete_item", "get_item", "query", "scan",
        "batch_write_item", "batch_get_item", "transact_write_items", "transact_get_items",
        "create_table", "delete_table", "update_time_to_live",
    ]
    for name in names:
        original = getattr(DynamoDBBackend, name, None)
        if original is None:
            continue

        def locked(self, *args, __original=original, **kwargs):
            with lock:
                return __original(self, *args, **kwargs)

        setattr(DynamoDBBackend, name, locked)


_serialise_dynamodb()


def _emails():
    from moto.ses.models import ses_backends
    out = []
    for regions in ses_backends.values():
        for backend in regions.values():
            for msg in getattr(backend, "sent_messages", []):
                destinations = getattr(msg, "destinations", {}) or {}
                to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else []
                body = getattr(msg, "body", None)
                out.append({
                    "to": to,
                    "from": getattr(msg, "source", None),
                    "subject": getattr(msg, "subject", None),
                    "text": body,
                    "html": getattr(msg, "html_body", None),
                    "raw": getattr(msg, "raw_data", None),
                })
    return out


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/_outbox":
            with _lock:
                payload = {"sms": list(_sms), "emails": _emails()}
            body = json.dumps(payload).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return moto_app(environ, start_response)

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


if __name__ == "__main__":
    main()
