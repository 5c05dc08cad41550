//! Local delivery of EventBridge events and schedules, as the template wires them.
//! Rules are created in the emulator on the template's bus with the template's
//! pattern, targeting an SQS queue the local stack polls and hands to the consumer, so
//! events travel through the real EventBridge API. Schedules run on `/_dev/tick` (and
//! once a minute under `make dev`) with the event `time` the caller chooses.
use aws_sdk_sqs::types::QueueAttributeName;
use serde_json::{json, Value};
use std::time::Duration;

use crate::functions::WorkerHandler;
use crate::provision::LocalResources;
use crate::template::{intrinsic, Template};
use crate::StackError;

fn wiring_error(function: &str, detail: impl std::fmt::Display) -> StackError {
    StackError::Wiring {
        function: function.to_owned(),
        detail: detail.to_string(),
    }
}

/// An AWS call of the wiring that failed, with the SDK's whole error chain.
fn sdk_error(function: &str, e: &(impl std::error::Error + 'static)) -> StackError {
    wiring_error(function, aws_sdk_sqs::error::DisplayErrorContext(e))
}

/// Creates each `EventBridgeRule` event's rule and starts delivering to its function.
pub async fn wire_rules(
    sdk: &aws_config::SdkConfig,
    template: &Template,
    resources: &LocalResources,
    prefix: &str,
    handler_for: impl Fn(&str) -> Option<WorkerHandler>,
) -> Result<(), StackError> {
    let events = aws_sdk_eventbridge::Client::new(sdk);
    let sqs = aws_sdk_sqs::Client::new(sdk);
    for (index, (function, props)) in template
        .function_events("EventBridgeRule")
        .into_iter()
        .enumerate()
    {
        let handler =
            handler_for(&function).ok_or_else(|| StackError::MissingHandler(function.clone()))?;
        let bus = match props.get("EventBusName").and_then(intrinsic) {
            Some((name, arg)) if name == "Ref" => resources
                .refs
                .get(arg.as_str().unwrap_or_default())
                .cloned()
                .ok_or_else(|| {
                    wiring_error(&function, "EventBusName names no bus of the template")
                })?,
            _ => "default".to_owned(),
        };
        let pattern: Value = props
            .get("Pattern")
            .map(|p| serde_json::to_value(p).unwrap_or(Value::Null))
            .ok_or_else(|| wiring_error(&function, "rule without Pattern"))?;
        let queue_name = format!("{prefix}{function}-rule{index}");
        let queue_url = sqs
            .create_queue()
            .queue_name(&queue_name)
            .attributes(QueueAttributeName::VisibilityTimeout, "5")
            .send()
            .await
            .map_err(|e| sdk_error(&function, &e))?
            .queue_url
            .unwrap_or_default();
        let queue_arn = sqs
            .get_queue_attributes()
            .queue_url(&queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| sdk_error(&function, &e))?
            .attributes
            .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
            .unwrap_or_default();
        let rule = format!("{prefix}{function}-{index}");
        events
            .put_rule()
            .name(&rule)
            .event_bus_name(&bus)
            .event_pattern(pattern.to_string())
            .send()
            .await
            .map_err(|e| sdk_error(&function, &e))?;
        events
            .put_targets()
            .rule(&rule)
            .event_bus_name(&bus)
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("local-stack")
                    .arn(queue_arn)
                    .build()
                    .map_err(|e| wiring_error(&function, e))?,
            )
            .send()
            .await
            .map_err(|e| sdk_error(&function, &e))?;
        tokio::spawn(deliver(sqs.clone(), queue_url, function, handler));
    }
    Ok(())
}

