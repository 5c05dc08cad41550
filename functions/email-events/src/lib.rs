//! Consumer of SES's "Email Bounced" and "Email Complaint Received" events (EventBridge,
//! source `aws.ses`, published by the template's configuration set): parses the event
//! record into an `EmailEvent`, hands it to
//! `shared::domain::messaging::reachability::record_email_event` and returns what it
//! did. A storage error fails the invocation, so EventBridge retries it (recording is
//! idempotent) and finally dead-letters it.
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use shared::domain::messaging::reachability::{self, EmailEvent, EmailEventReport, EmailProblem};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The EventBridge envelope, as far as this function reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Envelope {
    pub source: String,
    pub detail_type: String,
    #[serde(default)]
    pub time: Option<DateTime<Utc>>,
    pub detail: SesRecord,
}

/// An SES event record ("Contents of event data that Amazon SES publishes"; the same
/// record is the `detail` of the EventBridge event). Only the fields used are read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesRecord {
    pub event_type: String,
    #[serde(default)]
    pub bounce: Option<Bounce>,
    #[serde(default)]
    pub complaint: Option<Complaint>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bounce {
    pub bounce_type: String,
    #[serde(default)]
    pub bounced_recipients: Vec<Recipient>,
    #[serde(default)]
    pub timestamp: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Complaint {
    #[serde(default)]
    pub complained_recipients: Vec<Recipient>,
    #[serde(default)]
    pub timestamp: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub email_address: String,
}

impl Envelope {
    /// The event, if it is a bounce or a complaint with its details.
    pub fn into_event(self) -> Option<EmailEvent> {
        let fallback = self.time.unwrap_or_else(Utc::now);
        let SesRecord {
            event_type,
            bounce,
            complaint,
        } = self.detail;
        match (event_type.as_str(), bounce, complaint) {
            ("Bounce", Some(b), _) => Some(EmailEvent {
                problem: EmailProblem::Bounced,
                bounce_type: Some(b.bounce_type),
                recipients: b
                    .bounced_recipients
                    .into_iter()
                    .map(|r| r.email_address)
                    .collect(),
                at: b.timestamp.unwrap_or(fallback),
            }),
            ("Complaint", _, Some(c)) => Some(EmailEvent {
                problem: EmailProblem::Complained,
                bounce_type: None,
                recipients: c
                    .complained_recipients
                    .into_iter()
                    .map(|r| r.email_address)
                    .collect(),
                at: c.timestamp.unwrap_or(fallback),
            }),
            _ => None,
        }
    }
}

#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Report {
    Handled(EmailEventReport),
    Ignored { ignored: &'static str },
}

pub async fn handle(state: &WorkerState, event: Value) -> Result<Report, DomainError> {
    let envelope: Envelope = match serde_json::from_value(event) {
        Ok(envelope) => envelope,
        Err(e) => {
            // Not retried: the same event would fail the same way. Only the parse error
            // (which names fields, not values) is logged.
            tracing::warn!(error = %e, "not an SES bounce or complaint event; ignored");
            return Ok(Report::Ignored {
                ignored: "malformed_event",
            });
        }
    };
    if envelope.source != "aws.ses"
        || !matches!(
            envelope.detail_type.as_str(),
            "Email Bounced" | "Email Complaint Received"
        )
    {
        return Ok(Report::Ignored {
            ignored: "other_event",
        });
    }
    let Some(event) = envelope.into_event() else {
        return Ok(Report::Ignored {
            ignored: "no_recipients",
        });
    };
    Ok(Report::Handled(
        reachability::record_email_event(&state.store, &event).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/../../tests/fixtures/ses-events/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    #[test]
    fn the_documented_records_parse_into_email_events() {
        let bounce: Envelope = serde_json::from_value(fixture("bounce")).unwrap();
        let event = bounce.into_event().unwrap();
        assert_eq!(event.problem, EmailProblem::Bounced);
        assert_eq!(event.bounce_type.as_deref(), Some("Permanent"));
        assert_eq!(event.recipients, ["recipient@example.com"]);
        assert_eq!(event.at.to_rfc3339(), "2017-08-05T00:41:02.669+00:00");
        let complaint: Envelope = serde_json::from_value(fixture("complaint")).unwrap();
        let event = complaint.into_event().unwrap();
        assert_eq!(event.problem, EmailProblem::Complained);
        assert_eq!(event.recipients, ["recipient@example.com"]);
        let soft: Envelope = serde_json::from_value(fixture("transient-bounce")).unwrap();
        assert_eq!(
            soft.into_event().unwrap().bounce_type.as_deref(),
            Some("Transient")
        );
    }
}
