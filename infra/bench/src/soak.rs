//! The fault soak (`make soak`; a shorter run is part of `make test`): the local stack
//! with every AWS SDK call of the application going through `infra/emulator/fault_proxy.py`,
//! which throttles, fails, delays and drops a set fraction of them (seeded), while N
//! public bookings are made, some rescheduled, some cancelled and some phones texting
//! STOP, through the public HTTP API, retried as a real client would. Then the reminder
//! dispatcher runs every minute of the interviews' reminder window (`/_dev/tick`), then
//! at event times past the stale-claim sweep's 15 minutes, and the emulator's outbox,
//! tables and failure queue, read directly (not through the proxy), are checked: no
//! text twice, no reminder lost, none for a cancelled booking or a STOPped phone, one
//! `granted` record per booking and an `opted_out` record per STOP, every failure
//! visible (a `failed` entry has its report in the failure queue; no entry is left
//! `sending`). Prints a figures table; exits 1 on any violation.
//!
//! Usage (the emulator must be running; `make soak` starts it):
//!   soak [--bookings 1000] [--rate 0.05] [--seed 7] [--concurrency 8] [--slots 20]
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::get_item::GetItemError;
use aws_sdk_dynamodb::types::AttributeValue;
use bench::Call;
use chrono::{DateTime, Duration, DurationRound, TimeDelta, Utc};
use futures::stream::{self, StreamExt};
use local_stack::inspect::get_json;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// splitmix64: a seeded, dependency-free RNG for the scenario's plan.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Default)]
struct ClientStats {
    requests: AtomicUsize,
    retried: AtomicUsize,
    gave_up: AtomicUsize,
    inbound_redelivered: AtomicUsize,
    inbound_dead_lettered: AtomicUsize,
    conflicts_resolved_by_reading: AtomicUsize,
}

struct Client {
    http: reqwest::Client,
    base: String,
    stats: ClientStats,
}

const ATTEMPTS: usize = 10;

/// What one `POST /_dev/tick` ran, and how many of its runs failed (all, when the
/// answer names none).
struct Tick {
    ran: Value,
    errors: usize,
}

impl Client {
    /// Runs the scheduled functions as at `at`.
    async fn tick(&self, at: DateTime<Utc>) -> Tick {
        let now = json!({"now": at.to_rfc3339()});
        let (_, ran) = self.call(Call::new("POST", "/_dev/tick").body(&now)).await;
        let errors = ran["ran"]
            .as_array()
            .map(|r| r.iter().filter(|x| x.get("error").is_some()).count())
            .unwrap_or(1);
        Tick { ran, errors }
    }

    async fn once(&self, call: Call<'_>) -> Result<(u16, Value), String> {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let req = call
            .request(&self.http, &self.base)
            .timeout(std::time::Duration::from_secs(60));
        let res = req.send().await.map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let text = res.text().await.map_err(|e| e.to_string())?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// A client that retries what a client should: transport errors, 5xx, 429, and 409
    /// `request_in_progress` (the twin of an idempotent request still running), with
    /// backoff, the same Idempotency-Key each time.
    async fn call(&self, call: Call<'_>) -> (u16, Value) {
        let mut last = (0, Value::Null);
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                self.stats.retried.fetch_add(1, Ordering::Relaxed);
                let ms = (50u64 << attempt.min(6)).min(2000);
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            }
            match self.once(call).await {
                Ok((status, body))
                    if status >= 500
                        || status == 429
                        || (status == 409 && body["code"] == "request_in_progress") =>
                {
                    last = (status, body);
                }
                Ok(answer) => return answer,
                Err(e) => last = (0, json!({ "transport_error": e })),
            }
        }
        self.stats.gave_up.fetch_add(1, Ordering::Relaxed);
        last
    }

    /// Delivers one inbound text as SNS → Lambda would: the same message again when
    /// the function fails (Lambda's 2 retries), then to the dead-letter queue, from
    /// which the person on call redrives it (counted).
    async fn inbound(&self, from: &str, body: &str, message_id: &str) -> bool {
        let fields = json!({"from": from, "body": body, "inbound_message_id": message_id});
        for delivery in 0..ATTEMPTS {
            if delivery > 0 {
                self.stats
                    .inbound_redelivered
                    .fetch_add(1, Ordering::Relaxed);
            }
            if delivery == 3 {
                self.stats
                    .inbound_dead_lettered
                    .fetch_add(1, Ordering::Relaxed);
            }
            let (status, answer) = self
                .call(Call::new("POST", "/_dev/sms/inbound").body(&fields))
                .await;
            let failed = answer["delivered"]
                .as_array()
                .map(|d| d.is_empty() || d.iter().any(|r| r.get("error").is_some()))
                .unwrap_or(true);
            if status == 200 && !failed {
                return true;
            }
        }
        false
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    Keep,
    Reschedule,
    Cancel,
    Stop,
    RescheduleThenCancel,
    RescheduleThenStop,
}

