"""Each deploy-conformance rule passes on template.yaml and fails on a copy broken the way
the rule exists to catch (a programmatic mutation of the parsed template), and every rule
fails on the template as it was before issue #20 (fixtures/template-before-20.yaml); the
rules of issue #17 also fail on the template as it was before it
(fixtures/template-before-17.yaml).

Run: python -m unittest discover -s infra/conformance -v
"""
import copy
import unittest
from pathlib import Path

import rules

HERE = Path(__file__).resolve().parent
TEMPLATE = rules.load()
BEFORE = rules.load(HERE / "fixtures" / "template-before-20.yaml")
BEFORE_17 = rules.load(HERE / "fixtures" / "template-before-17.yaml")


def broken(mutate):
    t = copy.deepcopy(TEMPLATE)
    mutate(t["Resources"], t)
    return t


def fn_props(r, fn):
    return r[fn]["Properties"]


def key_statements(r):
    return r["MessagingKey"]["Properties"]["KeyPolicy"]["Statement"]


class RuleCase(unittest.TestCase):
    rule = None
    breakages = {}
    # A rule of issue #17: it also fails on the template as it was before that issue.
    issue_17 = False

    def test_passes_on_template_yaml(self):
        if self.rule is None:
            self.skipTest("base class")
        self.assertEqual(type(self).rule(TEMPLATE), [])

    def test_fails_on_each_broken_copy(self):
        if self.rule is None:
            self.skipTest("base class")
        for name, mutate in self.breakages.items():
            with self.subTest(broken=name):
                problems = type(self).rule(broken(mutate))
                self.assertTrue(problems, f"{name}: the rule did not notice")

    def test_fails_on_the_template_before_issue_20(self):
        if self.rule is None:
            self.skipTest("base class")
        self.assertTrue(type(self).rule(BEFORE))

    def test_fails_on_the_template_before_issue_17(self):
        if self.rule is None or not self.issue_17:
            self.skipTest("not a rule of issue #17")
        self.assertTrue(type(self).rule(BEFORE_17))


def drop_statement(sid):
    def mutate(r, _):
        r["MessagingKey"]["Properties"]["KeyPolicy"]["Statement"] = [
            s for s in key_statements(r) if s.get("Sid") != sid
        ]
    return mutate


def unscope_statement(sid):
    def mutate(r, _):
        for s in key_statements(r):
            if s.get("Sid") == sid:
                s.pop("Condition")
    return mutate


class ServiceTopicsUseAKeyTheServiceMayUse(RuleCase):
    rule = rules.rule_service_topics_use_a_key_the_service_may_use
    breakages = {
        "inbound topic on alias/aws/sns": lambda r, _: fn_props(r, "InboundSmsTopic").update(
            KmsMasterKeyId="alias/aws/sns"),
        "alarm topic on alias/aws/sns": lambda r, _: fn_props(r, "AlarmTopic").update(
            KmsMasterKeyId="alias/aws/sns"),
        "no sms-voice grant": drop_statement("EndUserMessagingPublishesInboundTexts"),
        "no cloudwatch grant": drop_statement("CloudWatchAlarmsPublishToTheAlarmTopic"),
        "cloudwatch grant unscoped": unscope_statement("CloudWatchAlarmsPublishToTheAlarmTopic"),
    }


def drop(name):
    return lambda r, _: r.pop(name)


def drop_property(resource, name):
    return lambda r, _: fn_props(r, resource).pop(name)


def set_condition_rule(policy, rule):
    def mutate(r, _):
        s = r[policy]["Properties"]["PolicyDocument"]["Statement"][0]
        s["Condition"] = {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [rule, "Arn"]}}}
    return mutate


class RuleDeadLetterQueuesLetTheirRuleSend(RuleCase):
    rule = rules.rule_rule_dead_letter_queues_let_their_rule_send
    breakages = {
        "no queue policy on the SMS sender's DLQ": drop("SmsSenderDeadLetterQueuePolicy"),
        "panel DLQ policy names the other rule": set_condition_rule(
            "PanelRelayDeadLetterQueuePolicy", "SmsSenderFunctionSmsRequested"),
        "a rule without a DLQ": lambda r, _: fn_props(r, "PanelRelayFunction")["Events"][
            "PanelMessagePosted"]["Properties"].pop("DeadLetterConfig"),
    }


