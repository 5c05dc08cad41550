//! Consumer of `PanelMessagePosted`: delivers the message to the panel's API with
//! retries and backoff, and records the delivery on the message. When every try fails
//! the invocation fails, so Lambda retries it and then sends it to the DLQ.
use chrono::{DateTime, Utc};
use serde_json::Value;
use shared::adapters::dynamodb::DynamoStore;
use shared::domain::panel_chat::{self, RelayPolicy, RelayReport};
use shared::domain::DomainError;
use shared::ports::PanelApi;

pub struct RelayState<P> {
    pub store: DynamoStore,
    pub panel: P,
    pub policy: RelayPolicy,
}

pub async fn handle<P: PanelApi>(
    state: &RelayState<P>,
    event: Value,
) -> Result<RelayReport, DomainError> {
    let detail = event.get("detail").cloned().unwrap_or(Value::Null);
    let text = |name: &str| detail.get(name).and_then(Value::as_str).map(str::to_owned);
    let sent_at = text("sent_at")
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    let (Some(study_id), Some(participant_id), Some(message_id), Some(sent_at)) = (
        text("study_id"),
        text("participant_id"),
        text("message_id"),
        sent_at,
    ) else {
        tracing::warn!("PanelMessagePosted event without its keys; ignored");
        return Ok(RelayReport {
            outcome: "malformed_event",
            attempts: 0,
        });
    };
    panel_chat::relay_message(
        &state.store,
        &state.panel,
        &state.policy,
        &study_id,
        &participant_id,
        sent_at,
        &message_id,
        Utc::now(),
    )
    .await
}