impl Plan {
    fn draw(rng: &mut Rng) -> Self {
        match rng.below(100) {
            0..=14 => Plan::Reschedule,
            15..=24 => Plan::Cancel,
            25..=34 => Plan::Stop,
            35..=39 => Plan::RescheduleThenCancel,
            40..=44 => Plan::RescheduleThenStop,
            _ => Plan::Keep,
        }
    }
    fn reschedules(self) -> bool {
        matches!(
            self,
            Plan::Reschedule | Plan::RescheduleThenCancel | Plan::RescheduleThenStop
        )
    }
    fn cancels(self) -> bool {
        matches!(self, Plan::Cancel | Plan::RescheduleThenCancel)
    }
    fn stops(self) -> bool {
        matches!(self, Plan::Stop | Plan::RescheduleThenStop)
    }
}

struct Booking {
    index: usize,
    study: usize,
    phone: String,
    plan: Plan,
    starts_at: DateTime<Utc>,
    moved_to: DateTime<Utc>,
    booking_id: Option<String>,
    /// What the client finally learnt about each step (false: it never got through).
    steps_ok: bool,
}

/// Fictional numbers (555-01xx) in enough area codes for `n` bookings.
fn phone(i: usize) -> String {
    const AREAS: [&str; 16] = [
        "212", "213", "312", "415", "503", "602", "702", "718", "206", "305", "404", "512", "617",
        "303", "412", "614",
    ];
    format!("+1{}55501{:02}", AREAS[i / 100], i % 100)
}

