"""The project's own deploy-conformance rules: what AWS enforces on a deployed stack and
neither the emulator (moto), cfn-lint nor checkov checks.

Each rule is a function `rule(template) -> list[str]` over the parsed template (YAML with
its intrinsic tags, decoded by cfn-lint's decoder into `{"Ref": ...}`, `{"Fn::GetAtt":
[...]}`, `{"Fn::Sub": ...}`), returning one line per problem; its docstring names the AWS
page the constraint comes from. `test_rules.py` shows each passing on template.yaml and
failing on a deliberately broken copy.

Usage: python rules.py [TEMPLATE]   (exit 1 and one line per problem if any rule fails)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

from cfnlint.decode import decode_str

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"

# Event sources that invoke a Lambda function asynchronously.
ASYNC_EVENT_TYPES = {"EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2", "SNS", "S3"}


def load(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as plain dicts and lists, intrinsic functions as their long forms."""
    template, errors = decode_str(path.read_text(encoding="utf-8"))
    if errors:
        raise ValueError(f"{path}: {errors}")
    return json.loads(json.dumps(template))


# ------------------------------------------------------------------ helpers


def resources(t: dict, kind: str | None = None) -> dict[str, dict]:
    return {
        k: v
        for k, v in (t.get("Resources") or {}).items()
        if kind is None or v.get("Type") == kind
    }


def props(resource: dict) -> dict:
    return resource.get("Properties") or {}


def target(value: Any) -> str | None:
    """The logical id a `Ref` or `Fn::GetAtt` points at."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            att = value["Fn::GetAtt"]
            return att[0] if isinstance(att, list) else str(att).split(".")[0]
    return None


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document: dict) -> list[dict]:
    return as_list((document or {}).get("Statement"))


def principals(statement: dict) -> list[str]:
    principal = statement.get("Principal") or {}
    if not isinstance(principal, dict):
        return []
    out = []
    for p in as_list(principal.get("Service")):
        out.append(p["Fn::Sub"] if isinstance(p, dict) and "Fn::Sub" in p else p)
    return out


def actions(statement: dict) -> list[str]:
    return [a.lower() for a in as_list(statement.get("Action"))]


def condition_keys(statement: dict) -> set[str]:
    keys: set[str] = set()
    for operator in (statement.get("Condition") or {}).values():
        keys.update(k.lower() for k in (operator or {}))
    return keys


def condition_values(statement: dict, key: str) -> list:
    out = []
    for operator in (statement.get("Condition") or {}).values():
        for k, v in (operator or {}).items():
            if k.lower() == key.lower():
                out.extend(as_list(v))
    return out


def text(value: Any) -> str:
    """A `Fn::Sub` string or a plain string, for pattern checks."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    return value if isinstance(value, str) else json.dumps(value)


def function_events(t: dict) -> list[tuple[str, str, dict]]:
    """(function, event id, event) for every event of every SAM function."""
    out = []
    for fn, r in resources(t, "AWS::Serverless::Function").items():
        for event_id, event in (props(r).get("Events") or {}).items():
            out.append((fn, event_id, event))
    return out


def allows(policies: Any, action: str, resource_id: str) -> bool:
    """Whether a SAM function's inline `Policies` allow `action` on `resource_id`."""
    for policy in as_list(policies):
        if not isinstance(policy, dict):
            continue
        for s in statements(policy):
            if s.get("Effect") != "Allow" or action.lower() not in actions(s):
                continue
            if any(target(r) == resource_id for r in as_list(s.get("Resource"))):
                return True
    return False


# ------------------------------------------------------------------ rules