def drop_sqs_grant(fn, queue):
    def mutate(r, _):
        for policy in fn_props(r, fn)["Policies"]:
            policy["Statement"] = [
                s for s in policy["Statement"]
                if not (s.get("Action") == "sqs:SendMessage"
                        and rules.target(s.get("Resource")) == queue)
            ]
    return mutate


class AsyncFunctionsBoundAgeAndKeepFailures(RuleCase):
    rule = rules.rule_async_functions_bound_age_and_keep_failures
    breakages = {
        "dispatcher without EventInvokeConfig": drop_property(
            "ReminderDispatcherFunction", "EventInvokeConfig"),
        "STOP handler keeps Lambda's 6-hour default": lambda r, _: fn_props(
            r, "SmsInboundFunction")["EventInvokeConfig"].pop("MaximumEventAgeInSeconds"),
        "sender without an on-failure destination": lambda r, _: fn_props(
            r, "SmsSenderFunction")["EventInvokeConfig"].pop("DestinationConfig"),
        "relay may not send to its destination": drop_sqs_grant(
            "PanelRelayFunction", "PanelRelayDeadLetterQueue"),
        "delivery-status consumer (invoked by CloudWatch Logs) without EventInvokeConfig":
            drop_property("SmsDeliveryStatusFunction", "EventInvokeConfig"),
    }


def schedule(r):
    return fn_props(r, "ReminderDispatcherFunction")["Events"]["EveryMinute"]["Properties"]


class SchedulesPassTheirScheduledTime(RuleCase):
    rule = rules.rule_schedules_pass_their_scheduled_time
    breakages = {
        "no Input": lambda r, _: schedule(r).pop("Input"),
        "Input without the scheduled time": lambda r, _: schedule(r).update(
            Input='{"scheduled_time": "now"}'),
        "named after its logical id": lambda r, _: schedule(r).pop("Name"),
    }


class EveryLogGroupHasARetention(RuleCase):
    rule = rules.rule_every_log_group_has_a_retention
    breakages = {
        "a function logging to Lambda's own group": drop_property(
            "SmsInboundFunction", "LoggingConfig"),
        "a log group kept forever": drop_property(
            "ReminderDispatcherLogGroup", "RetentionInDays"),
        "no access log": drop_property("HttpApi", "AccessLogSettings"),
    }


def access_format(r, replace, by):
    s = fn_props(r, "HttpApi")["AccessLogSettings"]
    s["Format"] = s["Format"].replace(replace, by)


class AccessLogNamesTheRouteNeverThePath(RuleCase):
    rule = rules.rule_access_log_names_the_route_never_the_path
    breakages = {
        "raw path (manage tokens) logged": lambda r, _: access_format(
            r, "$context.routeKey", "$context.path"),
        "caller IP logged": lambda r, _: access_format(
            r, "$context.requestId", "$context.requestId $context.identity.sourceIp"),
        "no status": lambda r, _: access_format(r, "$context.status", ""),
    }


class Api5xxIsAlarmed(RuleCase):
    rule = rules.rule_api_5xx_is_alarmed
    breakages = {
        "no 5xx alarm": drop("HttpApi5xxAlarm"),
        "5xx alarm without an action": drop_property("HttpApi5xxAlarm", "AlarmActions"),
    }


class StatefulResourcesAreRetained(RuleCase):
    rule = rules.rule_stateful_resources_are_retained
    breakages = {
        "user pool deleted with the stack": lambda r, _: r["UserPool"].pop("DeletionPolicy"),
        "user pool replaced away": lambda r, _: r["UserPool"].pop("UpdateReplacePolicy"),
        "user pool unprotected": drop_property("UserPool", "DeletionProtection"),
        "number released with the stack": lambda r, _: r["OriginationNumber"].pop(
            "DeletionPolicy"),
        "number unprotected": lambda r, _: fn_props(r, "OriginationNumber").update(
            DeletionProtectionEnabled=False),
        "key deleted with the stack": lambda r, _: r["MessagingKey"].pop("DeletionPolicy"),
    }


