//! Dispatch benchmark: N reminders due in the same minute, sent by the real dispatcher
//! code through the real SDK to the emulator, at a given messages-per-second limit.
//! Reports sent, duplicates (must be 0), misses (must be 0) and the achieved rate as a
//! share of the limit; then the same with several dispatcher runs overlapping (what a
//! slow minute followed by the next schedule tick looks like), which must still send
//! each reminder exactly once.
//!
//! Usage (the emulator must be running; `make bench` starts it):
//!   dispatch-bench --reminders 1000 --rate 100 [--overlap 3]   (`--overlap 0`: one run only)
use chrono::{Duration, DurationRound, Utc};
use futures::stream::{self, StreamExt};
use local_stack::inspect::get_json;
use shared::adapters::dynamodb::DynamoStore;
use shared::adapters::sns::SnsSmsSender;
use shared::adapters::sqs::SqsFailureQueue;
use shared::domain::bookings::{
    manage_token_hash, Booking, BookingStatus, BookingWrite, IntentRef,
};
use shared::domain::consent::{ConsentAction, ConsentRecord, ConsentSource};
use shared::domain::participants::{Participant, ParticipantStatus};
use shared::domain::sms::dispatch::{Dispatch, DispatchReport, SmsSettings};
use shared::domain::sms::{reminder_lead, SmsIntent, SmsKind};
use shared::domain::studies::{Recruitment, Study, StudyKind, TeamMember, TeamRole};
use shared::domain::workspaces::{Membership, Workspace, WorkspaceRole};
use shared::ports::{BookingStore, StudyStore, WorkspaceStore};
use std::collections::HashMap;
use std::time::Instant;

struct Args {
    reminders: usize,
    rate: f64,
    overlap: usize,
}

fn args() -> Args {
    Args {
        reminders: bench::arg("--reminders", 1000),
        rate: bench::arg("--rate", 100.0),
        overlap: bench::arg("--overlap", 3),
    }
}

/// Seeds one workspace with SMS on, one interview study, and `n` bookings whose
/// reminders are all due at `due`; returns the phone numbers.
async fn seed(
    store: &DynamoStore,
    run: u32,
    n: usize,
    start: chrono::DateTime<Utc>,
) -> Vec<String> {
    let now = Utc::now();
    let ws = Workspace {
        id: format!("ws_bench{run}"),
        name: "Bench".into(),
        sms_enabled: true,
        require_phone_verification: false,
        created_by: "bench".into(),
        created_at: now,
    };
    let admin = Membership {
        workspace_id: ws.id.clone(),
        user_id: "bench".into(),
        role: WorkspaceRole::Admin,
        email: None,
    };
    store
        .create_workspace(&ws, &admin, None)
        .await
        .expect("workspace");
    let study = Study {
        id: format!("st_bench{run}"),
        workspace_id: ws.id.clone(),
        name: "Bench study".into(),
        kind: StudyKind::Interview,
        recruitment: Recruitment::Direct,
        contact_phone: None,
        share_token: format!("share-bench-{run}"),
        interview_reminder: true,
        created_by: "bench".into(),
        created_at: now,
    };
    let owner = TeamMember {
        study_id: study.id.clone(),
        user_id: "bench".into(),
        role: TeamRole::Owner,
        external_panel: false,
    };
    store
        .create_study(&study, &owner, None)
        .await
        .expect("study");
    // Valid US numbers (Boston's 617, exchange 2xx–9xx by run, 10,000 lines each): the
    // sender refuses any number outside the allowed countries, and an invalid one.
    assert!(n <= 10_000, "at most 10,000 reminders a run");
    let phones: Vec<String> = (0..n)
        .map(|i| format!("+1617{}{:04}", 200 + run % 800, i))
        .collect();
    let writes = phones.iter().enumerate().map(|(i, phone)| {
        let phone = shared::domain::phone::parse_e164("phone", phone).expect("a valid number");
        let booking_id = format!("bk_bench{run}_{i}");
        let reminder = SmsIntent::new(
            &booking_id,
            SmsKind::Reminder,
            start - reminder_lead(),
            start,
        );
        let participant = Participant {
            id: format!("pt_bench{run}_{i}"),
            study_id: study.id.clone(),
            workspace_id: ws.id.clone(),
            email: format!("p{i}@bench.example"),
            name: "P".into(),
            phone: Some(phone.clone()),
            source: Recruitment::Direct,
            panel_participant_id: None,
            status: ParticipantStatus::Approved,
            created_at: now,
        };
        let token = format!("tok-bench{run}-{i}");
        let booking = Booking {
            id: booking_id.clone(),
            study_id: study.id.clone(),
            workspace_id: ws.id.clone(),
            participant_id: participant.id.clone(),
            starts_at: start,
            time_zone: chrono_tz::America::New_York,
            status: BookingStatus::Booked,
            phone: Some(phone.clone()),
            created_at: now,
            manage_token: token.clone(),
            version: 1,
            reminder: Some(IntentRef::from(&reminder)),
        };
        let mut consent = ConsentRecord::new(
            ConsentAction::Granted,
            ConsentSource::SignupForm,
            &phone,
            &ws.id,
            now,
        );
        consent.booking_id = Some(booking_id);
        BookingWrite {
            participant,
            participant_exists: false,
            booking,
            manage_token_hash: manage_token_hash(&token),
            consent: Some(consent),
            intents: vec![reminder],
        }
    });
    stream::iter(writes)
        .map(|write| async move { store.create_booking(&write, None).await.expect("booking") })
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;
    phones
}

