//! Sending intents: the reminder dispatcher's sweep of due intents, and the one-intent
//! send the event-driven sender uses. Both go through `send_intent`, which claims
//! before it sends, so overlapping or retried runs never text twice.
use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt};
use serde::Serialize;
use std::sync::Mutex;
use std::time::Instant;

use super::plan;
use super::stale::{sweep_stale_claims, SweepReport};
use super::texts::{self, TextContext};
use super::{
    reminder_lead, Claim, SendRecord, SmsIntent, SmsKind, Suppression, MAX_MESSAGES_PER_EVENT,
};
use crate::domain::bookings::{manage_url, BookingStatus};
use crate::domain::DomainError;
use crate::ports::{
    BookingStore, ClaimResult, FailureQueue, SendError, SendGuard, SmsFailure, SmsSender, SmsStore,
    StudyStore, WorkspaceStore,
};

/// What sending needs to know, from configuration.
#[derive(Clone, Debug)]
pub struct SmsSettings {
    pub product_name: String,
    pub public_base_url: String,
    pub sender_number: Option<String>,
    /// Where texts may go: checked again here, for numbers kept before a change of the
    /// allowed countries.
    pub destinations: crate::domain::destinations::SmsDestinations,
    /// The origination number's sending rate (toll-free numbers start at 3 a second).
    pub messages_per_second: f64,
    /// How many sends may be in flight at once within that rate.
    pub concurrency: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    Sent,
    /// Not sent; logged `failed` and reported.
    Failed,
    /// Handed to SNS with no answer: may or may not have gone out. Logged `failed`
    /// (`unconfirmed`) and reported, never resent.
    Unconfirmed,
    Suppressed(Suppression),
    /// Another run claimed it first (or already sent it): nothing to do.
    AlreadyHandled,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DispatchReport {
    pub due: usize,
    pub sent: usize,
    pub failed: usize,
    /// Of `failed`: handed over with no answer (`unconfirmed`), never resent.
    pub unconfirmed: usize,
    pub suppressed: usize,
    pub already_handled: usize,
    /// Of `due`: how many leave after their due time even at the sender's full rate
    /// (a burst that does not fit, or a backlog), and the latest of them, in seconds.
    pub late: usize,
    pub max_late_seconds: i64,
}

impl DispatchReport {
    fn count(&mut self, outcome: SendOutcome) {
        match outcome {
            SendOutcome::Sent => self.sent += 1,
            SendOutcome::Failed => self.failed += 1,
            SendOutcome::Unconfirmed => {
                self.failed += 1;
                self.unconfirmed += 1;
            }
            SendOutcome::Suppressed(_) => self.suppressed += 1,
            SendOutcome::AlreadyHandled => self.already_handled += 1,
        }
    }
}

/// Spaces sends evenly at the configured rate, across concurrent senders.
pub struct Pacer {
    interval: std::time::Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    pub fn new(per_second: f64) -> Self {
        let per_second = if per_second.is_finite() && per_second > 0.0 {
            per_second
        } else {
            1.0
        };
        Self {
            interval: std::time::Duration::from_secs_f64(1.0 / per_second),
            next: Mutex::new(Instant::now()),
        }
    }

    pub async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let slot = if *next > now { *next } else { now };
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

/// Whether the text still makes sense at `now` (`super::send_deadline`).
fn too_late(intent: &SmsIntent, now: DateTime<Utc>) -> bool {
    super::too_late(intent.kind, intent.starts_at, now)
}

/// The due times the dispatcher reads at `now`: everything due in the last reminder
/// lead time (15 minutes, by minute bucket) and not yet handled, which is the catch-up
/// after an outage (anything older concerns an interview that has started), and what
/// is due in the next 10 minutes, which the plan may start early (`super::plan`). The
/// store answers it in one `Query` (two when the window spans midnight, UTC).
pub fn due_window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now - reminder_lead(), now + plan::max_early())
}

/// One reminder dispatcher run: what was dispatched, and what the stale-claim sweep
/// found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RunReport {
    #[serde(flatten)]
    pub dispatch: DispatchReport,
    pub stale_claims: SweepReport,
}

/// What every way a text leaves needs: the store, the sender, the failure queue and the
/// settings, named once for the one-intent send, the dispatcher's run and its sweep.
pub struct Dispatch<'a, S, T, Q> {
    pub store: &'a S,
    pub sender: &'a T,
    pub failures: &'a Q,
    pub settings: &'a SmsSettings,
}

impl<S, T, Q> Clone for Dispatch<'_, S, T, Q> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S, T, Q> Copy for Dispatch<'_, S, T, Q> {}

