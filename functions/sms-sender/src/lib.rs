//! Consumer of `SmsRequested` events: sends that one intent now, if nobody has yet.
//! A lost or failed event loses nothing: the reminder dispatcher sweeps every due
//! intent each minute.
use serde_json::Value;
use shared::domain::sms::dispatch::{self, SendOutcome};
use shared::domain::DomainError;
use shared::lambda::WorkerState;
use shared::ports::SmsStore;

#[derive(Debug, serde::Serialize)]
pub struct SenderReport {
    pub outcome: &'static str,
}

fn field<'a>(event: &'a Value, name: &str) -> Option<&'a str> {
    event
        .get("detail")
        .and_then(|d| d.get(name))
        .and_then(Value::as_str)
}

pub async fn handle(state: &WorkerState, event: Value) -> Result<SenderReport, DomainError> {
    let (Some(bucket), Some(intent_id)) = (field(&event, "bucket"), field(&event, "intent_id"))
    else {
        tracing::warn!("SmsRequested event without bucket or intent_id; ignored");
        return Ok(SenderReport {
            outcome: "malformed_event",
        });
    };
    let Some(intent) = state.store.find_intent(bucket, intent_id).await? else {
        return Ok(SenderReport {
            outcome: "already_handled",
        });
    };
    let outcome = dispatch::send_intent(
        &state.store,
        state.sender(),
        state.failures(),
        &state.settings,
        &intent,
        chrono::Utc::now(),
    )
    .await?;
    Ok(SenderReport {
        outcome: match outcome {
            SendOutcome::Sent => "sent",
            SendOutcome::Failed => "failed",
            SendOutcome::Unconfirmed => "unconfirmed",
            SendOutcome::Suppressed(_) => "suppressed",
            SendOutcome::AlreadyHandled => "already_handled",
        },
    })
}
