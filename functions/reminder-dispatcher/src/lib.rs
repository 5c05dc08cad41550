//! The reminder dispatcher, run by an EventBridge schedule every minute: sends every
//! intent due by the event's `time` (not the wall clock, so `/_dev/tick` and tests can
//! drive it), oldest first, paced to the sending rate; then sweeps the claims older than
//! 15 minutes that never recorded an outcome (`shared::domain::sms::stale`).
use chrono::{DateTime, Utc};
use serde_json::Value;
use shared::domain::sms::dispatch::{self, RunReport};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The scheduled event's `time`; the wall clock only if the event has none.
pub fn event_time(event: &Value) -> DateTime<Utc> {
    event
        .get("time")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

pub async fn handle(state: &WorkerState, event: Value) -> Result<RunReport, DomainError> {
    dispatch::dispatch_and_sweep(
        &state.store,
        &state.sender,
        &state.failures,
        &state.settings,
        event_time(&event),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_time_drives_the_run() {
        let event =
            serde_json::json!({"time": "2026-12-01T14:45:00Z", "detail-type": "Scheduled Event"});
        assert_eq!(event_time(&event).to_rfc3339(), "2026-12-01T14:45:00+00:00");
    }
}
