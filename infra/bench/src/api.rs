//! API benchmark: the DynamoDB requests each main route makes (counted at the emulator,
//! so Scans would show), and warm latency of the local stack for those routes, p50 and
//! p99, beside the emulator's own latency for one GetItem through the SDK — so the
//! figure shows our overhead, not the emulator's.
//!
//! Usage (the emulator must be running; `make bench` starts it):
//!   api-bench [--samples 200]
use bench::Call;
use local_stack::inspect::meta_key;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn call(&self, call: Call<'_>) -> (u16, Value) {
        call.send(&self.http, &self.base).await
    }

    async fn token(&self, sub: &str, email: &str) -> String {
        bench::dev_token(&self.http, &self.base, sub, email).await
    }
}

/// How long the asynchronous consequences of a request take to finish locally: a text
/// sent off the event bus, then its delivery report, which the local carrier writes
/// 1.5 s after SNS took the text (`local_stack::carrier`), and the consumer's writes.
const SETTLE: Duration = Duration::from_millis(3500);

async fn dynamodb_calls(http: &reqwest::Client, emulator: &str, reset: bool) -> Value {
    let req = if reset {
        http.post(format!("{emulator}/_stats"))
    } else {
        http.get(format!("{emulator}/_stats"))
    };
    req.send().await.unwrap().json::<Value>().await.unwrap()["dynamodb"].clone()
}

