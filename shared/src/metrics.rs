//! Metrics for the operator's dashboard, taken from the log lines the code already
//! writes: a [`tracing`] layer that, for each event a [`Rule`] names, writes one line
//! in CloudWatch's embedded metric format beside it ("Specification: Embedded metric
//! format", CloudWatch User Guide: a JSON object with `_aws.Timestamp` and
//! `_aws.CloudWatchMetrics`, the dimension and metric values as top-level members).
//! CloudWatch Logs turns each such line into metric data points: no API call, nothing
//! added to a request's path but one line of output.
//!
//! One owner: the dashboard (`template.yaml`, `OperationsDashboard`) names only metrics
//! these rules produce, and a test reads both. Dimensions carry kinds, reasons, routes
//! and outcomes, never an id, a phone number, an address or a text.
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};

/// Where a dimension's value, or the metric's value, comes from.
#[derive(Clone, Copy, Debug)]
pub enum Take {
    /// The event's field of that name.
    Field(&'static str),
    /// A fixed value.
    Fixed(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Count,
    Seconds,
}

impl Unit {
    fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Seconds => "Seconds",
        }
    }
}

/// One metric taken from one kind of log event.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The event's message, exactly.
    pub message: &'static str,
    /// Only events whose target starts with this.
    pub target: &'static str,
    /// Only when this field has this value.
    pub when: Option<(&'static str, &'static str)>,
    pub metric: &'static str,
    pub unit: Unit,
    /// The metric is published by these dimensions and also without any (the total,
    /// which the alarms watch).
    pub dimensions: Dims,
    /// `None`: 1 an event.
    pub value: Option<&'static str>,
}

/// Dimensions by name, and where each takes its value.
pub type Dims = &'static [(&'static str, Take)];

const fn count(message: &'static str, metric: &'static str, dimensions: Dims) -> Rule {
    Rule {
        message,
        target: "shared::",
        when: None,
        metric,
        unit: Unit::Count,
        dimensions,
        value: None,
    }
}

// The dimensions rules publish by, each named once.
const BY_KIND: Dims = &[("Kind", Take::Field("kind"))];
const BY_REASON: Dims = &[("Reason", Take::Field("reason"))];
const BY_CARRIER_STATUS: Dims = &[("Status", Take::Field("delivery_status"))];
const BY_READING: Dims = &[("Reading", Take::Field("intent"))];
const BY_SOURCE: Dims = &[("Source", Take::Field("source"))];
const BY_ROUTE: Dims = &[("Route", Take::Field("route"))];
const NEW_MESSAGE: Dims = &[("Email", Take::Fixed("new_message"))];
const TEAM_REPLY: Dims = &[("Email", Take::Fixed("team_reply"))];
const SUPPORT_REQUEST: Dims = &[("Email", Take::Fixed("support_request"))];

/// Every metric the code emits.
pub const RULES: &[Rule] = &[
    count("sms sent", "TextsSent", BY_KIND),
    Rule {
        when: Some(("kind", "reminder")),
        unit: Unit::Seconds,
        value: Some("late_seconds"),
        ..count("sms sent", "ReminderLateSeconds", &[])
    },
    Rule {
        when: Some(("unconfirmed", "false")),
        ..count("sms failed; not resent", "TextsFailed", BY_KIND)
    },
    Rule {
        when: Some(("unconfirmed", "true")),
        ..count("sms failed; not resent", "TextsUnconfirmed", BY_KIND)
    },
    count(
        "sms claim never finished: marked failed (unconfirmed) and reported; not resent",
        "TextsUnconfirmed",
        BY_KIND,
    ),
    count("sms suppressed", "TextsSuppressed", BY_REASON),
    Rule {
        value: Some("late"),
        ..count(
            "texts cannot all leave on time at the sender's rate",
            "TextsPlannedLate",
            &[],
        )
    },
    count("carrier outcome", "CarrierOutcomes", BY_CARRIER_STATUS),
    count("inbound text", "InboundTexts", BY_READING),
    count("opt-out recorded", "OptOuts", BY_SOURCE),
    count("notification email sent", "EmailsSent", NEW_MESSAGE),
    count("reply email sent", "EmailsSent", TEAM_REPLY),
    count("support request emailed", "EmailsSent", SUPPORT_REQUEST),
    count(
        "participant's address bounced or complained; not emailed",
        "EmailsSuppressed",
        NEW_MESSAGE,
    ),
    count(
        "member's address bounced or complained; not emailed",
        "EmailsSuppressed",
        TEAM_REPLY,
    ),
    Rule {
        target: "shared::http",
        ..count("failed", "ApiErrors", BY_ROUTE)
    },
];

/// The metrics namespace: `METRICS_NAMESPACE` (the template sets the stack's name), or
/// `ResearchMessaging`.
pub fn namespace() -> String {
    std::env::var("METRICS_NAMESPACE")
        .ok()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "ResearchMessaging".to_owned())
}

/// The event's fields as text.
#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.push((field.name().to_owned(), value.to_string()));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.push((field.name().to_owned(), value.to_string()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.push((field.name().to_owned(), value.to_string()));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.push((field.name().to_owned(), value.to_string()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

