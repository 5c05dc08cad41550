//! The reminder dispatcher, run by an EventBridge Scheduler schedule every minute: sends
//! every intent due by the schedule's time (not the wall clock, so `/_dev/tick` and tests
//! can drive it, and a late or retried invocation works on the minute it was meant for),
//! oldest first, paced to the sending rate; then sweeps the claims older than 15 minutes
//! that never recorded an outcome (`shared::domain::sms::stale`).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::domain::sms::dispatch::RunReport;
use shared::domain::DomainError;
use shared::lambda::WorkerState;

/// The field of the schedule's `Input` (template.yaml, `EveryMinute`) that EventBridge
/// Scheduler fills with `<aws.scheduler.scheduled-time>`, e.g. `2026-12-01T14:45:00Z`.
pub const SCHEDULED_TIME: &str = "scheduled_time";

/// The dispatcher's event. On AWS: the schedule's `Input` as EventBridge Scheduler
/// delivers it, its context attributes filled in (`scheduled_time`, `schedule_arn`,
/// `execution_id`, `attempt_number`; template.yaml). Locally, `/_dev/tick` sends an
/// EventBridge scheduled-event envelope, of which only `time` is read. Times are kept
/// as text: one that is not RFC 3339 falls back to the next source, not to a failure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledRun {
    #[serde(default)]
    pub scheduled_time: Option<String>,
    #[serde(default)]
    pub schedule_arn: Option<String>,
    #[serde(default)]
    pub execution_id: Option<String>,
    #[serde(default)]
    pub attempt_number: Option<String>,
    /// An EventBridge envelope's `time` (`/_dev/tick`).
    #[serde(default)]
    pub time: Option<String>,
}

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
pub fn run_time(event: &ScheduledRun) -> (DateTime<Utc>, TimeSource) {
    let parse = |field: &Option<String>| {
        field
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    if let Some(t) = parse(&event.scheduled_time) {
        (t, TimeSource::Schedule)
    } else if let Some(t) = parse(&event.time) {
        (t, TimeSource::Envelope)
    } else {
        (Utc::now(), TimeSource::WallClock)
    }
}

/// The run's time (see `run_time`).
pub fn event_time(event: &ScheduledRun) -> DateTime<Utc> {
    run_time(event).0
}

pub async fn handle(state: &WorkerState, event: ScheduledRun) -> Result<RunReport, DomainError> {
    let (now, source) = run_time(&event);
    if source == TimeSource::WallClock {
        tracing::warn!(
            "scheduled event carries no scheduled_time or time; running on the wall clock"
        );
    }
    state.dispatch().dispatch_and_sweep(now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_time_drives_the_run() {
        let event: ScheduledRun = serde_json::from_value(
            serde_json::json!({"time": "2026-12-01T14:45:00Z", "detail-type": "Scheduled Event"}),
        )
        .unwrap();
        assert_eq!(event_time(&event).to_rfc3339(), "2026-12-01T14:45:00+00:00");
        assert_eq!(run_time(&event).1, TimeSource::Envelope);
    }

    /// The exact event EventBridge Scheduler hands the function: the schedule's `Input`
    /// (template.yaml) with its context attributes substituted, and nothing else.
    #[test]
    fn the_schedulers_payload_drives_the_run() {
        let payload = include_str!("../../../tests/fixtures/aws-events/scheduler-input.json");
        let event: ScheduledRun = serde_json::from_str(payload).unwrap();
        let (time, source) = run_time(&event);
        assert_eq!(time.to_rfc3339(), "2026-12-01T14:45:00+00:00");
        assert_eq!(source, TimeSource::Schedule);
    }

    #[test]
    fn the_scheduled_time_wins_over_an_envelope_time() {
        let event: ScheduledRun = serde_json::from_value(serde_json::json!({
            "scheduled_time": "2026-12-01T14:45:00Z",
            "time": "2026-12-01T15:00:00Z",
        }))
        .unwrap();
        assert_eq!(event_time(&event).to_rfc3339(), "2026-12-01T14:45:00+00:00");
    }

    #[test]
    fn no_time_falls_back_to_the_wall_clock() {
        let before = Utc::now();
        let event = ScheduledRun {
            scheduled_time: Some("not a time".into()),
            ..ScheduledRun::default()
        };
        let (time, source) = run_time(&event);
        assert_eq!(source, TimeSource::WallClock);
        assert!(time >= before);
    }
}
