//! When each text leaves: the dispatcher's plan for a run. Interviews cluster on the
//! hour and the half hour, and the sender has a fixed rate (a US toll-free number: 3
//! texts a second), so the reminders of a crowded minute cannot all leave at their due
//! time. The plan starts them early enough that each leaves by its due time, in due
//! order at the sender's rate, and never more than [`MAX_EARLY`] before it (the texts
//! name the interview's clock time, so an early one stays true).
//!
//! Each run sends what must start before the next run does: walking back from the last
//! due text, each text's latest start is its due time, or one sending interval before
//! the next text's latest start if that is earlier. A run sends every text whose latest
//! start falls before the next run (a minute later) and every text already due, in due
//! order at the rate, and at most a minute's worth of texts, so runs do not overlap (the
//! template also reserves one concurrent execution for the dispatcher): the sender's
//! rate is shared by construction. A burst that cannot fit is reported as late.
use chrono::{DateTime, Duration, Utc};

use super::SmsIntent;

/// How early a text may leave at most.
pub fn max_early() -> Duration {
    Duration::minutes(10)
}

/// How often the dispatcher runs (its schedule: every minute).
pub fn run_every() -> Duration {
    Duration::minutes(1)
}

/// What one run sends, and what it foresees.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The intents to send now, in due order.
    pub now: Vec<SmsIntent>,
    /// Of the pending texts, how many will leave after their due time even at the full
    /// rate from now (a burst that does not fit in the time allowed, or a backlog after
    /// an outage).
    pub late: usize,
    /// The latest of those, in seconds after its due time.
    pub max_late_seconds: i64,
}

/// The sending interval at `rate` texts a second.
fn interval(rate: f64) -> Duration {
    let rate = if rate.is_finite() && rate > 0.0 {
        rate
    } else {
        1.0
    };
    Duration::microseconds((1_000_000.0 / rate).ceil() as i64)
}

/// The plan at `now` for the pending intents due up to [`max_early`] ahead (any order;
/// intents due later are left for later runs).
pub fn plan(mut pending: Vec<SmsIntent>, now: DateTime<Utc>, rate: f64) -> Plan {
    pending.retain(|i| i.due_at <= now + max_early());
    pending.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.id.cmp(&b.id)));
    let step = interval(rate);
    // Latest starts, walking back from the last due text.
    let mut latest = vec![now; pending.len()];
    let mut next: Option<DateTime<Utc>> = None;
    for (i, intent) in pending.iter().enumerate().rev() {
        let start = match next {
            Some(next) => intent.due_at.min(next - step),
            None => intent.due_at,
        };
        latest[i] = start;
        next = Some(start);
    }
    let next_run = now + run_every();
    let mut plan = Plan::default();
    // Even sent back to back from now in due order, the k-th cannot leave before k
    // intervals from now: what is late by then is late whatever the runs do.
    for (k, intent) in pending.iter().enumerate() {
        let late = (now + step * k as i32 - intent.due_at).num_seconds();
        if late > 0 {
            plan.late += 1;
            plan.max_late_seconds = plan.max_late_seconds.max(late);
        }
    }
    // A run sends at most one run interval of texts at the rate, so runs never overlap
    // (the next one plans what is left).
    let per_run = (run_every().num_milliseconds() / step.num_milliseconds().max(1)).max(1);
    for (intent, latest) in pending.into_iter().zip(latest) {
        if plan.now.len() as i64 >= per_run {
            break;
        }
        if intent.due_at <= now || latest < next_run {
            plan.now.push(intent);
        }
    }
    plan
}

/// How a burst fares, by the texts' leave times against their due times.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnTime {
    pub reminders: usize,
    pub rate: f64,
    /// Seconds late (leave time minus due time, early counted as 0): p50, p99, max.
    pub p50_late: f64,
    pub p99_late: f64,
    pub max_late: f64,
    /// The most any text left before its due time, in seconds.
    pub max_early: f64,
    pub duplicates: usize,
    pub missed: usize,
}

impl OnTime {
    /// From each text's (due, leave times): a text with no leave time is missed, one
    /// with more than one is duplicated.
    pub fn measure(rate: f64, texts: &[(DateTime<Utc>, Vec<DateTime<Utc>>)]) -> Self {
        let mut late = Vec::new();
        let mut out = Self {
            reminders: texts.len(),
            rate,
            ..Self::default()
        };
        for (due, left) in texts {
            out.duplicates += left.len().saturating_sub(1);
            let Some(first) = left.iter().min() else {
                out.missed += 1;
                continue;
            };
            let seconds = (*first - *due).num_milliseconds() as f64 / 1000.0;
            late.push(seconds.max(0.0));
            out.max_early = out.max_early.max(-seconds);
        }
        late.sort_by(|a, b| a.total_cmp(b));
        let pick = |q: f64| {
            late.get(((late.len() as f64 * q).ceil() as usize).saturating_sub(1))
                .copied()
                .unwrap_or(0.0)
        };
        out.p50_late = pick(0.5);
        out.p99_late = pick(0.99);
        out.max_late = late.last().copied().unwrap_or(0.0);
        out
    }
}

