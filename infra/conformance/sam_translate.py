"""Expands template.yaml with aws-sam-translator, offline, so checkov also sees the IAM
roles, permissions, rules and schedules SAM generates.

Usage: python sam_translate.py TEMPLATE OUT.json
"""
import json
import os
import sys

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


# checkov's IAM checks that read a function's policy statements (on the generated role).
ROLE_CHECKS = {"CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111"}


class OfflinePolicyLoader:
    """The template names no managed policy by name; SAM's own bundled map covers the
    ones it attaches (AWSLambdaBasicExecutionRole, AWSXrayWriteOnlyAccess), so IAM is
    never asked."""

    def load(self):
        return {}


def main(src: str, out: str) -> int:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(src, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    # What `sam package` does before deploying: local code becomes an S3 object.
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(
            props.get("CodeUri"), str
        ) and not props["CodeUri"].startswith("s3://"):
            props["CodeUri"] = "s3://offline-placeholder/code.zip"
    try:
        expanded = transform(template, {}, OfflinePolicyLoader())
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(f"sam translate: {cause.message}", file=sys.stderr)
        return 1
    # checkov reads skips from a resource's Metadata. A role SAM generates has none, so a
    # function's skips of IAM checks (CKV_AWS_1xx on its policies) are carried to
    # <Function>Role, the role SAM names after it.
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        skips = (resource.get("Metadata") or {}).get("checkov", {}).get("skip", [])
        role = expanded["Resources"].get(f"{logical_id}Role")
        role_skips = [s for s in skips if s.get("id") in ROLE_CHECKS]
        if role is not None and role_skips:
            role.setdefault("Metadata", {}).setdefault("checkov", {})["skip"] = role_skips
    with open(out, "w", encoding="utf-8") as f:
        json.dump(expanded, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