async fn texts_per_phone(
    http: &reqwest::Client,
    emulator: &str,
    phones: &[String],
) -> HashMap<String, usize> {
    let outbox = get_json(http, &format!("{emulator}/_outbox"))
        .await
        .unwrap();
    let ours: std::collections::HashSet<&str> = phones.iter().map(String::as_str).collect();
    let mut counts = HashMap::new();
    for sms in outbox["sms"].as_array().unwrap() {
        if let Some(to) = sms["to"].as_str().filter(|to| ours.contains(to)) {
            *counts.entry(to.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}

struct Scenario {
    name: String,
    reports: Vec<DispatchReport>,
    elapsed: f64,
    duplicates: usize,
    misses: usize,
}

#[tokio::main]
async fn main() {
    let args = args();
    let emulator = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL must point at the emulator (make bench)");
    let template = local_stack::template::Template::load(std::path::Path::new("template.yaml"))
        .expect("template.yaml");
    let prefix = bench::fresh_prefix("bench");
    let sdk = shared::aws::emulator_sdk_config(&emulator).await;
    let resources =
        local_stack::provision::provision(&sdk, &template, &prefix, &template.parameter_defaults())
            .await
            .expect("provision");
    let store = DynamoStore::new(
        aws_sdk_dynamodb::Client::new(&sdk),
        resources.refs["MainTable"].clone(),
        resources.refs["ConsentTable"].clone(),
    );
    let sender = SnsSmsSender::from_sdk(&sdk);
    let failures = SqsFailureQueue::new(aws_sdk_sqs::Client::new(&sdk), None);
    let settings = SmsSettings {
        product_name: "Rally".into(),
        public_base_url: "https://api.example".into(),
        sender_number: Some("+16175550100".into()),
        destinations: shared::domain::destinations::SmsDestinations::new("US,CA", ["+16175550100"]),
        messages_per_second: args.rate,
        concurrency: 16,
    };
    let http = reqwest::Client::new();
    let mut scenarios = Vec::new();
    // `--overlap 0` runs the single-run scenario only (the 10,000 run, where each
    // scenario is ~25 minutes here).
    let plan: Vec<(u32, usize)> = [(1u32, 1usize), (2, args.overlap)]
        .into_iter()
        .filter(|&(_, overlap)| overlap > 0)
        .collect();
    for (run, overlap) in plan {
        let start = (Utc::now() + Duration::days(run as i64))
            .duration_trunc(Duration::minutes(1))
            .unwrap();
        let seeding = Instant::now();
        let phones = seed(
            &store,
            run + std::process::id() % 1000 * 10,
            args.reminders,
            start,
        )
        .await;
        eprintln!(
            "seeded {} bookings in {:.1} s",
            phones.len(),
            seeding.elapsed().as_secs_f64()
        );
        let due = start - reminder_lead();
        let began = Instant::now();
        let runs = (0..overlap).map(|k| {
            let dispatch = Dispatch {
                store: &store,
                sender: &sender,
                failures: &failures,
                settings: &settings,
            };
            async move {
                // Each later run starts as the next schedule tick would, while the first is busy.
                tokio::time::sleep(std::time::Duration::from_millis(500 * k as u64)).await;
                // A run that fails (the emulator timing out a Query under load) is
                // retried as the next schedule tick would retry it; its sends so far
                // stand, and the retry finds only what is left.
                let mut attempts = 0;
                loop {
                    match dispatch
                        .dispatch_due(due + Duration::seconds(k as i64))
                        .await
                    {
                        Ok(report) => break report,
                        Err(e) if attempts < 5 => {
                            attempts += 1;
                            eprintln!("dispatch run {k} failed ({e}); retrying like the next tick");
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        }
                        Err(e) => panic!("dispatch failed 6 times: {e}"),
                    }
                }
            }
        });
        let reports: Vec<DispatchReport> = futures::future::join_all(runs).await;
        let elapsed = began.elapsed().as_secs_f64();
        let counts = texts_per_phone(&http, &emulator, &phones).await;
        scenarios.push(Scenario {
            name: if overlap == 1 {
                "one run".into()
            } else {
                format!("{overlap} overlapping runs")
            },
            duplicates: counts.values().map(|c| c.saturating_sub(1)).sum(),
            misses: phones.iter().filter(|p| !counts.contains_key(*p)).count(),
            reports,
            elapsed,
        });
        if let Some(s) = scenarios.last() {
            // Each scenario's figures as soon as it ends: a 10,000 run takes long.
            let sum = |f: fn(&DispatchReport) -> usize| s.reports.iter().map(f).sum::<usize>();
            eprintln!(
                "{}: sent {}, suppressed {}, failed {}, already handled {}, duplicates {}, misses {}, {:.1} s",
                s.name,
                sum(|r| r.sent),
                sum(|r| r.suppressed),
                sum(|r| r.failed),
                sum(|r| r.already_handled),
                s.duplicates,
                s.misses,
                s.elapsed
            );
        }
    }
    println!("| scenario | reminders | limit (msg/s) | sent | duplicates | misses | elapsed (s) | achieved (msg/s) | share of limit |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for s in &scenarios {
        let sent: usize = s.reports.iter().map(|r| r.sent).sum();
        let achieved = sent as f64 / s.elapsed;
        // The pacer's first send is immediate: n sends span (n - 1) intervals.
        let ideal = (sent.saturating_sub(1)) as f64 / args.rate;
        let share = if s.elapsed > 0.0 {
            ideal / s.elapsed * 100.0
        } else {
            0.0
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.1} | {:.1} | {:.1}% |",
            s.name,
            args.reminders,
            args.rate,
            sent,
            s.duplicates,
            s.misses,
            s.elapsed,
            achieved,
            share
        );
    }
    let failed = scenarios.iter().any(|s| s.duplicates > 0 || s.misses > 0);
    if failed {
        eprintln!("FAILED: duplicates or misses");
        std::process::exit(1);
    }
}