impl std::fmt::Display for OnTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "on time: {} reminders at {} msg/s: p50 {:.1} s, p99 {:.1} s, max {:.1} s late; {:.0} s early at most; {} duplicates; {} missed",
            self.reminders, self.rate, self.p50_late, self.p99_late, self.max_late, self.max_early, self.duplicates, self.missed
        )
    }
}

/// The dispatcher's runs on a virtual clock: `n` texts due at `due`, a run every minute
/// from before the earliest it may start, each sending its plan back to back at the
/// rate from the run's time. What cannot fit shows here without waiting for it.
pub fn virtual_runs(pending: Vec<SmsIntent>, due: DateTime<Utc>, rate: f64) -> OnTime {
    let step = interval(rate);
    let mut left: std::collections::HashMap<String, (DateTime<Utc>, Vec<DateTime<Utc>>)> = pending
        .iter()
        .map(|i| (i.id.clone(), (i.due_at, Vec::new())))
        .collect();
    let mut pending = pending;
    let mut run = due - max_early() - run_every();
    while !pending.is_empty() && run < due + Duration::days(1) {
        let plan = plan(pending.clone(), run, rate);
        for (k, intent) in plan.now.iter().enumerate() {
            if let Some((_, times)) = left.get_mut(&intent.id) {
                times.push(run + step * k as i32);
            }
        }
        let taken: std::collections::HashSet<&String> = plan.now.iter().map(|i| &i.id).collect();
        pending.retain(|i| !taken.contains(&i.id));
        run += run_every();
    }
    let texts: Vec<_> = left.into_values().collect();
    OnTime::measure(rate, &texts)
}

#[cfg(test)]
mod tests {
    use super::super::SmsKind;
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn reminders(n: usize, due: DateTime<Utc>) -> Vec<SmsIntent> {
        (0..n)
            .map(|i| {
                let mut intent = SmsIntent::new(
                    &format!("bk{i}"),
                    SmsKind::Reminder,
                    due,
                    due + super::super::reminder_lead(),
                );
                intent.id = format!("{}-{i:05}", intent.id);
                intent
            })
            .collect()
    }

    #[test]
    fn a_lone_reminder_leaves_at_its_due_time() {
        let due = at("2026-12-01T14:45:00Z");
        let one = reminders(1, due);
        assert!(plan(one.clone(), due - Duration::minutes(1), 3.0)
            .now
            .is_empty());
        assert_eq!(plan(one, due, 3.0).now.len(), 1);
    }

    #[test]
    fn a_crowded_minute_starts_early_enough_to_leave_on_time() {
        let due = at("2026-12-01T14:45:00Z");
        for n in [300, 1000] {
            let on_time = virtual_runs(reminders(n, due), due, 3.0);
            assert_eq!((on_time.duplicates, on_time.missed), (0, 0), "{on_time}");
            assert!(on_time.max_late <= 0.0, "{on_time}");
            assert!(on_time.max_early <= 600.0, "{on_time}");
        }
        // Uncrowded, nothing leaves early.
        let one = virtual_runs(reminders(1, due), due, 3.0);
        assert_eq!((one.max_late, one.max_early), (0.0, 0.0), "{one}");
    }

    #[test]
    fn a_burst_that_cannot_fit_is_foreseen_as_late() {
        // 10,000 at 3 a second take 55 minutes; only 10 may be spent early.
        let due = at("2026-12-01T14:45:00Z");
        let first = plan(reminders(10_000, due), due - max_early(), 3.0);
        assert!(first.late > 0 && first.max_late_seconds > 0, "{first:?}");
        assert!(
            first.now.len() <= 181,
            "a run sends a minute's worth: {}",
            first.now.len()
        );
        let on_time = virtual_runs(reminders(10_000, due), due, 3.0);
        assert_eq!((on_time.duplicates, on_time.missed), (0, 0), "{on_time}");
        assert!(on_time.max_early <= 600.0, "{on_time}");
        assert!(on_time.max_late > 40.0 * 60.0, "{on_time}");
    }

    #[test]
    fn a_text_already_due_goes_first_and_now() {
        let now = at("2026-12-01T14:45:00Z");
        let mut pending = reminders(2, now + Duration::minutes(5));
        let overdue = reminders(1, now - Duration::minutes(3));
        pending.extend(overdue.clone());
        let plan = plan(pending, now, 3.0);
        assert_eq!(plan.now, overdue);
    }
}