impl<S, T, Q> Dispatch<'_, S, T, Q>
where
    S: SmsStore + BookingStore + StudyStore + WorkspaceStore,
    T: SmsSender,
    Q: FailureQueue,
{
    /// Sends one intent at most once. Every check that can stop a send is made at send
    /// time, in the claim transaction, whatever was true when the intent was written.
    pub async fn send_intent(
        &self,
        intent: &SmsIntent,
        now: DateTime<Utc>,
    ) -> Result<SendOutcome, DomainError> {
        let Self {
            store,
            sender,
            failures,
            settings,
        } = *self;
        let suppress = |reason: Suppression| async move {
            store.suppress_intent(intent, reason, now).await?;
            tracing::info!(booking_id = %intent.booking_id, intent_id = %intent.id, kind = intent.kind.as_str(), reason = reason.as_str(), "sms suppressed");
            Ok::<_, DomainError>(SendOutcome::Suppressed(reason))
        };
        // The run's event time can lag the clock (a retried tick, a long catch-up run after
        // an outage): whichever is later decides, so nothing goes out once it is too late.
        if too_late(intent, now.max(Utc::now())) {
            return suppress(Suppression::TooLate).await;
        }
        if settings.sender_number.is_none() {
            return suppress(Suppression::SmsDisabled).await;
        }
        // One read before the claim: the workspace's SMS switch and, for a reminder, the
        // study's are conditions of the claim itself (refused: `sms_disabled`).
        let Some(booking) = store.get_booking(&intent.booking_id).await? else {
            return suppress(Suppression::BookingChanged).await;
        };
        let Some(phone) = booking.phone.clone() else {
            return suppress(Suppression::BookingChanged).await;
        };
        if settings.destinations.check(&phone).is_err() {
            return suppress(Suppression::DestinationNotAllowed).await;
        }
        let guard = SendGuard {
            phone: &phone,
            workspace_id: &booking.workspace_id,
            reminder_study_id: (intent.kind == SmsKind::Reminder)
                .then_some(booking.study_id.as_str()),
            expected_status: if intent.kind == SmsKind::Cancellation {
                BookingStatus::Cancelled
            } else {
                BookingStatus::Booked
            },
            cap: MAX_MESSAGES_PER_EVENT,
        };
        let claim = Claim::new(now);
        match store.claim_intent(intent, &guard, &claim, now).await? {
            ClaimResult::Claimed => {}
            ClaimResult::AlreadyHandled => return Ok(SendOutcome::AlreadyHandled),
            ClaimResult::Refused(reason) => return suppress(reason).await,
        }
        let body = texts::render(
            intent.kind,
            &TextContext {
                product_name: &settings.product_name,
                starts_at: intent.starts_at,
                time_zone: booking.time_zone,
                manage_url: &manage_url(&settings.public_base_url, &booking.manage_token),
                day_of_update: intent.day_of_update,
            },
        );
        let last4 = crate::telemetry::phone_last4(&phone);
        match sender
            .send_sms(&phone, settings.sender_number.as_deref(), &body, &intent.id)
            .await
        {
            Ok(message_id) => {
                let message_id = Some(message_id).filter(|id| !id.is_empty());
                store
                    .finish_intent(
                        intent,
                        &claim,
                        &SendRecord::Sent {
                            message_id,
                            phone: phone.clone(),
                        },
                        now,
                    )
                    .await?;
                // How long after its planned time it left: the dashboard's lateness.
                let late_seconds = (Utc::now().max(now) - intent.due_at).num_seconds().max(0);
                tracing::info!(booking_id = %intent.booking_id, intent_id = %intent.id, kind = intent.kind.as_str(), phone_last4 = %last4, late_seconds, "sms sent");
                Ok(SendOutcome::Sent)
            }
            Err(error) => {
                // Never retried here: a retry of a send SNS may have taken texts twice.
                let unconfirmed = matches!(error, SendError::Unconfirmed(_));
                let reason = unconfirmed.then_some(Suppression::Unconfirmed);
                store
                    .finish_intent(intent, &claim, &SendRecord::Failed { reason }, now)
                    .await?;
                tracing::error!(booking_id = %intent.booking_id, intent_id = %intent.id, kind = intent.kind.as_str(), phone_last4 = %last4, error = %error, unconfirmed, "sms failed; not resent");
                // A report that could not be queued is logged by the queue; the log entry
                // says `failed` either way.
                let _ = failures
                    .report_failure(&SmsFailure {
                        booking_id: &intent.booking_id,
                        intent_id: &intent.id,
                        kind: intent.kind,
                        reason: &error.to_string(),
                    })
                    .await;
                Ok(if unconfirmed {
                    SendOutcome::Unconfirmed
                } else {
                    SendOutcome::Failed
                })
            }
        }
    }

    /// One dispatcher run at event time `now`: what the plan says must start before the
    /// next run (every intent already due, and a crowded minute's reminders early enough to
    /// leave by their due time), oldest first, paced to the sender's rate. The run's time
    /// is the later of the event's and the clock's: a run that starts late plans from when
    /// it really starts.
    pub async fn dispatch_due(&self, now: DateTime<Utc>) -> Result<DispatchReport, DomainError> {
        let (store, settings) = (self.store, self.settings);
        let (from, to) = due_window(now);
        let pending = store.due_intents(from, to).await?;
        let plan = plan::plan(pending, now.max(Utc::now()), settings.messages_per_second);
        if plan.late > 0 {
            // The burst does not fit at the sender's rate: these leave after their due time.
            tracing::warn!(
                late = plan.late,
                max_late_seconds = plan.max_late_seconds,
                rate = settings.messages_per_second,
                "texts cannot all leave on time at the sender's rate"
            );
        }
        let due = plan.now;
        let mut report = DispatchReport {
            due: due.len(),
            late: plan.late,
            max_late_seconds: plan.max_late_seconds,
            ..DispatchReport::default()
        };
        let pacer = Pacer::new(settings.messages_per_second);
        let pacer = &pacer;
        let outcomes: Vec<Result<SendOutcome, DomainError>> = stream::iter(due)
            .map(|intent: SmsIntent| async move {
                pacer.wait().await;
                self.send_intent(&intent, now).await
            })
            .buffer_unordered(settings.concurrency.max(1))
            .collect()
            .await;
        let mut first_error = None;
        for outcome in outcomes {
            match outcome {
                Ok(outcome) => report.count(outcome),
                Err(e) => {
                    // An intent we could not even claim stays in its bucket for the next run.
                    tracing::error!(error = %e, "dispatching an intent failed; the next run retries it");
                    first_error.get_or_insert(e);
                }
            }
        }
        tracing::info!(
            due = report.due,
            sent = report.sent,
            failed = report.failed,
            unconfirmed = report.unconfirmed,
            suppressed = report.suppressed,
            already_handled = report.already_handled,
            late = report.late,
            "dispatch run"
        );
        match first_error {
            Some(e) if report.sent == 0 && report.suppressed == 0 && report.due > 0 => Err(e),
            _ => Ok(report),
        }
    }

    /// The reminder dispatcher's run at event time `now`: `dispatch_due`, then the
    /// stale-claim sweep (`super::stale`), which runs even after a failed dispatch (it does
    /// not depend on it). The run fails if either did.
    pub async fn dispatch_and_sweep(&self, now: DateTime<Utc>) -> Result<RunReport, DomainError> {
        let dispatched = self.dispatch_due(now).await;
        let swept = sweep_stale_claims(self.store, self.failures, now).await;
        if let Err(e) = &swept {
            tracing::error!(error = %e, "the stale sms claim sweep failed; the next run retries it");
        }
        Ok(RunReport {
            dispatch: dispatched?,
            stale_claims: swept?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::minute_bucket;
    use super::*;
    use chrono::Duration;

    #[test]
    fn the_sweep_covers_the_last_fifteen_minutes_and_the_next_ten() {
        let now: DateTime<Utc> = "2026-12-01T14:50:30Z".parse().unwrap();
        let (from, to) = due_window(now);
        assert_eq!(minute_bucket(from), "2026-12-01T14:35");
        assert_eq!(minute_bucket(to), "2026-12-01T15:00");
    }

    #[test]
    fn nothing_about_an_interview_goes_out_after_it_started() {
        let start: DateTime<Utc> = "2026-12-01T15:00:00Z".parse().unwrap();
        let reminder = SmsIntent::new("bk", SmsKind::Reminder, start - reminder_lead(), start);
        assert!(!too_late(&reminder, start - Duration::seconds(1)));
        assert!(too_late(&reminder, start));
        let cancel = SmsIntent::new("bk", SmsKind::Cancellation, start, start);
        assert!(!too_late(&cancel, start + Duration::minutes(5)));
        // "Running late", ten minutes after the start, still goes out; not after an hour.
        let late = SmsIntent::new("bk", SmsKind::DayOfUpdate, start, start);
        assert!(!too_late(&late, start + Duration::minutes(10)));
        assert!(too_late(&late, start + Duration::hours(1)));
    }

    #[tokio::test]
    async fn the_pacer_spaces_sends_at_the_rate() {
        let pacer = Pacer::new(50.0);
        let started = Instant::now();
        for _ in 0..11 {
            pacer.wait().await;
        }
        // Ten intervals of 20 ms must have passed; the first send is immediate.
        assert!(started.elapsed() >= std::time::Duration::from_millis(200));
    }
}
