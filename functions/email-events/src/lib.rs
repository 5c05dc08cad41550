//! Consumer of SES's "Email Bounced" and "Email Complaint Received" events (EventBridge,
//! source `aws.ses`, published by the template's configuration set): parses the event
//! record into an `EmailEvent`, hands it to
//! `shared::domain::messaging::reachability::record_email_event` and returns what it
//! did. A storage error fails the invocation, so EventBridge retries it (recording is
//! idempotent) and finally dead-letters it.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::aws_events::{is_from, EventBridgeEvent, Handled};
use shared::domain::messaging::reachability::{self, EmailEvent, EmailEventReport, EmailProblem};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The event this function takes: EventBridge's envelope around SES's event record.
pub type Envelope = EventBridgeEvent<SesRecord>;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesRecord {
    pub event_type: String,
    #[serde(default)]
    pub bounce: Option<Bounce>,
    #[serde(default)]
    pub complaint: Option<Complaint>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bounce {
    pub bounce_type: String,
    #[serde(default)]
    pub bounced_recipients: Vec<Recipient>,
    #[serde(default)]
    pub timestamp: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Complaint {
    #[serde(default)]
    pub complained_recipients: Vec<Recipient>,
    #[serde(default)]
    pub timestamp: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub email_address: String,
}

/// The event, if it is a bounce or a complaint with its details.
pub fn email_event(envelope: Envelope) -> Option<EmailEvent> {
    let fallback = envelope.time.unwrap_or_else(Utc::now);
    let SesRecord {
        event_type,
        bounce,
        complaint,
    } = envelope.detail;
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

pub type Report = Handled<EmailEventReport>;

pub async fn handle(state: &WorkerState, envelope: Envelope) -> Result<Report, DomainError> {
    if !is_from(
        &envelope,
        "aws.ses",
        &["Email Bounced", "Email Complaint Received"],
    ) {
        return Ok(Report::Ignored {
            ignored: "other_event",
        });
    }
    let Some(event) = email_event(envelope) else {
        return Ok(Report::Ignored {
            ignored: "no_recipients",
        });
    };
    Ok(Report::Done(
        reachability::record_email_event(&state.store, &event).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> serde_json::Value {
        let path = format!(
            "{}/../../tests/fixtures/ses-events/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    #[test]
    fn the_documented_records_parse_into_email_events() {
        let bounce: Envelope = serde_json::from_value(fixture("bounce")).unwrap();
        let event = email_event(bounce).unwrap();
        assert_eq!(event.problem, EmailProblem::Bounced);
        assert_eq!(event.bounce_type.as_deref(), Some("Permanent"));
        assert_eq!(event.recipients, ["recipient@example.com"]);
        assert_eq!(event.at.to_rfc3339(), "2017-08-05T00:41:02.669+00:00");
        let complaint: Envelope = serde_json::from_value(fixture("complaint")).unwrap();
        let event = email_event(complaint).unwrap();
        assert_eq!(event.problem, EmailProblem::Complained);
        assert_eq!(event.recipients, ["recipient@example.com"]);
        let soft: Envelope = serde_json::from_value(fixture("transient-bounce")).unwrap();
        assert_eq!(
            email_event(soft).unwrap().bounce_type.as_deref(),
            Some("Transient")
        );
    }
}