/// The requests counted, and them by operation (`GetItem 1, Query 2`).
fn summary(calls: &Value) -> (u64, String) {
    let calls = calls.as_object().unwrap();
    let total = calls.values().filter_map(Value::as_u64).sum();
    let by_op: Vec<String> = calls.iter().map(|(k, v)| format!("{k} {v}")).collect();
    (total, by_op.join(", "))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let samples: usize = bench::arg("--samples", 200);
    let emulator = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL (make bench starts the emulator)");
    std::env::set_var("RUST_LOG", "error");
    shared::telemetry::init();
    let mut options = bench::stack_options("api", "template.yaml".into(), &emulator);
    let prefix = options.prefix.clone();
    bench::lift_abuse_limits(&mut options);
    let stack = local_stack::start(options).await.expect("local stack");
    let c = Client {
        http: reqwest::Client::new(),
        base: stack.base_url.clone(),
    };

    // A world: workspace with SMS, a study, a participant in a conversation, a booking.
    let owner = c.token("owner", "owner@example.org").await;
    let study = bench::interview_study(&c.http, &c.base, &owner, "Bench Lab", "Bench").await;
    let sid = study["id"].as_str().unwrap().to_owned();
    let share = study["share_token"].as_str().unwrap().to_owned();
    let (_, p) = c
        .call(
            Call::new("POST", &format!("/studies/{sid}/participants"))
                .token(&owner)
                .body(&json!({"email": "pat@example.org", "name": "Pat", "source": "direct"})),
        )
        .await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let (_, conv) = c
        .call(
            Call::new("POST", &format!("/studies/{sid}/conversations"))
                .token(&owner)
                .body(&json!({"participant_id": pid, "body": "Hello"})),
        )
        .await;
    let cid = conv["conversation_id"].as_str().unwrap().to_owned();
    let pat = c.token("pat", "pat@example.org").await;
    c.call(Call::new("POST", &format!("/me/conversations/{cid}/accept")).token(&pat))
        .await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(9))
        .format("%Y-%m-%dT15:00:00Z")
        .to_string();
    let booking_body = |n: usize| {
        json!({"name": "Ann", "email": format!("ann{n}@example.org"), "starts_at": starts,
        "time_zone": "America/New_York", "phone": format!("+1617555{:04}", 101 + n % 8999), "sms_consent": true})
    };
    let (_, booked) = c
        .call(
            Call::new("POST", &format!("/public/studies/{share}/bookings")).body(&booking_body(0)),
        )
        .await;
    let bid = booked["booking_id"].as_str().unwrap().to_owned();

    type Route = (&'static str, String, Option<String>, Option<Value>);
    let routes: Vec<Route> = vec![
        (
            "GET /studies/{sid}",
            format!("/studies/{sid}"),
            Some(owner.clone()),
            None,
        ),
        (
            "GET /public/studies/{share_token}",
            format!("/public/studies/{share}"),
            None,
            None,
        ),
        (
            "POST /public/studies/{share_token}/bookings (+ its confirmation text)",
            format!("/public/studies/{share}/bookings"),
            None,
            Some(booking_body(1)),
        ),
        (
            "GET /studies/{sid}/bookings/{bid}/sms",
            format!("/studies/{sid}/bookings/{bid}/sms"),
            Some(owner.clone()),
            None,
        ),
        (
            "POST /studies/{sid}/conversations/{cid}/messages",
            format!("/studies/{sid}/conversations/{cid}/messages"),
            Some(owner.clone()),
            Some(json!({"body": "Update"})),
        ),
        (
            "GET /studies/{sid}/conversations",
            format!("/studies/{sid}/conversations"),
            Some(owner.clone()),
            None,
        ),
        (
            "GET /me/conversations",
            "/me/conversations".into(),
            Some(pat.clone()),
            None,
        ),
        (
            "GET /me/conversations/{cid}/messages (inbox page)",
            format!("/me/conversations/{cid}/messages"),
            Some(pat.clone()),
            None,
        ),
        (
            "POST /me/conversations/{cid}/messages",
            format!("/me/conversations/{cid}/messages"),
            Some(pat.clone()),
            Some(json!({"body": "Reply"})),
        ),
        (
            "GET /me/notifications",
            "/me/notifications".into(),
            Some(pat.clone()),
            None,
        ),
    ];

    println!("## DynamoDB requests per route (one warm call each, counted at the emulator, including what it sets off asynchronously)\n");
    println!("| route | status | DynamoDB requests | by operation |");
    println!("|---|---|---|---|");
    let http = reqwest::Client::new();
    let mut scans = 0;
    for (name, path, token, body) in &routes {
        let method = name.split(' ').next().unwrap();
        let call = Call {
            token: token.as_deref(),
            body: body.as_ref(),
            ..Call::new(method, path)
        };
        // A warm call; then let earlier asynchronous work (texts sent off the event bus,
        // their carrier reports) finish first, and count what this request sets off,
        // including its asynchronous consequences.
        c.call(call).await;
        tokio::time::sleep(SETTLE).await;
        dynamodb_calls(&http, &emulator, true).await;
        let (status, _) = c.call(call).await;
        tokio::time::sleep(SETTLE).await;
        let calls = dynamodb_calls(&http, &emulator, false).await;
        let (total, by_op) = summary(&calls);
        scans += calls.get("Scan").and_then(Value::as_u64).unwrap_or(0);
        println!("| `{name}` | {status} | {total} | {} |", by_op);
    }
    // One reminder sent by the dispatcher: a booking 20 minutes out, then a tick at the
    // reminder's due time (15 minutes before the start).
    use chrono::{DurationRound, TimeDelta};
    let start = (chrono::Utc::now() + TimeDelta::minutes(20))
        .duration_trunc(TimeDelta::minutes(1))
        .unwrap();
    let mut body = booking_body(2);
    body["starts_at"] = json!(start.format("%Y-%m-%dT%H:%M:00Z").to_string());
    c.call(Call::new("POST", &format!("/public/studies/{share}/bookings")).body(&body))
        .await;
    tokio::time::sleep(SETTLE).await;
    // An idle tick first: a minute with nothing due.
    dynamodb_calls(&http, &emulator, true).await;
    c.call(
        Call::new("POST", "/_dev/tick")
            .body(&json!({"now": (start - TimeDelta::minutes(45)).to_rfc3339()})),
    )
    .await;
    let calls = dynamodb_calls(&http, &emulator, false).await;
    let (total, by_op) = summary(&calls);
    println!(
        "| an idle dispatcher tick (nothing due) | — | {total} | {} |",
        by_op
    );
    dynamodb_calls(&http, &emulator, true).await;
    let due = start - TimeDelta::minutes(15);
    let (_, ran) = c
        .call(Call::new("POST", "/_dev/tick").body(&json!({"now": due.to_rfc3339()})))
        .await;
    eprintln!("tick: {ran}");
    let calls = dynamodb_calls(&http, &emulator, false).await;
    let (total, by_op) = summary(&calls);
    println!(
        "| one dispatcher tick sending one due reminder (+ 1 SNS Publish) | — | {total} | {} |",
        by_op
    );
    println!("\nScan requests seen: {scans}\n");

    println!("## Warm latency, {samples} sequential requests each (local stack, dev profile, emulator)\n");
    println!("| route | p50 | p99 |");
    println!("|---|---|---|");
    for (name, path, token, body) in routes.iter().filter(|r| r.0.starts_with("GET")) {
        let call = Call {
            token: token.as_deref(),
            body: body.as_ref(),
            ..Call::new("GET", path)
        };
        let mut times = Vec::with_capacity(samples);
        for _ in 0..samples {
            let t = Instant::now();
            c.call(call).await;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "| `{name}` | {} | {} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
    // The emulator's own floor: one GetItem through the SDK.
    let sdk = shared::aws::emulator_sdk_config(&emulator).await;
    let ddb = aws_sdk_dynamodb::Client::new(&sdk);
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        ddb.get_item()
            .table_name(format!("{prefix}MainTable"))
            .set_key(Some(meta_key(format!("STUDY#{sid}"))))
            .send()
            .await
            .expect("GetItem");
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "| emulator alone: one `GetItem` through the SDK | {} | {} |",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
}