fn classify(body: &str) -> &'static str {
    if body.contains("You are unsubscribed") {
        "stop_reply"
    } else if body.contains("Reminder:") {
        "reminder"
    } else if body.contains("is booked for") {
        "confirmation"
    } else if body.contains("has moved to") {
        "schedule_change"
    } else if body.contains("has been cancelled") {
        "cancellation"
    } else {
        "other"
    }
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn text(item: &HashMap<String, AttributeValue>, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

/// The item of `table` at (`pk`, `sk`), read directly and consistently; empty when
/// there is none.
async fn get_item(
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
    pk: String,
    sk: &str,
) -> Result<HashMap<String, AttributeValue>, SdkError<GetItemError, HttpResponse>> {
    let out = ddb
        .get_item()
        .table_name(table)
        .key("pk", s(pk))
        .key("sk", s(sk))
        .consistent_read(true)
        .send()
        .await?;
    Ok(out.item.unwrap_or_default())
}

async fn query_all(
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
    pk: &str,
    prefix: Option<&str>,
) -> Vec<HashMap<String, AttributeValue>> {
    let mut out = Vec::new();
    let mut start = None;
    loop {
        let mut q = ddb
            .query()
            .table_name(table)
            .consistent_read(true)
            .expression_attribute_values(":pk", s(pk))
            .set_exclusive_start_key(start);
        q = match prefix {
            Some(p) => q
                .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
                .expression_attribute_values(":p", s(p)),
            None => q.key_condition_expression("pk = :pk"),
        };
        let page = q.send().await.expect("query the emulator directly");
        out.extend(page.items.unwrap_or_default());
        start = page.last_evaluated_key;
        if start.is_none() {
            return out;
        }
    }
}

async fn outbox(http: &reqwest::Client, emulator: &str) -> Vec<Value> {
    let outbox = get_json(http, &format!("{emulator}/_outbox")).await;
    outbox.expect("emulator outbox")["sms"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits until the outbox has not grown for `quiet` (asynchronous sends, redelivered
/// events: the local event queues make a failed delivery visible again after 5 s).
async fn settle(http: &reqwest::Client, emulator: &str, quiet: std::time::Duration) {
    let mut last = usize::MAX;
    let mut since = std::time::Instant::now();
    loop {
        let n = outbox(http, emulator).await.len();
        if n != last {
            last = n;
            since = std::time::Instant::now();
        } else if since.elapsed() >= quiet {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

#[tokio::main]
async fn main() {
    let started = std::time::Instant::now();
    let bookings_n: usize = bench::arg("--bookings", 1000);
    let rate: f64 = bench::arg("--rate", 0.05);
    let seed: u64 = bench::arg("--seed", 7);
    let concurrency: usize = bench::arg("--concurrency", 8);
    // Interviews in this many one-minute slots; the dispatcher runs every minute from
    // 15 minutes before the first to the minute before the last (slots + 14 runs).
    let slots: usize = bench::arg::<usize>("--slots", 20).max(2);
    assert!(
        bookings_n <= 1600,
        "at most 1,600 bookings (fictional numbers)"
    );
    let emulator = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL is not set: `make soak` starts the emulator");
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    shared::telemetry::init();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let proxy = local_stack::fault_proxy::start(&root, &emulator).unwrap_or_else(|e| panic!("{e}"));
    let http = reqwest::Client::new();
    let faults = |config: Value| {
        let http = http.clone();
        let url = format!("{}/_faults", proxy.url);
        async move {
            http.post(url)
                .json(&config)
                .send()
                .await
                .expect("fault proxy")
                .json::<Value>()
                .await
                .expect("fault proxy json")
        }
    };
    faults(json!({"rate": 0})).await;

    // The application's SDK calls go through the proxy; attempts time out after 4 s
    // (a loaded 2-core machine runs moto slowly), and the proxy's delays last 5 s.
    let mut options = bench::stack_options("soak", root.join("template.yaml"), &proxy.url);
    let prefix = options.prefix.clone();
    options.sdk_attempt_timeout = std::time::Duration::from_secs(4);
    options
        .parameters
        .insert("SmsMessagesPerSecond".to_owned(), "500".to_owned());
    bench::lift_abuse_limits(&mut options);
    let stack = local_stack::start(options).await.expect("local stack");
    let client = Arc::new(Client {
        http: reqwest::Client::new(),
        base: stack.base_url.clone(),
        stats: ClientStats::default(),
    });
    faults(json!({"rate": rate, "seed": seed, "delay_seconds": 5})).await;
    eprintln!(
        "soak: {bookings_n} bookings, fault rate {rate}, seed {seed}, stack {} via {}",
        stack.base_url, proxy.url
    );

    // A workspace with SMS on and four interview studies (reminders on by default).
    let (_, token) = client
        .call(
            Call::new("POST", "/_dev/token")
                .body(&json!({"sub": "soak-admin", "email": "soak-admin@example.org"})),
        )
        .await;
    let admin = token["token"].as_str().expect("token").to_owned();
    let (status, ws) = client
        .call(
            Call::new("POST", "/workspaces")
                .token(&admin)
                .body(&json!({"name": "Soak Lab"}))
                .idempotency_key(&format!("soak-ws-{seed}")),
        )
        .await;
    assert_eq!(status, 201, "workspace: {ws}");
    let ws = ws["id"].as_str().expect("workspace id").to_owned();
    let (status, answer) = client
        .call(
            Call::new("PUT", &format!("/workspaces/{ws}/settings/sms"))
                .token(&admin)
                .body(&json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 200, "sms on: {answer}");
    let mut studies = Vec::new();
    for n in 0..4 {
        let (status, study) = client
            .call(
                Call::new("POST", &format!("/workspaces/{ws}/studies"))
                    .token(&admin)
                    .body(&json!({"name": format!("Soak {n}"), "kind": "interview", "recruitment": "direct"}))
                    .idempotency_key(&format!("soak-study-{seed}-{n}")),
            )
            .await;
        assert_eq!(status, 201, "study: {study}");
        studies.push((
            study["id"].as_str().expect("study id").to_owned(),
            study["share_token"].as_str().expect("share").to_owned(),
        ));
    }
    let studies = Arc::new(studies);

    // The plan, from the seed: interviews tomorrow in one-minute slots.
    let t0 = (Utc::now() + Duration::days(1))
        .duration_trunc(TimeDelta::hours(1))
        .expect("hour");
    let mut rng = Rng(seed);
    let plan: Vec<Booking> = (0..bookings_n)
        .map(|i| Booking {
            index: i,
            study: i % studies.len(),
            phone: phone(i),
            plan: Plan::draw(&mut rng),
            starts_at: t0 + Duration::minutes((i % slots) as i64),
            moved_to: t0 + Duration::minutes(((i + slots / 2) % slots) as i64),
            booking_id: None,
            steps_ok: true,
        })
        .collect();

    // A scheduler at real time meanwhile, as EventBridge Scheduler would (it sends the
    // texts whose events were lost).
    let ticking = Arc::new(AtomicBool::new(true));
    let ticker = {
        let client = client.clone();
        let ticking = ticking.clone();
        tokio::spawn(async move {
            while ticking.load(Ordering::Relaxed) {
                let _ = client.once(Call::new("POST", "/_dev/tick")).await;
                for _ in 0..30 {
                    if !ticking.load(Ordering::Relaxed) {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        })
    };

    let booking_phase = std::time::Instant::now();
    let done: Vec<Booking> = stream::iter(plan)
        .map(|mut b| {
            let client = client.clone();
            let studies = studies.clone();
            let admin = admin.clone();
            async move {
                let (sid, share) = &studies[b.study];
                let body = json!({
                    "name": "Soak Participant",
                    "email": format!("soak{}@example.org", b.index),
                    "starts_at": b.starts_at.to_rfc3339(),
                    "time_zone": "America/New_York",
                    "phone": b.phone,
                    "sms_consent": true,
                });
                let (status, answer) = client
                    .call(
                        Call::new("POST", &format!("/public/studies/{share}/bookings"))
                            .body(&body)
                            .idempotency_key(&format!("soak-{seed}-{}", b.index)),
                    )
                    .await;
                if status != 201 {
                    eprintln!("booking {}: {status} {answer}", b.index);
                    b.steps_ok = false;
                    return b;
                }
                let bid = answer["booking_id"]
                    .as_str()
                    .expect("booking id")
                    .to_owned();
                b.booking_id = Some(bid.clone());
                let path = format!("/studies/{sid}/bookings/{bid}");
                if b.plan.reschedules() {
                    b.steps_ok &= change(&client, &admin, &path, "reschedule", b.moved_to).await;
                }
                if b.plan.cancels() {
                    b.steps_ok &= change(&client, &admin, &path, "cancel", b.moved_to).await;
                }
                if b.plan.stops() {
                    b.steps_ok &= client
                        .inbound(&b.phone, "STOP", &format!("soak-{seed}-stop-{}", b.index))
                        .await;
                }
                b
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let booking_secs = booking_phase.elapsed().as_secs_f64();
    settle(&http, &emulator, std::time::Duration::from_secs(8)).await;
    ticking.store(false, Ordering::Relaxed);
    let _ = ticker.await;
    let _ = client.once(Call::new("POST", "/_dev/tick")).await;
    settle(&http, &emulator, std::time::Duration::from_secs(8)).await;

    // The reminder window, one scheduler run a minute: from 15 minutes before the
    // first interview to the minute before the last.
    let mut tick_errors = 0;
    let mut at = t0 - Duration::minutes(15);
    let last = t0 + Duration::minutes(slots as i64 - 1);
    let mut ticks = 0;
    while at < last {
        let ran = client.tick(at).await;
        ticks += 1;
        tick_errors += ran.errors;
        at += Duration::minutes(1);
    }
    settle(&http, &emulator, std::time::Duration::from_secs(6)).await;
    // The stale-claim sweep, once every claim is older than its 15 minutes: runs at
    // 16 and 17 minutes past the real time (the confirmations and other texts sent at
    // once) and past the window (the reminders). After them no log entry may be left
    // `sending`: a claim nobody finished must be `failed` and reported.
    let real_end = Utc::now();
    let mut sweeps = 0;
    for at in [
        real_end + Duration::minutes(16),
        real_end + Duration::minutes(17),
        last + Duration::minutes(16),
        last + Duration::minutes(17),
    ] {
        let ran = client.tick(at).await;
        ticks += 1;
        tick_errors += ran.errors;
        sweeps += ran.ran["ran"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["result"]["stale_claims"]["unconfirmed"].as_u64())
            .sum::<u64>() as usize;
    }
    settle(&http, &emulator, std::time::Duration::from_secs(6)).await;
    let injected = get_json(&http, &format!("{}/_faults", proxy.url))
        .await
        .expect("fault proxy");
    faults(json!({"rate": 0})).await;

    // ---- Checks, against the emulator directly.
    let sdk = shared::aws::emulator_sdk_config(&emulator).await;
    let ddb = aws_sdk_dynamodb::Client::new(&sdk);
    let main_table = format!("{prefix}MainTable");
    let consent_table = format!("{prefix}ConsentTable");
    let sms = outbox(&http, &emulator).await;
    let mut texts: HashMap<String, BTreeMap<&'static str, Vec<String>>> = HashMap::new();
    for m in &sms {
        let to = m["to"].as_str().unwrap_or_default().to_owned();
        let body = m["body"].as_str().unwrap_or_default().to_owned();
        texts
            .entry(to)
            .or_default()
            .entry(classify(&body))
            .or_default()
            .push(body);
    }
    // The failure queue's reports (read once, here), by intent.
    let failure_reports: Vec<Value> =
        local_stack::inspect::receive_all(&emulator, &format!("{prefix}SmsFailureQueue"), 3600)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter_map(|body| serde_json::from_str(&body).ok())
            .collect();
    let reported: std::collections::HashSet<String> = failure_reports
        .iter()
        .filter_map(|r| r["intent_id"].as_str().map(str::to_owned))
        .collect();
    // Publish calls the proxy made ambiguous (the request reached it; its answer was an
    // error, lost, or late): each may end in a text `failed` / `unconfirmed`, or in a
    // STOP reply that never went out (a reply has no log entry; it is logged as an
    // error and never resent).
    let publish_faults = &injected["by_operation"]["SNS.Publish"];
    let ambiguous_publishes: usize = [
        "http500",
        "http503",
        "drop_before",
        "drop_after",
        "delay",
        "apply_late",
    ]
    .iter()
    .filter_map(|k| publish_faults[*k].as_u64())
    .sum::<u64>() as usize;
    let mut replies_unconfirmed = 0usize;
    let mut violations: Vec<String> = Vec::new();
    let mut figures: BTreeMap<&str, usize> = BTreeMap::new();
    let mut bump = |k: &'static str, n: usize| *figures.entry(k).or_default() += n;
    let ny: chrono_tz::Tz = "America/New_York".parse().expect("tz");
    for b in &done {
        let Some(bid) = &b.booking_id else {
            violations.push(format!(
                "booking #{}: the client never got it accepted",
                b.index
            ));
            continue;
        };
        if !b.steps_ok {
            violations.push(format!("booking {bid}: a change or STOP never got through"));
        }
        bump("bookings accepted", 1);
        let meta = get_item(&ddb, &main_table, format!("BOOKING#{bid}"), "META")
            .await
            .expect("get booking");
        let status = text(&meta, "status").unwrap_or_default();
        let starts_at: Option<DateTime<Utc>> = text(&meta, "starts_at")
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc));
        let want_start = if b.plan.reschedules() {
            b.moved_to
        } else {
            b.starts_at
        };
        let want_status = if b.plan.cancels() {
            "cancelled"
        } else {
            "booked"
        };
        if status != want_status || starts_at != Some(want_start) {
            violations.push(format!(
                "booking {bid}: {status} at {starts_at:?}, expected {want_status} at {want_start}"
            ));
        }
        let stopped = b.plan.stops();
        if b.plan.reschedules() {
            bump("rescheduled", 1);
        }
        if b.plan.cancels() {
            bump("cancelled", 1);
        }
        if stopped {
            bump("STOPs", 1);
        }
        let log = query_all(&ddb, &main_table, &format!("BOOKING#{bid}"), Some("SMS#")).await;
        let logged = |kind: &str, st: &str| {
            log.iter()
                .filter(|e| {
                    text(e, "kind").as_deref() == Some(kind)
                        && text(e, "status").as_deref() == Some(st)
                })
                .count()
        };
        let mine = texts.get(&b.phone).cloned().unwrap_or_default();
        let got = |kind: &str| mine.get(kind).map(Vec::len).unwrap_or(0);
        for kind in [
            "confirmation",
            "reminder",
            "schedule_change",
            "cancellation",
            "stop_reply",
            "other",
        ] {
            if got(kind) > 1 {
                bump("duplicate texts", got(kind) - 1);
                violations.push(format!("booking {bid}: {} {kind} texts", got(kind)));
            }
        }
        for e in &log {
            let kind = text(e, "kind").unwrap_or_default();
            if text(e, "status").as_deref() == Some("failed") {
                bump("SMS log entries failed (visible)", 1);
                if text(e, "reason").as_deref() == Some("unconfirmed") {
                    bump(
                        "  of which `unconfirmed` (publish or claim without an answer)",
                        1,
                    );
                    if got(&kind) > 0 {
                        bump("  of which the text did go out (once)", 1);
                    }
                }
                // Handled only if a person is told: its report is in the failure queue.
                let intent = text(e, "intent_id").unwrap_or_default();
                if !reported.contains(&intent) {
                    violations.push(format!(
                        "booking {bid}: a {kind} logged `failed` but not in the failure queue"
                    ));
                }
            }
            // Every claim is older than the sweep's 15 minutes by now: one still
            // `sending` was missed by the sweep, whether its text went out or not.
            if text(e, "status").as_deref() == Some("sending") {
                if got(&kind) == 0 {
                    violations.push(format!(
                        "booking {bid}: a {kind} claimed but never sent, its log left `sending` past the sweep"
                    ));
                    bump("claimed, never sent, log `sending` (invisible)", 1);
                } else {
                    violations.push(format!(
                        "booking {bid}: a {kind} sent, its log left `sending` past the sweep"
                    ));
                    bump("sent, log left `sending`", 1);
                }
            }
        }
        // Per kind: (filed for this booking, must have gone out). A text that must go
        // out is there once, or its log entry says `failed`. A text filed but overtaken
        // by a change or a STOP (the confirmation of a rescheduled booking, say) is
        // there once, or its log entry says why not (`suppressed` with a reason).
        let keep = b.plan == Plan::Keep;
        let expect = [
            ("confirmation", true, keep),
            (
                "schedule_change",
                b.plan.reschedules(),
                b.plan.reschedules() && !stopped && !b.plan.cancels(),
            ),
            ("cancellation", b.plan.cancels(), b.plan.cancels()),
            ("reminder", false, !stopped && !b.plan.cancels()),
            ("stop_reply", false, stopped),
        ];
        for (kind, filed, required) in expect {
            let n = got(kind);
            bump(
                match kind {
                    "confirmation" => "texts: confirmation",
                    "schedule_change" => "texts: schedule change",
                    "cancellation" => "texts: cancellation",
                    "reminder" => "texts: reminder",
                    _ => "texts: STOP reply",
                },
                n,
            );
            if n > 0 {
                continue;
            }
            if required {
                if logged(kind, "failed") > 0 {
                    continue;
                }
                if kind == "stop_reply" {
                    // Checked against the ambiguous publishes below.
                    replies_unconfirmed += 1;
                    continue;
                }
                bump(
                    if kind == "reminder" {
                        "lost reminders"
                    } else {
                        "lost other texts"
                    },
                    1,
                );
                violations.push(format!("booking {bid}: no {kind} text and no failure"));
            } else if filed {
                if logged(kind, "suppressed") + logged(kind, "failed") > 0 {
                    bump(
                        "texts overtaken by a change or STOP (suppressed, logged)",
                        1,
                    );
                } else {
                    bump("lost other texts", 1);
                    violations.push(format!(
                        "booking {bid}: {kind} neither sent nor logged as suppressed"
                    ));
                }
            }
        }
        if b.plan.reschedules() && stopped && got("schedule_change") > 1 {
            violations.push(format!("booking {bid}: schedule change twice"));
        }
        if (stopped || b.plan.cancels()) && got("reminder") > 0 {
            bump("reminders to cancelled/STOPped", got("reminder"));
            violations.push(format!(
                "booking {bid}: a reminder although cancelled or STOPped"
            ));
        }
        if let Some(reminder) = mine.get("reminder").and_then(|r| r.first()) {
            let clock = want_start
                .with_timezone(&ny)
                .format("%-I:%M %p")
                .to_string();
            if !reminder.contains(&clock) {
                violations.push(format!("booking {bid}: the reminder names the wrong time"));
            }
        }
        // Consent evidence, from the consent table itself.
        let ledger = query_all(
            &ddb,
            &consent_table,
            &format!("WS#{ws}#PHONE#{}", b.phone),
            None,
        )
        .await;
        let action = |a: &str| {
            ledger
                .iter()
                .filter(|r| text(r, "action").as_deref() == Some(a))
                .count()
        };
        let granted_for_booking = ledger
            .iter()
            .filter(|r| {
                text(r, "action").as_deref() == Some("granted")
                    && text(r, "booking_id").as_deref() == Some(bid)
            })
            .count();
        bump("consent records: granted", action("granted"));
        bump("consent records: opted_out", action("opted_out"));
        if granted_for_booking != 1 || action("granted") != 1 {
            violations.push(format!(
                "booking {bid}: {} granted records ({granted_for_booking} naming it)",
                action("granted")
            ));
        }
        if stopped {
            if action("opted_out") != 1 {
                violations.push(format!(
                    "booking {bid}: {} opted_out records after one STOP",
                    action("opted_out")
                ));
            }
            let optout = get_item(&ddb, &main_table, format!("PHONE#{}", b.phone), "OPTOUT")
                .await
                .expect("get opt-out");
            if optout.get("opted_out").and_then(|v| v.as_bool().ok()) != Some(&true) {
                violations.push(format!("booking {bid}: STOPped phone not opted out"));
            }
        } else if action("opted_out") > 0 {
            violations.push(format!("booking {bid}: opted_out without a STOP"));
        }
    }
    bump(
        "STOP replies not sent after an ambiguous publish (logged, not resent)",
        replies_unconfirmed,
    );
    bump(
        "ambiguous SNS Publish faults (500/503/drop/delay)",
        ambiguous_publishes,
    );
    if replies_unconfirmed > ambiguous_publishes {
        violations.push(format!(
            "{replies_unconfirmed} STOP replies missing, more than the {ambiguous_publishes} publishes faulted"
        ));
    }
    let known: std::collections::HashSet<&str> = done.iter().map(|b| b.phone.as_str()).collect();
    let strays = sms
        .iter()
        .filter(|m| !known.contains(m["to"].as_str().unwrap_or_default()))
        .count();
    if strays > 0 {
        violations.push(format!("{strays} texts to numbers no booking has"));
    }
    // What a person on call would see: the failure queue and dead-letter queues.
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let mut queued_failures = failure_reports.len();
    for queue in [
        "SmsSenderDeadLetterQueue",
        "ReminderDispatcherDeadLetterQueue",
        "SmsInboundDeadLetterQueue",
    ] {
        if let Ok(url) = sqs
            .get_queue_url()
            .queue_name(format!("{prefix}{queue}"))
            .send()
            .await
        {
            let attrs = sqs
                .get_queue_attributes()
                .queue_url(url.queue_url().unwrap_or_default())
                .attribute_names(
                    aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages,
                )
                .send()
                .await
                .ok()
                .and_then(|a| a.attributes)
                .and_then(|a| {
                    a.get(&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
                        .cloned()
                })
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            queued_failures += attrs;
        }
    }

    // ---- Figures.
    println!(
        "\n## Fault soak: {bookings_n} bookings in {slots} slots, fault rate {rate}, seed {seed}\n"
    );
    println!("| figure | value |");
    println!("|---|---|");
    let row = |k: &str, v: String| println!("| {k} | {v} |");
    row(
        "AWS calls through the proxy",
        injected["requests"].to_string(),
    );
    row("faults injected", injected["faulted"].to_string());
    if let Some(kinds) = injected["injected"].as_object() {
        for (kind, n) in kinds {
            row(&format!("  {kind}"), n.to_string());
        }
    }
    row(
        "HTTP requests by the client (retries)",
        format!(
            "{} ({} retried, {} given up)",
            client.stats.requests.load(Ordering::Relaxed),
            client.stats.retried.load(Ordering::Relaxed),
            client.stats.gave_up.load(Ordering::Relaxed)
        ),
    );
    row(
        "inbound redeliveries (dead-lettered then redriven)",
        format!(
            "{} ({})",
            client.stats.inbound_redelivered.load(Ordering::Relaxed),
            client.stats.inbound_dead_lettered.load(Ordering::Relaxed)
        ),
    );
    row(
        "changes answered 409 after a retry, found applied on reading back",
        client
            .stats
            .conflicts_resolved_by_reading
            .load(Ordering::Relaxed)
            .to_string(),
    );
    row(
        "dispatcher runs (failed runs)",
        format!("{ticks} ({tick_errors})"),
    );
    row(
        "stale claims marked `failed` (unconfirmed) by the final sweeps",
        sweeps.to_string(),
    );
    row("texts in the outbox", sms.len().to_string());
    for (k, v) in &figures {
        row(k, v.to_string());
    }
    row(
        "messages in the failure queue and DLQs",
        queued_failures.to_string(),
    );
    row("booking phase", format!("{booking_secs:.0} s"));
    row("total", format!("{:.0} s", started.elapsed().as_secs_f64()));
    row("violations", violations.len().to_string());
    if let Some(by_op) = injected["by_operation"].as_object() {
        eprintln!("\nfaults by operation:");
        for (op, counts) in by_op {
            eprintln!("  {op}: {counts}");
        }
    }
    if !violations.is_empty() {
        eprintln!("\nVIOLATIONS ({}):", violations.len());
        for v in violations.iter().take(50) {
            eprintln!("  {v}");
        }
        drop(proxy);
        std::process::exit(1);
    }
    println!("\nno duplicate text, no lost reminder, no lost consent or opt-out record");
}

/// A reschedule or cancellation by the study team, retried; a 409 after a retry may
/// mean the first attempt went through, so the booking is read back (as a person
/// would reload the page).
async fn change(
    client: &Client,
    admin: &str,
    path: &str,
    what: &str,
    moved_to: DateTime<Utc>,
) -> bool {
    for _ in 0..ATTEMPTS {
        let (status, answer) = if what == "reschedule" {
            client
                .call(
                    Call::new("PATCH", path)
                        .token(admin)
                        .body(&json!({"starts_at": moved_to.to_rfc3339()})),
                )
                .await
        } else {
            client
                .call(Call::new("POST", &format!("{path}/cancel")).token(admin))
                .await
        };
        if status == 200 {
            return true;
        }
        if status != 409 {
            eprintln!("{what}: {status} {answer}");
            return false;
        }
        let (status, now) = client.call(Call::new("GET", path).token(admin)).await;
        if status != 200 {
            continue;
        }
        let done = if what == "reschedule" {
            now["starts_at"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| t == moved_to)
        } else {
            now["status"] == "cancelled"
        };
        if done {
            client
                .stats
                .conflicts_resolved_by_reading
                .fetch_add(1, Ordering::Relaxed);
            return true;
        }
    }
    false
}
