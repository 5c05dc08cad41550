//! On-time bench: N reminders due in one minute, seeded through the real booking path
//! (the local stack's public booking route), sent by the real dispatcher (`/_dev/tick`
//! at each real minute, as the schedule would) at R messages a second against the
//! emulator. Each reminder's leave time is when the emulated SNS took it; late = leave
//! time - due time (early counts 0), early = due time - leave time. Then the same plan
//! on a virtual clock, for bursts too large to wait for.
//!
//! Usage (under infra/scripts/with-emulator.sh; `make bench-on-time` runs it):
//!   on-time-bench [--reminders 1000] [--rate 3] [--virtual 10000]
use bench::Call;
use chrono::{DateTime, Duration, DurationRound, TimeZone, Utc};
use futures::stream::{self, StreamExt};
use serde_json::json;
use shared::domain::sms::plan::{self, OnTime};
use shared::domain::sms::{reminder_lead, SmsIntent, SmsKind};
use std::collections::HashMap;

struct Args {
    reminders: usize,
    rate: f64,
    virtual_reminders: usize,
}

fn args() -> Args {
    Args {
        reminders: bench::arg("--reminders", 1000),
        rate: bench::arg("--rate", 3.0),
        virtual_reminders: bench::arg("--virtual", 10_000),
    }
}

/// The virtual-clock run of `n` reminders due at one minute.
fn virtual_run(n: usize, rate: f64) -> OnTime {
    let due = Utc.with_ymd_and_hms(2026, 12, 1, 14, 45, 0).unwrap();
    let pending = (0..n)
        .map(|i| {
            let mut intent = SmsIntent::new(
                &format!("bk{i}"),
                SmsKind::Reminder,
                due,
                due + reminder_lead(),
            );
            intent.id = format!("{}-{i:06}", intent.id);
            intent
        })
        .collect();
    plan::virtual_runs(pending, due, rate)
}

#[tokio::main]
async fn main() {
    let args = args();
    let emulator = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL (make bench-on-time starts the emulator)");
    std::env::set_var("RUST_LOG", "error");
    shared::telemetry::init();
    let mut options = bench::stack_options("ot", "template.yaml".into(), &emulator);
    options
        .parameters
        .insert("SmsMessagesPerSecond".into(), args.rate.to_string());
    bench::lift_abuse_limits(&mut options);
    let stack = local_stack::start(options).await.expect("local stack");
    let base = stack.base_url.clone();
    let http = reqwest::Client::new();

    let owner = bench::dev_token(&http, &base, "owner", "owner@example.org").await;
    let study = bench::interview_study(&http, &base, &owner, "On-time Lab", "On time").await;
    let share = study["share_token"].as_str().unwrap().to_owned();

    // Due a whole minute far enough ahead that booking and the early start both fit.
    let sending = Duration::milliseconds((args.reminders as f64 / args.rate * 1000.0) as i64);
    let booking = Duration::seconds(30 + args.reminders as i64 / 20);
    let due = (Utc::now() + booking + sending.min(plan::max_early()) + Duration::minutes(2))
        .duration_trunc(Duration::minutes(1))
        .unwrap();
    let starts_at = due + reminder_lead();
    let phones: Vec<String> = (0..args.reminders)
        .map(|n| format!("+1617555{:04}", 1000 + n))
        .collect();
    eprintln!(
        "booking {} interviews at {starts_at} (reminders due {due})",
        args.reminders
    );
    let body = |phone: &str| json!({"name": "Ann", "email": "ann@example.org", "starts_at": starts_at.to_rfc3339(), "time_zone": "America/New_York", "phone": phone, "sms_consent": true});
    stream::iter(phones.iter())
        .map(|phone| {
            let (http, base, share) = (&http, &base, &share);
            async move {
                Call::new("POST", &format!("/public/studies/{share}/bookings"))
                    .body(&body(phone))
                    .send_ok(http, base)
                    .await
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await;
    eprintln!("booked at {}", Utc::now());

    // A dispatcher run at each minute, as the schedule would start it (one at a time:
    // the template reserves one concurrent execution), until a minute after the due time.
    let mut minute = (Utc::now() + Duration::minutes(1))
        .duration_trunc(Duration::minutes(1))
        .unwrap();
    while minute <= due + Duration::minutes(1) {
        let wait = (minute - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        let ran = Call::new("POST", "/_dev/tick")
            .body(&json!({"now": minute.to_rfc3339()}))
            .send_ok(&http, &base)
            .await;
        eprintln!("{minute}: {}", ran["ran"]);
        minute += Duration::minutes(1);
    }

    // Leave times: when the emulated SNS took each reminder.
    let outbox = Call::new("GET", "/_sms").send_ok(&http, &emulator).await;
    let mut left: HashMap<&str, Vec<DateTime<Utc>>> =
        phones.iter().map(|p| (p.as_str(), Vec::new())).collect();
    for text in outbox["sms"].as_array().unwrap() {
        let is_reminder = text["body"]
            .as_str()
            .is_some_and(|b| b.contains("Reminder:"));
        if let (true, Some(to), Some(at)) = (is_reminder, text["to"].as_str(), text["at"].as_f64())
        {
            if let Some(times) = left.get_mut(to) {
                times.push(Utc.timestamp_millis_opt((at * 1000.0) as i64).unwrap());
            }
        }
    }
    let texts: Vec<_> = left.into_values().map(|times| (due, times)).collect();
    let measured = OnTime::measure(args.rate, &texts);
    println!("{measured}");
    println!(
        "virtual clock: {}",
        virtual_run(args.virtual_reminders, args.rate)
    );
}
