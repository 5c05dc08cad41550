//! The reminder dispatcher, run by an EventBridge Scheduler schedule every minute: sends
//! every intent due by the schedule's time (not the wall clock, so `/_dev/tick` and tests
//! can drive it, and a late or retried invocation works on the minute it was meant for),
//! oldest first, paced to the sending rate; then sweeps the claims older than 15 minutes
//! that never recorded an outcome (`shared::domain::sms::stale`).
use chrono::{DateTime, Utc};
use serde_json::Value;
use shared::domain::sms::dispatch::{self, RunReport};
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The field of the schedule's `Input` (template.yaml, `EveryMinute`) that EventBridge
/// Scheduler fills with `<aws.scheduler.scheduled-time>`, e.g. `2026-12-01T14:45:00Z`.
pub const SCHEDULED_TIME: &str = "scheduled_time";

/// Where the run's time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSource {
    /// `scheduled_time`: the schedule's `Input`, as EventBridge Scheduler sends it on AWS.
    Schedule,
    /// `time`: an EventBridge envelope, as the local stack's `/_dev/tick` sends it.
    Envelope,
    /// Neither field held an RFC 3339 time: the wall clock.
    WallClock,
}

/// The time a run works on: the schedule's `scheduled_time`, else the envelope's `time`,
/// else (with a warning) the wall clock.
pub fn run_time(event: &Value) -> (DateTime<Utc>, TimeSource) {
    let field = |name: &str| {
        event
            .get(name)
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    if let Some(t) = field(SCHEDULED_TIME) {
        (t, TimeSource::Schedule)
    } else if let Some(t) = field("time") {
        (t, TimeSource::Envelope)
    } else {
        (Utc::now(), TimeSource::WallClock)
    }
}

/// The run's time (see `run_time`).
pub fn event_time(event: &Value) -> DateTime<Utc> {
    run_time(event).0
}

pub async fn handle(state: &WorkerState, event: Value) -> Result<RunReport, DomainError> {
    let (now, source) = run_time(&event);
    if source == TimeSource::WallClock {
        tracing::warn!(
            "scheduled event carries no scheduled_time or time; running on the wall clock"
        );
    }
    dispatch::dispatch_and_sweep(
        &state.store,
        state.sender(),
        state.failures(),
        &state.settings,
        now,
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
        assert_eq!(run_time(&event).1, TimeSource::Envelope);
    }

    /// The exact event EventBridge Scheduler hands the function: the schedule's `Input`
    /// (template.yaml) with its context attributes substituted, and nothing else.
    #[test]
    fn the_schedulers_payload_drives_the_run() {
        let payload = r#"{"scheduled_time": "2026-12-01T14:45:00Z", "schedule_arn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/participant-messaging-prod-reminder-dispatcher", "execution_id": "d32c5kddcf5bb8c3", "attempt_number": "1"}"#;
        let event: Value = serde_json::from_str(payload).unwrap();
        let (time, source) = run_time(&event);
        assert_eq!(time.to_rfc3339(), "2026-12-01T14:45:00+00:00");
        assert_eq!(source, TimeSource::Schedule);
    }

    #[test]
    fn the_scheduled_time_wins_over_an_envelope_time() {
        let event = serde_json::json!({
            "scheduled_time": "2026-12-01T14:45:00Z",
            "time": "2026-12-01T15:00:00Z",
        });
        assert_eq!(event_time(&event).to_rfc3339(), "2026-12-01T14:45:00+00:00");
    }

    #[test]
    fn no_time_falls_back_to_the_wall_clock() {
        let before = Utc::now();
        let (time, source) = run_time(&serde_json::json!({"scheduled_time": "not a time"}));
        assert_eq!(source, TimeSource::WallClock);
        assert!(time >= before);
    }
}
