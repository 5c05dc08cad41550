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


def _item_level_rollback():
    """moto backs a transaction up by deep-copying every table it touches: O(table
    size) per transaction, which makes a benchmark of 10,000 sends quadratic. With the
    operations serialised (above), snapshotting just the items the transaction touches
    and restoring those on cancellation is equivalent, and O(items)."""
    import copy as std_copy

    from moto.dynamodb import models as dynamodb_models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    class _TablesAreNotCopied:
        def __getattr__(self, name):
            return getattr(std_copy, name)

        @staticmethod
        def deepcopy(obj, memo=None):
            return obj if isinstance(obj, Table) else std_copy.deepcopy(obj, memo)

    dynamodb_models.copy = _TablesAreNotCopied()
    original = DynamoDBBackend.transact_write_items

    def key_of(backend, op_type, op):
        if op_type != "Put":
            return op["Key"]
        table = backend.get_table(op["TableName"])
        key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = op["Item"][table.range_key_attr]
        return key

    def transact_write_items(self, transact_items):
        snapshots = []
        for entry in transact_items:
            try:
                op_type, op = next(iter(entry.items()))
                key = key_of(self, op_type, op)
                current = self.get_item(op["TableName"], key)
                attributes = std_copy.deepcopy(current.to_json()["Attributes"]) if current else None
                snapshots.append((op["TableName"], key, attributes))
            except Exception:  # invalid requests: moto's own checks will say why
                continue
        try:
            return original(self, transact_items)
        except Exception:
            for table_name, key, attributes in reversed(snapshots):
                try:
                    if attributes is None:
                        if self.get_item(table_name, key) is not None:
                            self.delete_item(table_name, key)
                    else:
                        self.put_item(table_name, attributes)
                except Exception:
                    pass
            raise

    DynamoDBBackend.transact_write_items = transact_write_items


_item_level_rollback()


def _client_request_tokens():
    """DynamoDB makes TransactWriteItems idempotent by its ClientRequestToken (which the
    AWS SDKs fill in once per call and resend on every retry): a call with a token that
    succeeded in the last 10 minutes succeeds again without changing anything, and the
    same token with other items is IdempotentParameterMismatchException. moto ignores
    the token, so a retried transaction whose first answer was lost (the fault proxy of
    `make soak`) would be refused by its own conditions, which DynamoDB never does."""
    import time

    from moto.dynamodb.exceptions import DynamodbException
    from moto.dynamodb.responses import DynamoHandler

    def mismatch():
        return DynamodbException(
            "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
            message="The request uses the same client token as a previous, but "
                    "non-identical request.")

    original = DynamoHandler.transact_write_items
    lock = threading.Lock()
    from collections import OrderedDict

    succeeded = OrderedDict()  # token -> (fingerprint, expires, result), oldest first

    def transact_write_items(self):
        token = self.body.get("ClientRequestToken")
        if not token:
            return original(self)
        fingerprint = json.dumps(self.body.get("TransactItems"), sort_keys=True)
        with lock:
            now = time.monotonic()
            while succeeded and next(iter(succeeded.values()))[1] <= now:
                succeeded.popitem(last=False)
            seen = succeeded.get(token)
            if seen is not None:
                if seen[0] != fingerprint:
                    raise mismatch()
                return seen[2]
            result = original(self)
            succeeded[token] = (fingerprint, now + 600, result)
            return result

    DynamoHandler.transact_write_items = transact_write_items


_client_request_tokens()


def _emails():
    from moto.ses.models import ses_backends
    out = []
    for regions in ses_backends.values():
        for backend in regions.values():
            for msg in getattr(backend, "sent_messages", []):
                destinations = getattr(msg, "destinations", {}) or {}
                to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else []
                body = getattr(msg, "body", None)
                html_body = getattr(msg, "html_body", None)
                # moto's SES v2 keeps one body part: the HTML one when the email has it.
                # Show it as html, and its text (tags stripped) as text.
                if html_body is None and isinstance(body, str) and body.lstrip().startswith("<"):
                    import html as _html
                    import re as _re
                    html_body = body
                    linked = _re.sub(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', r"\2: \1", body)
                    body = _html.unescape(_re.sub(r"<[^>]+>", "", linked))
                out.append({
                    "to": to,
                    "from": getattr(msg, "source", None),
                    "subject": getattr(msg, "subject", None),
                    "text": body,
                    "html": html_body,
                    "raw": getattr(msg, "raw_data", None),
                })
    return out


_stats_lock = threading.Lock()
_dynamodb_calls = {}


def main():
    host, port = sys.argv[1], int(sys.argv[2])
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
        if path == "/_outbox":
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
