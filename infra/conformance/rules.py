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
import re
import sys
from pathlib import Path
from typing import Any, Callable

from cfnlint.decode import decode_str

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"

# Event sources that invoke a Lambda function asynchronously.
ASYNC_EVENT_TYPES = {"EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2", "SNS", "S3"}

# The log groups SNS writes SMS delivery-status records to: names SNS fixes, the same for
# every stack in the account and Region.
SNS_SMS_DELIVERY_GROUPS = (
    "sns/${AWS::Region}/${AWS::AccountId}/DirectPublishToPhoneNumber",
    "sns/${AWS::Region}/${AWS::AccountId}/DirectPublishToPhoneNumber/Failure",
)


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


def log_group_name(t: dict, value: Any) -> str:
    """The name a SubscriptionFilter's LogGroupName gives: a group of the template (by
    `Ref`, or the template's own group in either branch of an `Fn::If`), or a `Fn::Sub`."""
    if isinstance(value, dict) and "Fn::If" in value:
        _, created, existing = value["Fn::If"]
        names = {log_group_name(t, created), log_group_name(t, existing)}
        return names.pop() if len(names) == 1 else json.dumps(sorted(names))
    group = resources(t, "AWS::Logs::LogGroup").get(target(value) or "")
    if group is not None:
        return text(props(group).get("LogGroupName"))
    return text(value)


def log_subscriptions(t: dict) -> list[tuple[str, str, str | None]]:
    """(filter, log group name, function) for every subscription filter; the function is
    the template's function its DestinationArn names, if any."""
    functions = resources(t, "AWS::Serverless::Function")
    out = []
    for name, r in sorted(resources(t, "AWS::Logs::SubscriptionFilter").items()):
        p = props(r)
        fn = target(p.get("DestinationArn"))
        out.append((name, log_group_name(t, p.get("LogGroupName")), fn if fn in functions else None))
    return out


def http_routes(t: dict, api: str) -> list[tuple[str, str, dict]]:
    """(route key "METHOD /path", function, event properties) of every HttpApi event of
    `api`, as SAM writes the route into the API (the method upper-cased)."""
    out = []
    for fn, _, event in function_events(t):
        p = event.get("Properties") or {}
        if event.get("Type") != "HttpApi" or target(p.get("ApiId")) != api:
            continue
        out.append((f"{str(p.get('Method', '')).upper()} {p.get('Path', '')}", fn, p))
    return out


def http_apis(t: dict) -> tuple[list[tuple[str, dict]], list[str]]:
    """The template's HTTP APIs by id, sorted, and the problems a rule about them starts
    with: none, or that the template has no HTTP API at all."""
    apis = sorted(resources(t, "AWS::Serverless::HttpApi").items())
    return apis, [] if apis else ["no HTTP API found"]


def is_public(event_properties: dict) -> bool:
    return ((event_properties.get("Auth") or {}).get("Authorizer")) == "NONE"


def alarms_on(t: dict, namespace: str, metric: str) -> dict[str, dict]:
    """Alarms of the template on one metric, as a single metric or inside metric math."""
    out = {}
    for name, alarm in resources(t, "AWS::CloudWatch::Alarm").items():
        p = props(alarm)
        if p.get("Namespace") == namespace and p.get("MetricName") == metric:
            out[name] = alarm
        for query in as_list(p.get("Metrics")):
            m = ((query.get("MetricStat") or {}).get("Metric")) or {}
            if m.get("Namespace") == namespace and m.get("MetricName") == metric:
                out[name] = alarm
    return out


def notifies(alarm: dict, topic: str) -> bool:
    return topic in [target(a) for a in as_list(props(alarm).get("AlarmActions"))]