/// Polls one rule's queue and invokes the consumer with each event, as Lambda would;
/// a failed invocation is retried when the message becomes visible again.
async fn deliver(
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
    function: String,
    handler: WorkerHandler,
) {
    loop {
        let received = sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await;
        let messages = match received {
            Ok(out) => out.messages.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(function = %function, error = %aws_sdk_sqs::error::DisplayErrorContext(&e), "local event delivery: receive failed");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        for message in messages {
            let event: Value = message
                .body()
                .and_then(|b| serde_json::from_str(b).ok())
                .unwrap_or(Value::Null);
            match handler(event).await {
                Ok(_) => {
                    if let Some(receipt) = message.receipt_handle() {
                        let _ = sqs
                            .delete_message()
                            .queue_url(&queue_url)
                            .receipt_handle(receipt)
                            .send()
                            .await;
                    }
                }
                Err(e) => {
                    tracing::error!(function = %function, error = %e, "local event delivery: the consumer failed; it will be retried")
                }
            }
        }
    }
}

/// The topic AWS End User Messaging publishes inbound texts to, in the template.
pub const INBOUND_SMS_TOPIC: &str = "InboundSmsTopic";

/// The SNS event Lambda hands a subscriber, carrying one End User Messaging two-way
/// SMS notification.
pub fn inbound_sms_event(
    topic_arn: &str,
    from: &str,
    to: &str,
    body: &str,
    inbound_message_id: &str,
    timestamp: chrono::DateTime<chrono::Utc>,
) -> Value {
    let notification = json!({
        "originationNumber": from,
        "destinationNumber": to,
        "messageKeyword": "KEYWORD_000000000000",
        "messageBody": body,
        "inboundMessageId": inbound_message_id,
        "previousPublishedMessageId": null,
    });
    json!({
        "Records": [{
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "EventSubscriptionArn": format!("{topic_arn}:local"),
            "Sns": {
                "Type": "Notification",
                "MessageId": uuid::Uuid::new_v4().to_string(),
                "TopicArn": topic_arn,
                "Subject": null,
                "Message": notification.to_string(),
                "Timestamp": timestamp.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "SignatureVersion": "1",
                "Signature": "",
                "SigningCertUrl": "",
                "UnsubscribeUrl": "",
                "MessageAttributes": {},
            }
        }]
    })
}

/// The template's scheduled functions (`Schedule` and `ScheduleV2` events), each with its
/// EventBridge Scheduler `Input` where the template gives one.
pub fn scheduled_functions(template: &Template) -> Vec<(String, Option<String>)> {
    let mut functions: Vec<(String, Option<String>)> = ["Schedule", "ScheduleV2"]
        .iter()
        .flat_map(|kind| template.function_events(kind))
        .map(|(function, props)| {
            let input = props
                .get("Input")
                .and_then(|i| i.as_str())
                .map(str::to_owned);
            (function, input)
        })
        .collect();
    functions.dedup_by(|a, b| a.0 == b.0);
    functions
}

/// The event `/_dev/tick` hands a scheduled function. With a Scheduler `Input` (the
/// dispatcher's, in template.yaml), that input as Scheduler delivers it: the target
/// receives the input itself, its context attributes substituted (EventBridge
/// Scheduler user guide, "Adding context attributes"), not an EventBridge envelope.
/// Without one, the EventBridge envelope of a `Schedule` rule.
pub fn scheduled_run(input: Option<&str>, time: chrono::DateTime<chrono::Utc>) -> Value {
    let Some(input) = input else {
        return scheduled_event(time);
    };
    let delivered = input
        .replace(
            "<aws.scheduler.scheduled-time>",
            &time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
        .replace(
            "<aws.scheduler.schedule-arn>",
            "arn:aws:scheduler:us-east-1:000000000000:schedule/default/local-stack",
        )
        .replace(
            "<aws.scheduler.execution-id>",
            &uuid::Uuid::new_v4().simple().to_string()[..16],
        )
        .replace("<aws.scheduler.attempt-number>", "1");
    serde_json::from_str(&delivered).unwrap_or_else(|e| {
        tracing::error!(error = %e, "the template's schedule Input is not JSON once filled in");
        scheduled_event(time)
    })
}

/// An EventBridge scheduled-rule envelope with `time` set.
pub fn scheduled_event(time: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "version": "0",
        "id": uuid::Uuid::new_v4().to_string(),
        "detail-type": "Scheduled Event",
        "source": "aws.scheduler",
        "account": "000000000000",
        "time": time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "region": "us-east-1",
        "resources": [],
        "detail": {},
    })
}

#[cfg(test)]
mod schedule_input_tests {
    use crate::template::Template;
    use reminder_dispatcher::{run_time, ScheduledRun, TimeSource};

    /// On AWS the dispatcher receives the schedule's `Input` with EventBridge Scheduler's
    /// context attributes substituted (not an EventBridge envelope): the template's input,
    /// filled in as Scheduler fills it, must give the dispatcher the scheduled time.
    #[test]
    fn the_templates_schedule_input_carries_the_scheduled_time_to_the_dispatcher() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../template.yaml");
        let template = Template::load(&path).expect("template");
        let inputs: Vec<String> = template
            .function_events("ScheduleV2")
            .into_iter()
            .filter(|(function, _)| function == "ReminderDispatcherFunction")
            .filter_map(|(_, props)| props.get("Input")?.as_str().map(str::to_owned))
            .collect();
        assert_eq!(inputs.len(), 1, "the dispatcher's schedule has one Input");
        let delivered = inputs[0]
            .replace("<aws.scheduler.scheduled-time>", "2026-12-01T14:45:00Z")
            .replace(
                "<aws.scheduler.schedule-arn>",
                "arn:aws:scheduler:us-east-1:123456789012:schedule/default/stack-reminder-dispatcher",
            )
            .replace("<aws.scheduler.execution-id>", "d32c5kddcf5bb8c3")
            .replace("<aws.scheduler.attempt-number>", "1");
        let event: ScheduledRun =
            serde_json::from_str(&delivered).expect("the input is the dispatcher's event");
        let (time, source) = run_time(&event);
        assert_eq!(source, TimeSource::Schedule);
        assert_eq!(time.to_rfc3339(), "2026-12-01T14:45:00+00:00");
    }

    /// `/_dev/tick` hands the dispatcher what Scheduler would: its Input, filled in.
    #[test]
    fn the_local_tick_hands_over_the_schedule_input() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../template.yaml");
        let template = Template::load(&path).expect("template");
        let (_, input) = super::scheduled_functions(&template)
            .into_iter()
            .find(|(function, _)| function == "ReminderDispatcherFunction")
            .expect("the dispatcher is scheduled");
        let at: chrono::DateTime<chrono::Utc> = "2026-12-01T14:45:00Z".parse().unwrap();
        let event = super::scheduled_run(input.as_deref(), at);
        assert!(event.get("detail-type").is_none(), "an envelope: {event}");
        let run: ScheduledRun = serde_json::from_value(event).unwrap();
        let (time, source) = run_time(&run);
        assert_eq!(source, TimeSource::Schedule);
        assert_eq!(time, at);
    }
}
