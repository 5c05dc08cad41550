//! Addresses email cannot reach: SES reports a hard bounce or a complaint (through the
//! configuration set's events), the address is recorded, and from then on it is not
//! emailed again, and the team sees on the conversation that email does not reach this
//! participant (the team's phone is the way left).
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::enums::string_enum;
use crate::domain::DomainError;
use crate::ports::EmailSuppressionStore;

/// Why an address is not emailed any more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailProblem {
    /// The recipient's server refused it for good (a hard bounce).
    Bounced,
    /// The recipient marked one of our emails as spam.
    Complained,
}
string_enum!(EmailProblem { Bounced => "bounced", Complained => "complained" });

/// Whether email reaches a participant, as the team sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    Deliverable,
    Bounced,
    Complained,
}

impl From<Option<EmailProblem>> for EmailStatus {
    fn from(problem: Option<EmailProblem>) -> Self {
        match problem {
            None => Self::Deliverable,
            Some(EmailProblem::Bounced) => Self::Bounced,
            Some(EmailProblem::Complained) => Self::Complained,
        }
    }
}

/// One SES bounce or complaint, as the consumer parsed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailEvent {
    pub problem: EmailProblem,
    /// `Permanent`, `Transient` or `Undetermined` for a bounce; none for a complaint.
    pub bounce_type: Option<String>,
    pub recipients: Vec<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EmailEventReport {
    /// Addresses now suppressed.
    pub suppressed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored: Option<&'static str>,
}

/// Records the event's recipients as unreachable. A bounce that is not permanent (a
/// full mailbox, a server down) is not: SES retries those itself, and only reports
/// them here once it gave up, as `Permanent`.
pub async fn record_email_event<S: EmailSuppressionStore>(
    store: &S,
    event: &EmailEvent,
) -> Result<EmailEventReport, DomainError> {
    if event.problem == EmailProblem::Bounced && event.bounce_type.as_deref() != Some("Permanent") {
        return Ok(EmailEventReport {
            suppressed: 0,
            ignored: Some("not_a_hard_bounce"),
        });
    }
    let mut suppressed = 0;
    for address in &event.recipients {
        let address = normalise(address);
        if address.is_empty() {
            continue;
        }
        store
            .suppress_email(&address, event.problem, event.at)
            .await?;
        suppressed += 1;
    }
    tracing::info!(
        problem = event.problem.as_str(),
        suppressed,
        "email addresses suppressed"
    );
    Ok(EmailEventReport {
        suppressed,
        ignored: None,
    })
}

/// How addresses are compared: trimmed, lower-cased.
pub fn normalise(address: &str) -> String {
    address.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_team_sees_each_problem_by_name() {
        assert_eq!(EmailStatus::from(None), EmailStatus::Deliverable);
        assert_eq!(
            serde_json::to_value(EmailStatus::from(Some(EmailProblem::Complained))).unwrap(),
            "complained"
        );
        assert_eq!(normalise("  Pat@Example.ORG "), "pat@example.org");
    }
}