def number_parameter(t: dict, name: str) -> dict | None:
    parameter = (t.get("Parameters") or {}).get(name)
    return parameter if parameter and parameter.get("Type") == "Number" else None


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
    """Every function invoked asynchronously (EventBridge, Scheduler, SNS, and CloudWatch
    Logs through a subscription filter: "CloudWatch Logs invokes your function
    asynchronously", services-cloudwatchlogs) has an
    EventInvokeConfig with MaximumEventAgeInSeconds (60-21600; Lambda otherwise keeps an
    event six hours), MaximumRetryAttempts (0-2) and an OnFailure destination: an SQS
    queue of this template that the function's own policy may sqs:SendMessage to (the
    execution role sends the record). Otherwise an event that fails or expires is gone.

    https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchlogs.html
    """
    problems = []
    queues = resources(t, "AWS::SQS::Queue")
    functions = resources(t, "AWS::Serverless::Function")
    asynchronous = sorted(
        {fn for fn, _, e in function_events(t) if e.get("Type") in ASYNC_EVENT_TYPES}
        | {fn for _, _, fn in log_subscriptions(t) if fn}
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
    apis, problems = http_apis(t)
    for api, r in apis:
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

    The one exception is a name another service fixes for the account: SNS's SMS
    delivery-status log groups, created only under a condition so that a second stack can
    use the first one's (https://docs.aws.amazon.com/sns/latest/dg/sms_stats_cloudwatch.html).
    """
    problems = []
    conditions = t.get("Conditions") or {}
    for kind, prop in NAMED.items():
        for name, r in sorted(resources(t, kind).items()):
            value = props(r).get(prop)
            if text(value) in SNS_SMS_DELIVERY_GROUPS and r.get("Condition") in conditions:
                continue
            if value is not None and "${AWS::StackName}" not in text(value):
                problems.append(f"{name}: {prop} must carry ${{AWS::StackName}} (is {value!r})")
    return problems


# Public routes that need no route-level throttle of their own: the webhooks, which AWS's
# and the panel's deliveries call (rule_public_routes_are_throttled_below_the_default).
WEBHOOK_PREFIX = "/webhooks/"
# Signed-in routes that text a number the caller chooses.
TEXTING_ROUTES = {"POST /me/phone"}


def rule_public_routes_are_throttled_below_the_default(t: dict) -> list[str]:
    """Every unauthenticated route (Auth.Authorizer NONE) but the webhooks, and every route
    that texts a number its caller chooses (POST /me/phone), has its own RouteSettings entry
    with ThrottlingBurstLimit and ThrottlingRateLimit both set and both below the API's
    DefaultRouteSettings: HTTP API limits are per route for all callers together (a token
    bucket per route), so the default alone lets a bot send the whole API's rate to the
    route that books and texts. Each entry sets both limits, so neither depends on how an
    unset one falls back. The webhooks keep at least the default: SNS delivers to an HTTPS
    subscription without throttling, and a delivery answered 429 is not delivered: by
    default SNS retries it 3 times 20 seconds apart and then drops it - a STOP among them.

    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-stage.html#cfn-apigatewayv2-stage-routesettings
    https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html
    https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
    """
    apis, problems = http_apis(t)
    for api, r in apis:
        p = props(r)
        default = p.get("DefaultRouteSettings") or {}
        limits = ("ThrottlingBurstLimit", "ThrottlingRateLimit")
        if not all(isinstance(default.get(k), (int, float)) for k in limits):
            problems.append(f"{api}: DefaultRouteSettings must set {list(limits)}")
            continue
        settings = p.get("RouteSettings") or {}
        routes = http_routes(t, api)
        throttled = sorted(
            key for key, _, ep in routes
            if (is_public(ep) and not key.split(" ", 1)[1].startswith(WEBHOOK_PREFIX))
            or key in TEXTING_ROUTES
        )
        if not throttled:
            problems.append(f"{api}: no public route found")
        for key in throttled:
            entry = settings.get(key) or {}
            for k in limits:
                value = entry.get(k)
                if not isinstance(value, (int, float)):
                    problems.append(f"{api}: route {key!r} has no RouteSettings {k}")
                elif value >= default[k]:
                    problems.append(
                        f"{api}: route {key!r} {k} {value} is not below the default {default[k]}"
                    )
        for key, _, _ in routes:
            if not key.split(" ", 1)[1].startswith(WEBHOOK_PREFIX) or key not in settings:
                continue
            for k in limits:
                value = (settings[key] or {}).get(k)
                if isinstance(value, (int, float)) and value < default[k]:
                    problems.append(
                        f"{api}: webhook {key!r} {k} {value} is below the default "
                        f"{default[k]} - SNS drops a message it cannot deliver after 3 retries"
                    )
    return problems


def rule_route_settings_name_routes_of_the_api(t: dict) -> list[str]:
    """Every RouteSettings key of an HTTP API is the route key, "METHOD /path" exactly, of
    a route of that API (an HttpApi event of a function, the method upper-cased): API
    Gateway refuses a stage whose RouteSettings name a route the API does not have
    ("Unable to find Route by key ... within the provided RouteSettings"), so a route
    renamed in its event and not here fails the deploy. An API with public routes has
    RouteSettings at all.

    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-stage.html#cfn-apigatewayv2-stage-routesettings
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
    """
    problems = []
    for api, r in sorted(resources(t, "AWS::Serverless::HttpApi").items()):
        routes = http_routes(t, api)
        keys = {key for key, _, _ in routes}
        settings = props(r).get("RouteSettings")
        if not settings:
            if any(is_public(ep) for _, _, ep in routes):
                problems.append(f"{api}: public routes, but no RouteSettings")
            continue
        if not isinstance(settings, dict):
            problems.append(f"{api}: RouteSettings must be a map of route key to settings")
            continue
        for key in sorted(settings):
            if key not in keys:
                problems.append(f"{api}: RouteSettings {key!r} is no route of the API")
    return problems


def rule_sms_spend_is_alarmed(t: dict) -> list[str]:
    """An alarm watches the month-to-date SMS spend - SNS's SMSMonthToDateSpentUSD
    (AWS/SNS, no dimension; Maximum is its only valid statistic) - against the parameter
    SmsMonthlySpendAlarmUsd (a Number) and notifies AlarmTopic. It treats missing data as
    "ignore": the metric is published only around sends, and notBreaching would turn an
    ALARM back to OK on the next quiet hour. When the account's spend limit is reached,
    SNS stops sending SMS within minutes: this alarm is the warning before that.

    https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
    """
    problems = []
    if number_parameter(t, "SmsMonthlySpendAlarmUsd") is None:
        problems.append("no Number parameter SmsMonthlySpendAlarmUsd")
    alarms = alarms_on(t, "AWS/SNS", "SMSMonthToDateSpentUSD")
    if not alarms:
        problems.append("no alarm on AWS/SNS SMSMonthToDateSpentUSD")
    for name, alarm in sorted(alarms.items()):
        p = props(alarm)
        if p.get("Statistic") != "Maximum":
            problems.append(f"{name}: Statistic must be Maximum (is {p.get('Statistic')!r})")
        if p.get("Dimensions"):
            problems.append(f"{name}: SMSMonthToDateSpentUSD has no dimensions")
        if target(p.get("Threshold")) != "SmsMonthlySpendAlarmUsd":
            problems.append(f"{name}: Threshold must be !Ref SmsMonthlySpendAlarmUsd")
        if p.get("TreatMissingData") != "ignore":
            problems.append(f"{name}: TreatMissingData must be ignore")
        if not notifies(alarm, "AlarmTopic"):
            problems.append(f"{name}: does not notify AlarmTopic")
    return problems


def rule_sms_failure_rate_is_alarmed(t: dict) -> list[str]:
    """An alarm watches the share of texts not delivered: metric math over AWS End User
    Messaging's NumberOfTextMessagePartsSent and NumberOfTextMessagePartsDelivered
    (AWS/SMSVoice, Sum, account-wide: no dimension, same period), one expression using
    both with ReturnData true and every other query false (CloudWatch alarms on exactly
    one returned series), against the parameter SmsFailureRateAlarmPercent (a Number,
    at most 100), notifying AlarmTopic.

    https://docs.aws.amazon.com/sms-voice/latest/userguide/monitoring-cloudwatch.html
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html
    """
    problems = []
    parameter = number_parameter(t, "SmsFailureRateAlarmPercent")
    if parameter is None:
        problems.append("no Number parameter SmsFailureRateAlarmPercent")
    elif not isinstance(parameter.get("MaxValue"), (int, float)) or parameter["MaxValue"] > 100:
        problems.append("SmsFailureRateAlarmPercent: MaxValue must be at most 100")
    sent = alarms_on(t, "AWS/SMSVoice", "NumberOfTextMessagePartsSent")
    delivered = alarms_on(t, "AWS/SMSVoice", "NumberOfTextMessagePartsDelivered")
    names = sorted(set(sent) & set(delivered))
    if not names:
        problems.append(
            "no alarm on both AWS/SMSVoice NumberOfTextMessagePartsSent and "
            "NumberOfTextMessagePartsDelivered"
        )
    for name in names:
        p = props(sent[name])
        queries = as_list(p.get("Metrics"))
        stats = {}
        for q in queries:
            stat = q.get("MetricStat") or {}
            metric = stat.get("Metric") or {}
            if metric.get("Namespace") == "AWS/SMSVoice":
                stats[metric.get("MetricName")] = (q.get("Id"), stat, metric)
        ids = []
        for metric_name in ("NumberOfTextMessagePartsSent", "NumberOfTextMessagePartsDelivered"):
            query_id, stat, metric = stats.get(metric_name, (None, {}, {}))
            ids.append(query_id)
            if stat.get("Stat") != "Sum":
                problems.append(f"{name}: {metric_name} must be summed (Stat Sum)")
            if metric.get("Dimensions"):
                problems.append(f"{name}: {metric_name} must be the account-wide series (no dimension)")
        periods = {(s[1] or {}).get("Period") for s in stats.values()}
        if len(periods) != 1:
            problems.append(f"{name}: sent and delivered must share one Period")
        returned = [q for q in queries if q.get("ReturnData", True) is not False]
        if len(returned) != 1 or "Expression" not in returned[0]:
            problems.append(f"{name}: exactly one query, the expression, must have ReturnData true")
        elif not all(i and re.search(rf"\b{re.escape(i)}\b", returned[0]["Expression"]) for i in ids):
            problems.append(f"{name}: the expression must use both sent and delivered")
        if target(p.get("Threshold")) != "SmsFailureRateAlarmPercent":
            problems.append(f"{name}: Threshold must be !Ref SmsFailureRateAlarmPercent")
        if not notifies(sent[name], "AlarmTopic"):
            problems.append(f"{name}: does not notify AlarmTopic")
    return problems


def rule_protect_configuration_allows_exactly_the_allowed_countries(t: dict) -> list[str]:
    """The stack's AWS End User Messaging SMS protect configuration allows SMS to exactly
    the countries of the SmsAllowedCountries value its Condition requires (that value also
    the parameter's default), and every other SMS rule it lists is BLOCK (MONITOR and
    FILTER let texts through). A country without a rule is ALLOW and SNS Publish is
    governed only by the account default protect configuration, which CloudFormation
    cannot set: so an Output gives its id for the CLI step that blocks every other country
    and makes it the account default (docs/deploy.md), and an alarm on
    TextMessagesBlockedByProtect notifies AlarmTopic when it blocks anything.

    https://docs.aws.amazon.com/sms-voice/latest/userguide/protect-configuration.html
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-smsvoice-protectconfiguration.html
    https://docs.aws.amazon.com/sms-voice/latest/userguide/monitoring-cloudwatch.html
    """
    problems = []
    configurations = resources(t, "AWS::SMSVOICE::ProtectConfiguration")
    if len(configurations) != 1:
        return [f"expected one AWS::SMSVOICE::ProtectConfiguration, found {len(configurations)}"]
    (name, r), = configurations.items()
    condition = (t.get("Conditions") or {}).get(r.get("Condition") or "")
    equals = (condition or {}).get("Fn::Equals") if isinstance(condition, dict) else None
    allowed_value = None
    if isinstance(equals, list) and len(equals) == 2:
        for a, b in (equals, equals[::-1]):
            if target(a) == "SmsAllowedCountries" and isinstance(b, str):
                allowed_value = b
    if allowed_value is None:
        problems.append(
            f"{name}: its Condition must be Fn::Equals [!Ref SmsAllowedCountries, \"<codes>\"]"
        )
        allowed_value = ""
    default = ((t.get("Parameters") or {}).get("SmsAllowedCountries") or {}).get("Default")
    if allowed_value and default != allowed_value:
        problems.append(
            f"{name}: exists only for SmsAllowedCountries={allowed_value!r}, "
            f"but the parameter's default is {default!r}"
        )
    rules = as_list((props(r).get("CountryRuleSet") or {}).get("SMS"))
    codes = [rule.get("CountryCode") for rule in rules]
    if len(codes) != len(set(codes)):
        problems.append(f"{name}: a country has more than one SMS rule")
    allowed = {rule.get("CountryCode") for rule in rules if rule.get("ProtectStatus") == "ALLOW"}
    expected = {c for c in allowed_value.split(",") if c}
    if allowed != expected:
        problems.append(f"{name}: SMS ALLOW rules {sorted(allowed)} must be exactly {sorted(expected)}")
    for rule in rules:
        if rule.get("ProtectStatus") not in ("ALLOW", "BLOCK"):
            problems.append(
                f"{name}: {rule.get('CountryCode')} is {rule.get('ProtectStatus')} - "
                f"only ALLOW for the allowed countries, BLOCK for any other"
            )
    exposed = [
        o for o in (t.get("Outputs") or {}).values()
        if target(o.get("Value")) == name and o.get("Condition") == r.get("Condition")
    ]
    if not exposed:
        problems.append(f"{name}: no Output (with its Condition) gives its id for the CLI step")
    blocked = alarms_on(t, "AWS/SMSVoice", "TextMessagesBlockedByProtect")
    if not any(notifies(a, "AlarmTopic") for a in blocked.values()):
        problems.append("no alarm on AWS/SMSVoice TextMessagesBlockedByProtect notifies AlarmTopic")
    return problems


def rule_emails_report_bounces_and_complaints(t: dict) -> list[str]:
    """Every email goes out through a configuration set whose event destination sends
    hard bounces and complaints to EventBridge, on the default bus (the only bus SES
    publishes to), where a rule (source `aws.ses`, "Email Bounced" and "Email Complaint
    Received") hands them to a function. A send that names a configuration set is
    authorized on that configuration set as well as on the identity: a role allowed
    ses:SendEmail on `identity/*` only is refused every email.

    https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventBridgeDestination.html
    https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventDestination.html
    https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html
    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html
    """
    problems = []
    sets = resources(t, "AWS::SES::ConfigurationSet")
    if len(sets) != 1:
        return [f"expected one AWS::SES::ConfigurationSet, found {sorted(sets)}"]
    (set_id,) = sets
    destinations = [
        props(d) for d in resources(t, "AWS::SES::ConfigurationSetEventDestination").values()
        if target(props(d).get("ConfigurationSetName")) == set_id
    ]
    reporting = False
    for d in destinations:
        e = d.get("EventDestination") or {}
        kinds = {str(k).lower() for k in as_list(e.get("MatchingEventTypes"))}
        bus = text((e.get("EventBridgeDestination") or {}).get("EventBusArn"))
        if e.get("Enabled") is True and {"bounce", "complaint"} <= kinds and bus.endswith("event-bus/default"):
            reporting = True
    if not reporting:
        problems.append(
            f"{set_id}: no enabled event destination sends bounce and complaint to the default bus"
        )
    env = ((t.get("Globals") or {}).get("Function") or {}).get("Environment") or {}
    if target((env.get("Variables") or {}).get("SES_CONFIGURATION_SET")) != set_id:
        problems.append(f"Globals: SES_CONFIGURATION_SET must be the Ref of {set_id}")
    for fn, r in resources(t, "AWS::Serverless::Function").items():
        for policy in as_list(props(r).get("Policies")):
            if not isinstance(policy, dict):
                continue
            for st in statements(policy):
                if st.get("Effect") != "Allow" or "ses:sendemail" not in actions(st):
                    continue
                named = [text(res) for res in as_list(st.get("Resource"))]
                if not any("configuration-set/${" + set_id + "}" in n for n in named):
                    problems.append(f"{fn}: ses:SendEmail without the configuration set {set_id}")
    consumers = []
    for fn, _, e in function_events(t):
        pattern = (e.get("Properties") or {}).get("Pattern") or {}
        if e.get("Type") == "EventBridgeRule" and "aws.ses" in as_list(pattern.get("source")):
            kinds = set(as_list(pattern.get("detail-type")))
            if {"Email Bounced", "Email Complaint Received"} <= kinds:
                consumers.append(fn)
    if not consumers:
        problems.append("no function's rule takes SES's Email Bounced and Email Complaint Received")
    return problems


def rule_log_subscriptions_may_invoke_their_function(t: dict) -> list[str]:
    """Every subscription filter that sends a log group to a function of this template has
    an AWS::Lambda::Permission letting CloudWatch Logs (logs.amazonaws.com, or its
    Regional form) lambda:InvokeFunction on that function, scoped by SourceArn to that
    log group (`arn:...:log-group:<name>:*`) and by SourceAccount; and the filter
    DependsOn that permission: CloudWatch Logs checks at creation that it may invoke the
    destination, so a filter created first fails the deploy.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#LambdaFunctionExample
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-subscriptionfilter.html
    """
    problems = []
    subscriptions = [s for s in log_subscriptions(t) if s[2]]
    if not subscriptions:
        problems.append("no subscription filter to a function of the template found")
    permissions = resources(t, "AWS::Lambda::Permission")
    filters = resources(t, "AWS::Logs::SubscriptionFilter")
    for name, group, fn in subscriptions:
        fitting = []
        for pid, permission in sorted(permissions.items()):
            p = props(permission)
            principal = text(p.get("Principal"))
            if (
                target(p.get("FunctionName")) == fn
                and p.get("Action") == "lambda:InvokeFunction"
                and principal in ("logs.amazonaws.com", "logs.${AWS::Region}.amazonaws.com")
                and text(p.get("SourceArn")).endswith(f":log-group:{group}:*")
                and p.get("SourceAccount") is not None
            ):
                fitting.append(pid)
        if not fitting:
            problems.append(
                f"{name}: no permission lets CloudWatch Logs invoke {fn} for log group "
                f"{group} (SourceArn ...:log-group:{group}:*, SourceAccount)"
            )
            continue
        depends = set(as_list(filters[name].get("DependsOn")))
        if not depends & set(fitting):
            problems.append(f"{name}: does not DependsOn its permission {fitting}")
    return problems


def rule_sms_delivery_status_is_logged_and_subscribed(t: dict) -> list[str]:
    """SNS writes each text's delivery status only when the account's SMS attributes name
    an IAM role SNS may assume (sns.amazonaws.com) that may logs:CreateLogGroup,
    logs:CreateLogStream and logs:PutLogEvents; the template has that role, scoped to SNS's
    two groups, and outputs its ARN for the deploy step (SetSMSAttributes). Both groups,
    `sns/<region>/<account>/DirectPublishToPhoneNumber` and its `/Failure`, are subscribed
    to a function of the template: without the first no delivery is seen, without the
    second no failure nor opt-out.

    https://docs.aws.amazon.com/sns/latest/dg/sms_stats_cloudwatch.html
    https://docs.aws.amazon.com/sns/latest/dg/topics-attrib-prereq.html
    https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
    """
    problems = []
    subscribed = {group for _, group, fn in log_subscriptions(t) if fn}
    for group in SNS_SMS_DELIVERY_GROUPS:
        if group not in subscribed:
            problems.append(f"{group}: not subscribed to a function of the template")
    roles = []
    for name, role in sorted(resources(t, "AWS::IAM::Role").items()):
        p = props(role)
        if not any(
            "sns.amazonaws.com" in principals(s) and "sts:assumerole" in actions(s)
            for s in statements(p.get("AssumeRolePolicyDocument"))
        ):
            continue
        granted: dict[str, set[str]] = {}
        for policy in as_list(p.get("Policies")):
            for s in statements((policy or {}).get("PolicyDocument")):
                if s.get("Effect") != "Allow":
                    continue
                for r in as_list(s.get("Resource")):
                    granted.setdefault(text(r), set()).update(actions(s))
        needed = {"logs:createloggroup", "logs:createlogstream", "logs:putlogevents"}
        if all(
            any(r.endswith(f":log-group:{g}:*") and needed <= a for r, a in granted.items())
            for g in SNS_SMS_DELIVERY_GROUPS
        ):
            roles.append(name)
    if not roles:
        problems.append(
            "no role SNS may assume that may write both delivery-status log groups "
            "(logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents)"
        )
    outputs = t.get("Outputs") or {}
    if roles and not any(target(o.get("Value")) in roles for o in outputs.values()):
        problems.append(f"no output gives the delivery-status role's ARN ({roles})")
    return problems


def rule_encrypted_log_groups_are_covered_by_the_key_policy(t: dict) -> list[str]:
    """A log group encrypted with a customer managed key of this template is covered by
    that key's policy: a statement allowing the Regional CloudWatch Logs principal
    (logs.<region>.amazonaws.com) kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*,
    kms:GenerateDataKey* and kms:Describe*, whose kms:EncryptionContext:aws:logs:arn
    pattern matches the group's ARN. Otherwise creating the group fails, or (for a group
    another service writes) every write does.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    """
    import fnmatch

    problems = []
    keys = resources(t, "AWS::KMS::Key")
    encrypted = [
        (name, key, text(props(g).get("LogGroupName")))
        for name, g in sorted(resources(t, "AWS::Logs::LogGroup").items())
        if (key := target(props(g).get("KmsKeyId"))) in keys
    ]
    if not encrypted:
        problems.append("no log group encrypted with a key of the template found")
    needed = {"kms:encrypt*", "kms:decrypt*", "kms:reencrypt*", "kms:generatedatakey*", "kms:describe*"}
    prefix = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
    for name, key, group in encrypted:
        arn = prefix + group
        covered = False
        for s in statements(props(keys[key]).get("KeyPolicy")):
            if s.get("Effect") != "Allow" or "logs.${AWS::Region}.amazonaws.com" not in principals(s):
                continue
            if not needed <= set(actions(s)):
                continue
            patterns = [text(v) for v in condition_values(s, "kms:EncryptionContext:aws:logs:arn")]
            if any(fnmatch.fnmatchcase(arn, p) for p in patterns):
                covered = True
        if not covered:
            problems.append(f"{name}: encrypted with {key}, whose policy does not let CloudWatch Logs use it for {group}")
    return problems


def _dashboard_body(t: dict) -> str:
    bodies = []
    for dashboard in resources(t, "AWS::CloudWatch::Dashboard").values():
        body = props(dashboard).get("DashboardBody")
        if isinstance(body, dict) and "Fn::Sub" in body:
            body = body["Fn::Sub"]
        bodies.append(body if isinstance(body, str) else json.dumps(body))
    return "\n".join(bodies)


def _own_namespace(value: Any) -> bool:
    return isinstance(value, dict) and value.get("Ref") == "AWS::StackName"


def rule_own_metrics_are_graphed_in_the_stacks_namespace(t: dict) -> list[str]:
    """The functions write their metrics as embedded-metric-format log lines
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
    into the namespace METRICS_NAMESPACE names; the dashboard and the alarms read the
    stack's name. So every function gets METRICS_NAMESPACE = the stack's name, a
    dashboard exists, it graphs the API's 5xx and latency and every queue's depth, and
    its body reads the stack's namespace."""
    problems = []
    env = (((t.get("Globals") or {}).get("Function") or {}).get("Environment") or {}).get("Variables") or {}
    if not _own_namespace(env.get("METRICS_NAMESPACE")):
        problems.append("Globals: METRICS_NAMESPACE is not the stack's name (!Ref AWS::StackName)")
    for name, fn in resources(t, "AWS::Serverless::Function").items():
        own = ((props(fn).get("Environment") or {}).get("Variables") or {})
        if "METRICS_NAMESPACE" in own and not _own_namespace(own["METRICS_NAMESPACE"]):
            problems.append(f"{name}: METRICS_NAMESPACE is not the stack's name")
    body = _dashboard_body(t)
    if not body:
        return problems + ["no AWS::CloudWatch::Dashboard"]
    if "${AWS::StackName}" not in body:
        problems.append("the dashboard does not read the stack's own namespace")
    for metric in ('"5xx"', '"Latency"'):
        if metric not in body or "${HttpApi}" not in body:
            problems.append(f"the dashboard does not graph the HTTP API's {metric}")
    for queue in resources(t, "AWS::SQS::Queue"):
        if f"${{{queue}.QueueName}}" not in body:
            problems.append(f"the dashboard does not graph the depth of {queue}")
    return problems


def rule_alarms_on_log_metrics_tolerate_late_lines(t: dict) -> list[str]:
    """Metrics made from log lines arrive when Lambda flushes its logs: "If you are using
    Lambda ... consider using 'M out of N' alarms to control the number of datapoints used
    to alarm"
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Alarms.html).
    Every alarm on the stack's own namespace sets DatapointsToAlarm below
    EvaluationPeriods, treats missing data (a quiet hour) as not breaching, pages
    AlarmTopic, and is on a metric the dashboard graphs. The two the operator needs
    exist: reminder lateness and unconfirmed texts."""
    problems = []
    body = _dashboard_body(t)
    watched = set()
    for name, alarm in resources(t, "AWS::CloudWatch::Alarm").items():
        p = props(alarm)
        if not _own_namespace(p.get("Namespace")):
            continue
        watched.add(p.get("MetricName"))
        m, n = p.get("DatapointsToAlarm"), p.get("EvaluationPeriods")
        if not isinstance(m, int) or not isinstance(n, int) or not m < n:
            problems.append(f"{name}: not an M-out-of-N alarm (DatapointsToAlarm {m}, EvaluationPeriods {n})")
        if p.get("TreatMissingData") != "notBreaching":
            problems.append(f"{name}: a quiet period must not breach (TreatMissingData notBreaching)")
        if not notifies(alarm, "AlarmTopic"):
            problems.append(f"{name}: pages nobody (AlarmActions AlarmTopic)")
        if f'"{p.get("MetricName")}"' not in body:
            problems.append(f"{name}: {p.get('MetricName')} is on no dashboard graph")
    for needed in ("ReminderLateSeconds", "TextsUnconfirmed"):
        if needed not in watched:
            problems.append(f"no alarm on {needed}")
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
    rule_public_routes_are_throttled_below_the_default,
    rule_route_settings_name_routes_of_the_api,
    rule_sms_spend_is_alarmed,
    rule_sms_failure_rate_is_alarmed,
    rule_protect_configuration_allows_exactly_the_allowed_countries,
    rule_emails_report_bounces_and_complaints,
    rule_log_subscriptions_may_invoke_their_function,
    rule_sms_delivery_status_is_logged_and_subscribed,
    rule_encrypted_log_groups_are_covered_by_the_key_policy,
    rule_own_metrics_are_graphed_in_the_stacks_namespace,
    rule_alarms_on_log_metrics_tolerate_late_lines,
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
