"""Turns on SNS's SMS delivery-status logging for the account and Region, naming the
stack's role (output SmsDeliveryLogsRoleArn) and logging every successful delivery, so
each text's fate reaches sms-delivery-status (docs/deploy.md, "Carrier outcomes").

SetSMSAttributes is account-wide: it changes delivery-status logging for every SMS
the account sends with SNS, not only this stack's. So an account whose attributes
already name another role is left alone unless --replace is given.

Usage (the deploy step after `sam deploy`; credentials and Region as for the AWS CLI):
    .venv/bin/python infra/scripts/sms_delivery_logging.py --stack-name NAME [--replace]
    .venv/bin/python infra/scripts/sms_delivery_logging.py --role-arn ARN [--replace]
"""
import argparse
import sys

import boto3

SAMPLING = "100"


def stack_role(cloudformation, stack_name: str) -> str:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    for output in stack.get("Outputs", []):
        if output["OutputKey"] == "SmsDeliveryLogsRoleArn":
            return output["OutputValue"]
    raise SystemExit(f"{stack_name} has no output SmsDeliveryLogsRoleArn; deploy the template first")


def turn_on(sns, role_arn: str, replace: bool) -> str:
    """Sets the attributes; returns what was done. Refuses to take over another role."""
    current = sns.get_sms_attributes().get("attributes", {})
    other = current.get("DeliveryStatusIAMRole")
    if other and other != role_arn and not replace:
        raise SystemExit(
            f"the account's SMS delivery-status logging already uses {other}; "
            "run again with --replace to use this stack's role (both can write the "
            "same log groups; only one can be named)"
        )
    if other == role_arn and current.get("DeliveryStatusSuccessSamplingRate") == SAMPLING:
        return "already on"
    sns.set_sms_attributes(
        attributes={
            "DeliveryStatusIAMRole": role_arn,
            "DeliveryStatusSuccessSamplingRate": SAMPLING,
        }
    )
    now = sns.get_sms_attributes().get("attributes", {})
    if now.get("DeliveryStatusIAMRole") != role_arn or now.get(
        "DeliveryStatusSuccessSamplingRate"
    ) != SAMPLING:
        raise SystemExit(f"SetSMSAttributes did not take: {now}")
    return "turned on"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack-name")
    source.add_argument("--role-arn")
    parser.add_argument("--replace", action="store_true")
    args = parser.parse_args(argv)
    role = args.role_arn or stack_role(boto3.client("cloudformation"), args.stack_name)
    done = turn_on(boto3.client("sns"), role, args.replace)
    print(f"SMS delivery-status logging {done}: role {role}, success sampling {SAMPLING}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
