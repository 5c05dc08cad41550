//! The stale-claim sweep, run by the reminder dispatcher after each dispatch.
//!
//! A claim (`claim_intent`) takes the intent out of its bucket and opens its log entry
//! `sending`; the send's outcome (`finish_intent`) closes it. A claim that committed
//! after its caller gave up (the transaction applied late, after the SDK's attempts
//! timed out and the caller read back no claim of its own), or whose function died
//! before it finished, leaves the entry `sending` with nobody to finish it. Every claim
//! writes a watch in its own transaction (`SENDING#<day>`); the outcome removes it.
//! The sweep finds watches older than [`unconfirmed_after`], which is longer than any
//! function's timeout, so it never races a live send. Each one whose entry is still
//! `sending` with the same claim is reported to the failure queue, then marked `failed`
//! with the reason `unconfirmed`: the text may or may not have gone out, and it is
//! never resent (a duplicate is worse than a miss a person is told about).
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{ClaimWatch, Suppression};
use crate::domain::DomainError;
use crate::ports::{FailureQueue, SmsFailure, SmsStore};

/// How old a claim must be before the sweep calls it abandoned: longer than any
/// function's Lambda timeout (the dispatcher's is 600 s, `template.yaml`), so a send
/// still in progress is never swept.
pub fn unconfirmed_after() -> Duration {
    Duration::minutes(15)
}

/// How far back before the cutoff the sweep looks. The dispatcher runs every minute, so
/// a watch is seen by about 180 runs; only a dispatcher outage longer than this leaves
/// one unswept (its TTL removes it).
pub fn lookback() -> Duration {
    Duration::hours(3)
}

/// What the sweep tells a person: the text may or may not have gone out.
pub const UNCONFIRMED_REPORT: &str = "unconfirmed: claimed for sending but no outcome was recorded within 15 minutes; the text may or may not have gone out and is not resent";

/// Claims taken before this are abandoned.
pub fn stale_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - unconfirmed_after()
}

/// The claim times a sweep at `now` looks at: from [`lookback`] before the cutoff
/// (included) to the cutoff (excluded). The store answers it in one `Query` (two when
/// the window spans midnight, UTC).
pub fn sweep_window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let cutoff = stale_cutoff(now);
    (cutoff - lookback(), cutoff)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SweepReport {
    /// Watches older than the cutoff.
    pub stale: usize,
    /// Still `sending`: reported to the failure queue and marked `failed` (`unconfirmed`).
    pub unconfirmed: usize,
    /// Their outcome was recorded after all (a leftover watch): just removed.
    pub cleared: usize,
    /// Left for the next run (storage or queue errors).
    pub errors: usize,
}

/// Finds the claims older than the cutoff and settles each (see the module comment).
/// A watch whose settling fails stays for the next run; only a failed query fails the
/// sweep.
pub async fn sweep_stale_claims<S, Q>(
    store: &S,
    failures: &Q,
    now: DateTime<Utc>,
) -> Result<SweepReport, DomainError>
where
    S: SmsStore,
    Q: FailureQueue,
{
    let (since, cutoff) = sweep_window(now);
    let stale = store.stale_claims(since, cutoff).await?;
    let mut report = SweepReport {
        stale: stale.len(),
        ..SweepReport::default()
    };
    for watch in &stale {
        match settle(store, failures, watch, now).await {
            Ok(true) => report.unconfirmed += 1,
            Ok(false) => report.cleared += 1,
            Err(e) => {
                report.errors += 1;
                tracing::error!(booking_id = %watch.booking_id, intent_id = %watch.intent_id, error = %e, "settling a stale sms claim failed; the next run retries it");
            }
        }
    }
    if report.stale > 0 {
        tracing::info!(
            stale = report.stale,
            unconfirmed = report.unconfirmed,
            cleared = report.cleared,
            errors = report.errors,
            "stale sms claims swept"
        );
    }
    Ok(report)
}

/// Whether the claim was still open (reported and marked `failed`), or had finished.
async fn settle<S, Q>(
    store: &S,
    failures: &Q,
    watch: &ClaimWatch,
    now: DateTime<Utc>,
) -> Result<bool, DomainError>
where
    S: SmsStore,
    Q: FailureQueue,
{
    if !store.claim_still_open(watch).await? {
        store.drop_claim_watch(watch).await?;
        return Ok(false);
    }
    // Reported first: if marking it fails, the next run reports it again (a person
    // may read it twice) rather than never.
    failures
        .report_failure(&SmsFailure {
            booking_id: &watch.booking_id,
            intent_id: &watch.intent_id,
            kind: watch.kind,
            reason: UNCONFIRMED_REPORT,
        })
        .await
        .map_err(|e| DomainError::DeliveryUnavailable(e.to_string()))?;
    let marked = store
        .give_up_claim(watch, Suppression::Unconfirmed, now)
        .await?;
    if marked {
        tracing::warn!(booking_id = %watch.booking_id, intent_id = %watch.intent_id, kind = watch.kind.as_str(), claimed_at = %watch.claim.claimed_at, "sms claim never finished: marked failed (unconfirmed) and reported; not resent");
    }
    Ok(marked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> DateTime<Utc> {
        t.parse().unwrap()
    }

    #[test]
    fn claims_are_stale_after_fifteen_minutes_longer_than_any_lambda_timeout() {
        assert_eq!(
            stale_cutoff(at("2026-12-01T14:50:30Z")),
            at("2026-12-01T14:35:30Z")
        );
        // The dispatcher's timeout is 600 s; no function runs longer.
        assert!(unconfirmed_after() > Duration::seconds(600));
    }

    #[test]
    fn the_sweep_looks_three_hours_back_from_the_cutoff() {
        assert_eq!(
            sweep_window(at("2026-12-01T14:50:30Z")),
            (at("2026-12-01T11:35:30Z"), at("2026-12-01T14:35:30Z"))
        );
        // Across midnight and a month's end: the store queries both days.
        assert_eq!(
            sweep_window(at("2026-12-01T01:05:00Z")),
            (at("2026-11-30T21:50:00Z"), at("2026-12-01T00:50:00Z"))
        );
    }

    #[test]
    fn a_claim_is_covered_once_stale_until_it_ages_out() {
        let claimed = at("2026-12-01T14:59:59.999999Z");
        // Too fresh at first, then stale and covered for the look-back, then not.
        let covered = |now: DateTime<Utc>| {
            let (since, cutoff) = sweep_window(now);
            since <= claimed && claimed < cutoff
        };
        assert!(!covered(claimed + Duration::minutes(15)));
        assert!(covered(
            claimed + Duration::minutes(15) + Duration::microseconds(1)
        ));
        assert!(covered(claimed + Duration::hours(3)));
        assert!(!covered(
            claimed + Duration::hours(3) + Duration::minutes(15) + Duration::microseconds(1)
        ));
    }
}