/// The embedded-metric-format lines one event gives (none for most events).
pub fn lines_for(
    message: &str,
    target: &str,
    field: &dyn Fn(&str) -> Option<String>,
    namespace: &str,
    timestamp_ms: u64,
) -> Vec<String> {
    RULES
        .iter()
        .filter(|r| r.message == message && target.starts_with(r.target))
        .filter(|r| {
            r.when
                .is_none_or(|(name, want)| field(name).as_deref() == Some(want))
        })
        .filter_map(|rule| {
            let value: f64 = match rule.value {
                None => 1.0,
                Some(name) => field(name)?.parse().ok()?,
            };
            let mut root = Map::new();
            let mut keys = Vec::new();
            for (name, from) in rule.dimensions {
                let v = match from {
                    Take::Field(f) => field(f)?,
                    Take::Fixed(v) => (*v).to_owned(),
                };
                root.insert((*name).to_owned(), Value::String(v));
                keys.push(*name);
            }
            let sets: Vec<Vec<&str>> = if keys.is_empty() {
                vec![Vec::new()]
            } else {
                vec![keys, Vec::new()]
            };
            root.insert(rule.metric.to_owned(), json!(value));
            root.insert(
                "_aws".to_owned(),
                json!({
                    "Timestamp": timestamp_ms,
                    "CloudWatchMetrics": [{
                        "Namespace": namespace,
                        "Dimensions": sets,
                        "Metrics": [{"Name": rule.metric, "Unit": rule.unit.as_str()}],
                    }],
                }),
            );
            Some(Value::Object(root).to_string())
        })
        .collect()
}

/// The layer that writes the metric lines, to `writer`.
pub struct EmfLayer<W> {
    writer: W,
    namespace: String,
}

impl<W> EmfLayer<W> {
    pub fn new(writer: W) -> Self {
        Self {
            writer,
            namespace: namespace(),
        }
    }
}

impl<S, W> Layer<S> for EmfLayer<W>
where
    S: Subscriber,
    W: for<'a> MakeWriter<'a> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let target = event.metadata().target();
        if !target.starts_with("shared::") {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let Some(message) = fields.get("message").map(str::to_owned) else {
            return;
        };
        if !RULES.iter().any(|r| r.message == message) {
            return;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or_default();
        let field = |name: &str| fields.get(name).map(str::to_owned);
        for line in lines_for(&message, target, &field, &self.namespace, now) {
            let mut out = self.writer.make_writer();
            let _ = out.write_all(format!("{line}\n").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn a_sent_reminder_is_counted_by_kind_and_its_lateness_measured() {
        let lines = lines_for(
            "sms sent",
            "shared::domain::sms::dispatch",
            &fields(&[("kind", "reminder"), ("late_seconds", "4")]),
            "Rally-prod",
            1_733_390_000_000,
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        let sent: Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(sent["TextsSent"], 1.0);
        assert_eq!(sent["Kind"], "reminder");
        let directive = &sent["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "Rally-prod");
        assert_eq!(directive["Dimensions"], json!([["Kind"], []]));
        assert_eq!(directive["Metrics"][0]["Name"], "TextsSent");
        assert_eq!(sent["_aws"]["Timestamp"], 1_733_390_000_000u64);
        let late: Value = serde_json::from_str(&lines[1]).unwrap();
        assert_eq!(late["ReminderLateSeconds"], 4.0);
        assert_eq!(
            late["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"],
            "Seconds"
        );
        // A confirmation has no reminder lateness.
        let lines = lines_for(
            "sms sent",
            "shared::domain::sms::dispatch",
            &fields(&[("kind", "confirmation"), ("late_seconds", "0")]),
            "ns",
            0,
        );
        assert_eq!(lines.len(), 1);
    }

    #[test]
    fn a_failure_is_failed_or_unconfirmed_by_its_field() {
        let line = |unconfirmed: &'static str| {
            let pairs: &'static [(&'static str, &'static str)] = if unconfirmed == "true" {
                &[("kind", "reminder"), ("unconfirmed", "true")]
            } else {
                &[("kind", "reminder"), ("unconfirmed", "false")]
            };
            lines_for(
                "sms failed; not resent",
                "shared::x",
                &fields(pairs),
                "ns",
                0,
            )
        };
        assert!(line("true")[0].contains("\"TextsUnconfirmed\":1"));
        assert!(line("false")[0].contains("\"TextsFailed\":1"));
    }

    #[test]
    fn other_events_and_other_targets_give_nothing() {
        let none = fields(&[]);
        assert!(lines_for("conversation started", "shared::x", &none, "ns", 0).is_empty());
        // "failed" counts only from the HTTP layer.
        assert!(lines_for(
            "failed",
            "shared::domain::x",
            &fields(&[("route", "GET /a")]),
            "ns",
            0
        )
        .is_empty());
        assert_eq!(
            lines_for(
                "failed",
                "shared::http::response",
                &fields(&[("route", "GET /a")]),
                "ns",
                0
            )
            .len(),
            1
        );
        // A field a rule needs is missing: no line rather than a wrong one.
        assert!(lines_for("sms sent", "shared::x", &none, "ns", 0).is_empty());
    }
}