def rule_service_topics_use_a_key_the_service_may_use(t: dict) -> list[str]:
    """A topic an AWS service publishes to is encrypted with a customer managed key whose
    policy lets that service principal call kms:GenerateDataKey* and kms:Decrypt, scoped to
    this account (aws:SourceAccount) and to the service's own resources (aws:SourceArn).
    The AWS managed key alias/aws/sns cannot be used by those services: the publish fails
    and nothing says so. Services here: AWS End User Messaging two-way SMS
    (sms-voice.amazonaws.com, the origination number's TwoWay.ChannelArn) and CloudWatch
    alarms (cloudwatch.amazonaws.com, every alarm's actions).

    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-iam-policy-auto.html
    """
    problems = []
    publishers: dict[str, set[str]] = {}
    for number in resources(t, "AWS::SMSVOICE::PhoneNumber").values():
        topic = target((props(number).get("TwoWay") or {}).get("ChannelArn"))
        if topic:
            publishers.setdefault(topic, set()).add("sms-voice.amazonaws.com")
    for alarm in resources(t, "AWS::CloudWatch::Alarm").values():
        p = props(alarm)
        for action in as_list(p.get("AlarmActions")) + as_list(p.get("OKActions")):
            topic = target(action)
            if topic:
                publishers.setdefault(topic, set()).add("cloudwatch.amazonaws.com")
    if not publishers:
        problems.append("no topic found that an AWS service publishes to")
    keys = resources(t, "AWS::KMS::Key")
    for topic, services in sorted(publishers.items()):
        resource = resources(t).get(topic)
        if resource is None or resource.get("Type") != "AWS::SNS::Topic":
            continue
        key_id = target(props(resource).get("KmsMasterKeyId"))
        if key_id not in keys:
            problems.append(
                f"{topic}: {sorted(services)} publish to it, but it is not encrypted with a "
                f"customer managed key of this template "
                f"(KmsMasterKeyId {props(resource).get('KmsMasterKeyId')!r})"
            )
            continue
        key = keys[key_id]
        for service in sorted(services):
            grants = [
                s
                for s in statements(props(key).get("KeyPolicy"))
                if s.get("Effect") == "Allow" and service in principals(s)
            ]
            granted = {a for s in grants for a in actions(s)}
            missing = [
                a for a in ("kms:generatedatakey*", "kms:decrypt") if a not in granted
            ]
            if missing:
                problems.append(f"{topic}: key {key_id} does not allow {service} {missing}")
            elif not all(
                {"aws:sourceaccount", "aws:sourcearn"} <= condition_keys(s) for s in grants
            ):
                problems.append(
                    f"{topic}: key {key_id} allows {service} without aws:SourceAccount "
                    f"and aws:SourceArn conditions"
                )
    return problems


def rule_rule_dead_letter_queues_let_their_rule_send(t: dict) -> list[str]:
    """An EventBridge rule's dead-letter queue has a queue policy letting
    events.amazonaws.com sqs:SendMessage, scoped by aws:SourceArn to that rule (SAM adds
    none when the DLQ is given by ARN; the rule is the one SAM generates,
    <Function><Event>). Without it an event that exhausts its retries is dropped.

    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-event-delivery.html#eb-rule-dlq
    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deadletterconfig.html
    """
    problems = []
    policies = resources(t, "AWS::SQS::QueuePolicy")
    for fn, event_id, event in function_events(t):
        if event.get("Type") not in {"EventBridgeRule", "CloudWatchEvent"}:
            continue
        dlq = target((event.get("Properties", {}).get("DeadLetterConfig") or {}).get("Arn"))
        if dlq is None:
            problems.append(f"{fn}.{event_id}: the rule has no dead-letter queue")
            continue
        rule = f"{fn}{event_id}"
        granted = False
        for policy in policies.values():
            p = props(policy)
            if dlq not in [target(q) for q in as_list(p.get("Queues"))]:
                continue
            for s in statements(p.get("PolicyDocument")):
                if (
                    s.get("Effect") == "Allow"
                    and "events.amazonaws.com" in principals(s)
                    and "sqs:sendmessage" in actions(s)
                    and rule in [target(v) for v in condition_values(s, "aws:SourceArn")]
                ):
                    granted = True
        if not granted:
            problems.append(
                f"{fn}.{event_id}: no queue policy lets rule {rule} (events.amazonaws.com, "
                f"aws:SourceArn) send to its dead-letter queue {dlq}"
            )
    return problems