class ProdNeedsAnAlarmEmail(RuleCase):
    rule = rules.rule_prod_needs_an_alarm_email
    breakages = {
        "no Rules": lambda _, t: t.pop("Rules"),
        "rule asserts something else": lambda _, t: t["Rules"]["ProdHasAlarmEmail"].update(
            Assertions=[{"Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "SupportEmail"}, ""]}]}}]),
    }


class UniqueNamesCarryTheStackName(RuleCase):
    rule = rules.rule_unique_names_carry_the_stack_name
    breakages = {
        "bus named per stage": lambda r, _: fn_props(r, "EventBus").update(
            Name={"Fn::Sub": "participant-messaging-${Stage}"}),
        "fixed log group name": lambda r, _: fn_props(r, "SmsInboundLogGroup").update(
            LogGroupName="/aws/lambda/sms-inbound"),
    }


def route_settings(r):
    return fn_props(r, "HttpApi")["RouteSettings"]


def route_event(r, fn, event):
    return fn_props(r, fn)["Events"][event]["Properties"]


class PublicRoutesAreThrottledBelowTheDefault(RuleCase):
    rule = rules.rule_public_routes_are_throttled_below_the_default
    issue_17 = True
    breakages = {
        "bookings route loses its RouteSettings": lambda r, _: route_settings(r).pop(
            "POST /public/studies/{share_token}/bookings"),
        "manage page throttled at the default": lambda r, _: route_settings(r)[
            "GET /b/{manage_token}"].update(ThrottlingRateLimit=100),
        "phone-code route sets only a burst": lambda r, _: route_settings(r)[
            "POST /me/phone"].pop("ThrottlingRateLimit"),
        "a new public route without a throttle": lambda r, _: fn_props(
            r, "PublicBookingFunction")["Events"].update(PublicSlots={
                "Type": "HttpApi",
                "Properties": {"ApiId": {"Ref": "HttpApi"}, "Method": "GET",
                               "Path": "/public/studies/{share_token}/slots",
                               "Auth": {"Authorizer": "NONE"}}}),
        "SNS webhook throttled below the default": lambda r, _: route_settings(r).update({
            "POST /webhooks/sms": {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5}}),
        "no DefaultRouteSettings": drop_property("HttpApi", "DefaultRouteSettings"),
    }


class RouteSettingsNameRoutesOfTheApi(RuleCase):
    rule = rules.rule_route_settings_name_routes_of_the_api
    issue_17 = True
    breakages = {
        "route renamed in its event only": lambda r, _: route_event(
            r, "ManageBookingFunction", "ManagePage").update(Path="/m/{manage_token}"),
        "method in lower case": lambda r, _: route_settings(r).update({
            "post /me/phone": route_settings(r).pop("POST /me/phone")}),
        "path parameter renamed": lambda r, _: route_settings(r).update({
            "GET /public/studies/{token}": route_settings(r).pop(
                "GET /public/studies/{share_token}")}),
        "no RouteSettings at all": drop_property("HttpApi", "RouteSettings"),
    }


def alarm(r, name):
    return fn_props(r, name)


class SmsSpendIsAlarmed(RuleCase):
    rule = rules.rule_sms_spend_is_alarmed
    issue_17 = True
    breakages = {
        "no spend alarm": drop("SmsMonthlySpendAlarm"),
        "fixed threshold": lambda r, _: alarm(r, "SmsMonthlySpendAlarm").update(Threshold=50),
        "summed, not Maximum": lambda r, _: alarm(r, "SmsMonthlySpendAlarm").update(
            Statistic="Sum"),
        "notBreaching flaps back to OK": lambda r, _: alarm(r, "SmsMonthlySpendAlarm").update(
            TreatMissingData="notBreaching"),
        "pages nobody": lambda r, _: alarm(r, "SmsMonthlySpendAlarm").pop("AlarmActions"),
        "no parameter": lambda _, t: t["Parameters"].pop("SmsMonthlySpendAlarmUsd"),
    }


def failure_queries(r):
    return alarm(r, "SmsFailureRateAlarm")["Metrics"]


def set_query(query_id, **changes):
    def mutate(r, _):
        for q in failure_queries(r):
            if q["Id"] == query_id:
                q.update(changes)
    return mutate


def set_stat(query_id, **changes):
    def mutate(r, _):
        for q in failure_queries(r):
            if q["Id"] == query_id:
                q["MetricStat"].update(changes)
    return mutate


class SmsFailureRateIsAlarmed(RuleCase):
    rule = rules.rule_sms_failure_rate_is_alarmed
    issue_17 = True
    breakages = {
        "no failure-rate alarm": drop("SmsFailureRateAlarm"),
        "delivered counted as an average": set_stat("delivered", Stat="Average"),
        "sent over another period": set_stat("sent", Period=300),
        "two series returned": set_query("sent", ReturnData=True),
        "expression ignores delivered": set_query(
            "failure_rate", Expression="IF(FILL(sent, 0) >= 10, 100, 0)"),
        "fixed threshold": lambda r, _: alarm(r, "SmsFailureRateAlarm").update(Threshold=20),
        "pages nobody": lambda r, _: alarm(r, "SmsFailureRateAlarm").update(AlarmActions=[]),
        "percent above 100 allowed": lambda _, t: t["Parameters"][
            "SmsFailureRateAlarmPercent"].pop("MaxValue"),
    }


def sms_rules(r):
    return fn_props(r, "SmsProtectConfiguration")["CountryRuleSet"]["SMS"]


class ProtectConfigurationAllowsExactlyTheAllowedCountries(RuleCase):
    rule = rules.rule_protect_configuration_allows_exactly_the_allowed_countries
    issue_17 = True
    breakages = {
        "no protect configuration": drop("SmsProtectConfiguration"),
        "a third country allowed": lambda r, _: sms_rules(r).append(
            {"CountryCode": "MX", "ProtectStatus": "ALLOW"}),
        "Canada missing": lambda r, _: sms_rules(r).pop(),
        "a country only monitored": lambda r, _: sms_rules(r).append(
            {"CountryCode": "GB", "ProtectStatus": "MONITOR"}),
        "applies whatever SmsAllowedCountries says": lambda r, _: r[
            "SmsProtectConfiguration"].pop("Condition"),
        "condition for other countries": lambda _, t: t["Conditions"].update(
            SmsCountriesAreUsAndCanada={"Fn::Equals": [{"Ref": "SmsAllowedCountries"}, "US"]}),
        "parameter default changed": lambda _, t: t["Parameters"][
            "SmsAllowedCountries"].update(Default="US"),
        "id not in the outputs": lambda _, t: t["Outputs"].pop("SmsProtectConfigurationId"),
        "blocks page nobody": drop("SmsBlockedByProtectAlarm"),
    }


def set_prop(resource, **values):
    return lambda r, _: r[resource]["Properties"].update(values)


class LogSubscriptionsMayInvokeTheirFunction(RuleCase):
    rule = rules.rule_log_subscriptions_may_invoke_their_function
    breakages = {
        "no permission for the failure group": drop("SmsDeliveryStatusInvokedByFailureLogs"),
        "permission for another group": set_prop(
            "SmsDeliveryStatusInvokedBySuccessLogs",
            SourceArn={"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:other:*"}),
        "permission for another principal": set_prop(
            "SmsDeliveryStatusInvokedByFailureLogs", Principal="events.amazonaws.com"),
        "permission without SourceAccount": lambda r, _: r[
            "SmsDeliveryStatusInvokedBySuccessLogs"]["Properties"].pop("SourceAccount"),
        "filter created before its permission": lambda r, _: r[
            "SmsDeliveryFailureSubscription"].pop("DependsOn"),
    }


def role_policy(r):
    return r["SmsDeliveryLogsRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]


class SmsDeliveryStatusIsLoggedAndSubscribed(RuleCase):
    rule = rules.rule_sms_delivery_status_is_logged_and_subscribed
    breakages = {
        "failures not subscribed": drop("SmsDeliveryFailureSubscription"),
        "successes not subscribed": drop("SmsDeliverySuccessSubscription"),
        "role SNS cannot assume": lambda r, _: r["SmsDeliveryLogsRole"]["Properties"][
            "AssumeRolePolicyDocument"]["Statement"][0].update(
                Principal={"Service": "lambda.amazonaws.com"}),
        "role cannot write events": lambda r, _: role_policy(r).update(
            Action=["logs:CreateLogGroup", "logs:CreateLogStream"]),
        "role scoped to the success group only": lambda r, _: role_policy(r).update(
            Resource=role_policy(r)["Resource"][:1]),
        "role not in the outputs": lambda _, t: t["Outputs"].pop("SmsDeliveryLogsRoleArn"),
    }


def key_logs_statement(r):
    return next(s for s in key_statements(r) if s.get("Sid") == "CloudWatchLogsEncryptsThisStacksLogGroups")


class EncryptedLogGroupsAreCoveredByTheKeyPolicy(RuleCase):
    rule = rules.rule_encrypted_log_groups_are_covered_by_the_key_policy
    breakages = {
        "SNS's failure group not in the key policy": lambda r, _: key_logs_statement(r)[
            "Condition"]["ArnLike"].update({"kms:EncryptionContext:aws:logs:arn": key_logs_statement(
                r)["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"][:3]}),
        "no logs grant in the key policy": drop_statement("CloudWatchLogsEncryptsThisStacksLogGroups"),
        "logs grant without GenerateDataKey": lambda r, _: key_logs_statement(r).update(
            Action=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:Describe*"]),
        "a function's group renamed outside the pattern": lambda r, _: r[
            "SmsDeliveryStatusLogGroup"]["Properties"].update(LogGroupName="sms-delivery-status"),
    }


def dashboard_body(r):
    return r["OperationsDashboard"]["Properties"]["DashboardBody"]


def replace_in_body(old, new):
    def mutate(r, _):
        body = dashboard_body(r)
        body["Fn::Sub"] = body["Fn::Sub"].replace(old, new)
    return mutate


class OwnMetricsAreGraphedInTheStacksNamespace(RuleCase):
    rule = rules.rule_own_metrics_are_graphed_in_the_stacks_namespace
    breakages = {
        "no namespace for the functions": lambda _, t: t["Globals"]["Function"]["Environment"][
            "Variables"].pop("METRICS_NAMESPACE"),
        "a fixed namespace": lambda _, t: t["Globals"]["Function"]["Environment"][
            "Variables"].update(METRICS_NAMESPACE="Rally"),
        "no dashboard": drop("OperationsDashboard"),
        "the dashboard reads another namespace": replace_in_body("${AWS::StackName}", "Rally"),
        "a dead-letter queue not graphed": replace_in_body(
            "${SmsInboundDeadLetterQueue.QueueName}", "sms-inbound-dlq"),
        "no API latency": replace_in_body('"Latency"', '"IntegrationLatency"'),
    }


class AlarmsOnLogMetricsTolerateLateLines(RuleCase):
    rule = rules.rule_alarms_on_log_metrics_tolerate_late_lines
    breakages = {
        "one datapoint of one period": lambda r, _: alarm(r, "ReminderLatenessAlarm").update(
            EvaluationPeriods=1),
        "no DatapointsToAlarm": lambda r, _: alarm(r, "TextsUnconfirmedAlarm").pop(
            "DatapointsToAlarm"),
        "a quiet hour breaches": lambda r, _: alarm(r, "TextsUnconfirmedAlarm").update(
            TreatMissingData="breaching"),
        "pages nobody": lambda r, _: alarm(r, "ReminderLatenessAlarm").pop("AlarmActions"),
        "no lateness alarm": drop("ReminderLatenessAlarm"),
        "no unconfirmed-texts alarm": drop("TextsUnconfirmedAlarm"),
        "an alarm on a metric no graph shows": lambda r, _: alarm(r, "TextsUnconfirmedAlarm").update(
            MetricName="TextsLost"),
    }


class EveryRuleHasATest(unittest.TestCase):
    def test_every_rule_is_tested_and_names_its_aws_page(self):
        tested = {c.rule for c in RuleCase.__subclasses__()}
        for rule in rules.RULES:
            self.assertIn(rule, tested, rule.__name__)
            self.assertIn("https://docs.aws.amazon.com/", rule.__doc__ or "", rule.__name__)


if __name__ == "__main__":
    unittest.main()


def send_email_statement(r, fn):
    for policy in fn_props(r, fn)["Policies"]:
        for st in policy.get("Statement", []):
            if st.get("Action") == "ses:SendEmail":
                return st
    raise KeyError(fn)


class EmailsReportBouncesAndComplaints(RuleCase):
    rule = rules.rule_emails_report_bounces_and_complaints
    breakages = {
        "the destination on a custom bus": lambda r, _: r["EmailConfigurationSetEvents"][
            "Properties"]["EventDestination"]["EventBridgeDestination"].update(
                EventBusArn={"Fn::GetAtt": ["EventBus", "Arn"]}),
        "complaints not published": lambda r, _: r["EmailConfigurationSetEvents"][
            "Properties"]["EventDestination"].update(MatchingEventTypes=["bounce"]),
        "emails sent without the configuration set": lambda r, t: t["Globals"]["Function"][
            "Environment"]["Variables"].pop("SES_CONFIGURATION_SET"),
        "a sender allowed the identity only": lambda r, _: send_email_statement(
            r, "ConversationsApiFunction").update(
                Resource=send_email_statement(r, "ConversationsApiFunction")["Resource"][:1]),
        "nobody consumes complaints": lambda r, _: fn_props(r, "EmailEventsFunction")[
            "Events"]["BounceOrComplaint"]["Properties"]["Pattern"].update(
                {"detail-type": ["Email Bounced"]}),
    }