def rule_async_functions_bound_age_and_keep_failures(t: dict) -> list[str]:
    """Every function invoked asynchronously (EventBridge, Scheduler, SNS) has an
    EventInvokeConfig with MaximumEventAgeInSeconds (60-21600; Lambda otherwise keeps an
    event six hours), MaximumRetryAttempts (0-2) and an OnFailure destination: an SQS
    queue of this template that the function's own policy may sqs:SendMessage to (the
    execution role sends the record). Otherwise an event that fails or expires is gone.

    https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    """
    problems = []
    queues = resources(t, "AWS::SQS::Queue")
    functions = resources(t, "AWS::Serverless::Function")
    asynchronous = sorted(
        {fn for fn, _, e in function_events(t) if e.get("Type") in ASYNC_EVENT_TYPES}
    )
    if not asynchronous:
        problems.append("no asynchronous function found")
    for fn in asynchronous:
        p = props(functions[fn])
        config = p.get("EventInvokeConfig")
        if not config:
            problems.append(f"{fn}: asynchronous, but no EventInvokeConfig")
            continue
        age = config.get("MaximumEventAgeInSeconds")
        if not isinstance(age, int) or not 60 <= age <= 21600:
            problems.append(f"{fn}: MaximumEventAgeInSeconds must be set (60-21600), is {age!r}")
        retries = config.get("MaximumRetryAttempts")
        if not isinstance(retries, int) or not 0 <= retries <= 2:
            problems.append(f"{fn}: MaximumRetryAttempts must be set (0-2), is {retries!r}")
        on_failure = (config.get("DestinationConfig") or {}).get("OnFailure") or {}
        queue = target(on_failure.get("Destination"))
        if on_failure.get("Type") != "SQS" or queue not in queues:
            problems.append(f"{fn}: no OnFailure destination on an SQS queue of the template")
        elif not allows(p.get("Policies"), "sqs:SendMessage", queue):
            problems.append(f"{fn}: its policy does not allow sqs:SendMessage to {queue}")
    return problems


def rule_schedules_pass_their_scheduled_time(t: dict) -> list[str]:
    """An EventBridge Scheduler schedule hands the target its Input, not an EventBridge
    envelope: the dispatcher learns the minute it runs for only if the Input carries
    <aws.scheduler.scheduled-time> (as `scheduled_time`, the field
    functions/reminder-dispatcher reads). The schedule's name carries the stack name
    (names are unique per schedule group; SAM would use the logical id).

    https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
    https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
    """
    problems = []
    schedules = [(fn, e_id, e) for fn, e_id, e in function_events(t) if e.get("Type") == "ScheduleV2"]
    if not schedules:
        problems.append("no ScheduleV2 event found")
    for fn, event_id, event in schedules:
        p = event.get("Properties") or {}
        raw = p.get("Input")
        try:
            payload = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or payload.get("scheduled_time") != "<aws.scheduler.scheduled-time>":
            problems.append(
                f"{fn}.{event_id}: Input must be a JSON object with "
                f'"scheduled_time": "<aws.scheduler.scheduled-time>" (is {raw!r})'
            )
        if "${AWS::StackName}" not in text(p.get("Name")):
            problems.append(f"{fn}.{event_id}: Name must carry ${{AWS::StackName}}")
    return problems


def rule_every_log_group_has_a_retention(t: dict) -> list[str]:
    """Every function logs to a log group of this template (LoggingConfig.LogGroup) with a
    RetentionInDays, and so does the HTTP API's access log: a log group Lambda creates by
    itself keeps its logs forever, and one outside the template has no retention to review.

    https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
    """
    problems = []
    groups = resources(t, "AWS::Logs::LogGroup")
    for name, group in sorted(groups.items()):
        if not props(group).get("RetentionInDays"):
            problems.append(f"{name}: no RetentionInDays")
    for fn, r in sorted(resources(t, "AWS::Serverless::Function").items()):
        group = target((props(r).get("LoggingConfig") or {}).get("LogGroup"))
        if group not in groups:
            problems.append(f"{fn}: LoggingConfig.LogGroup is not a log group of the template")
    for api, r in sorted(resources(t, "AWS::Serverless::HttpApi").items()):
        group = target((props(r).get("AccessLogSettings") or {}).get("DestinationArn"))
        if group not in groups:
            problems.append(f"{api}: no access log to a log group of the template")
    return problems


def rule_access_log_names_the_route_never_the_path(t: dict) -> list[str]:
    """The HTTP API access log records the route key, status, latency and request id, and
    never the request path or query string (manage links carry their token in the path,
    /b/{manage_token}) nor the caller's IP address.

    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
    """
    problems = []
    apis = resources(t, "AWS::Serverless::HttpApi")
    if not apis:
        problems.append("no HTTP API found")
    for api, r in sorted(apis.items()):
        fmt = text((props(r).get("AccessLogSettings") or {}).get("Format") or "")
        for needed in ("$context.routeKey", "$context.status", "$context.requestId", "Latency"):
            if needed not in fmt:
                problems.append(f"{api}: access log format lacks {needed}")
        for banned in ("$context.path", "$context.rawPath", "$context.rawQueryString",
                       "$context.identity.sourceIp"):
            if banned in fmt:
                problems.append(f"{api}: access log format must not log {banned}")
    return problems


def rule_api_5xx_is_alarmed(t: dict) -> list[str]:
    """A handler error answered as a 500 is a successful invocation for Lambda (its Errors
    metric does not count it): each HTTP API has an alarm on its own 5xx metric
    (AWS/ApiGateway, dimension ApiId) with an action.

    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
    """
    problems = []
    for api in sorted(resources(t, "AWS::Serverless::HttpApi")):
        alarmed = any(
            props(a).get("Namespace") == "AWS/ApiGateway"
            and props(a).get("MetricName") == "5xx"
            and any(
                d.get("Name") == "ApiId" and target(d.get("Value")) == api
                for d in as_list(props(a).get("Dimensions"))
            )
            and as_list(props(a).get("AlarmActions"))
            for a in resources(t, "AWS::CloudWatch::Alarm").values()
        )
        if not alarmed:
            problems.append(f"{api}: no alarm with an action on its 5xx metric")
    return problems


# Resources whose replacement or deletion destroys what cannot be recreated.
STATEFUL = {
    "AWS::Cognito::UserPool": ("DeletionProtection", "ACTIVE"),
    "AWS::SMSVOICE::PhoneNumber": ("DeletionProtectionEnabled", True),
    "AWS::DynamoDB::Table": None,
    "AWS::KMS::Key": None,
}


def rule_stateful_resources_are_retained(t: dict) -> list[str]:
    """The user pool (every account), the registered origination number, the tables and
    the key that encrypts topics and logs have DeletionPolicy and UpdateReplacePolicy
    Retain, and the user pool and the number their own deletion protection: a property
    change that forces replacement, or a stack deletion, must not delete them.

    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html
    """
    problems = []
    for kind, protection in STATEFUL.items():
        for name, r in sorted(resources(t, kind).items()):
            for attribute in ("DeletionPolicy", "UpdateReplacePolicy"):
                if r.get(attribute) != "Retain":
                    problems.append(f"{name} ({kind}): {attribute} must be Retain")
            if protection and props(r).get(protection[0]) != protection[1]:
                problems.append(f"{name} ({kind}): {protection[0]} must be {protection[1]!r}")
    return problems


def rule_prod_needs_an_alarm_email(t: dict) -> list[str]:
    """A template Rules assertion refuses a prod stack without AlarmEmail: CloudFormation
    checks it before creating or updating anything, so no prod stack runs with alarms that
    page nobody.

    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
    """
    for rule in (t.get("Rules") or {}).values():
        condition = json.dumps(rule.get("RuleCondition"))
        if '"Stage"' not in condition or '"prod"' not in condition:
            continue
        for assertion in as_list(rule.get("Assertions")):
            a = json.dumps(assertion.get("Assert"))
            if '"AlarmEmail"' in a and '"Fn::Not"' in a:
                return []
    return ["no Rules assertion that a prod stack (Stage=prod) has a non-empty AlarmEmail"]


# Resource types whose name is unique per account and Region, and the property naming them.
NAMED = {
    "AWS::Events::EventBus": "Name",
    "AWS::KMS::Alias": "AliasName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::Cognito::UserPool": "UserPoolName",
}


def rule_unique_names_carry_the_stack_name(t: dict) -> list[str]:
    """Every name that must be unique in the account and Region carries ${AWS::StackName},
    so a dev and a prod stack in one account do not collide (a create fails with
    AlreadyExists, or two stacks share one bus).

    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html
    """
    problems = []
    for kind, prop in NAMED.items():
        for name, r in sorted(resources(t, kind).items()):
            value = props(r).get(prop)
            if value is not None and "${AWS::StackName}" not in text(value):
                problems.append(f"{name}: {prop} must carry ${{AWS::StackName}} (is {value!r})")
    return problems


RULES: list[Callable[[dict], list[str]]] = [
    rule_service_topics_use_a_key_the_service_may_use,
    rule_rule_dead_letter_queues_let_their_rule_send,
    rule_async_functions_bound_age_and_keep_failures,
    rule_schedules_pass_their_scheduled_time,
    rule_every_log_group_has_a_retention,
    rule_access_log_names_the_route_never_the_path,
    rule_api_5xx_is_alarmed,
    rule_stateful_resources_are_retained,
    rule_prod_needs_an_alarm_email,
    rule_unique_names_carry_the_stack_name,
]


def main(argv: list[str]) -> int:
    template = load(Path(argv[1]) if len(argv) > 1 else TEMPLATE)
    failed = 0
    for rule in RULES:
        problems = rule(template)
        print(f"{'FAIL' if problems else 'ok  '} {rule.__name__}")
        for p in problems:
            print(f"     {p}")
        failed += bool(problems)
    print(f"{len(RULES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
