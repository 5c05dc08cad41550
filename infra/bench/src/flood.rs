//! The SMS-pumping flood (issue 17; docs/reliability.md): bookings from one client (or a
//! few) against one share link, each with a fresh number, while a handful of real
//! participants book from their own addresses. Reports how many texts went out to the
//! flood (at most the limit that applies) and that every real participant got their
//! confirmation. Loopback only: the flood comes from 127.0.0.x addresses, bounded in
//! number and concurrency. Exits non-zero when a bound is broken.
//!
//! Usage (the emulator must be running; `make flood` starts it):
//!   flood-bench [--bookings 1000] [--sources 1] [--participants 5] [--concurrency 16]
use bench::Call;
use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

fn client(last_octet: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last_octet)))
        .build()
        .expect("http client")
}

/// Fictional numbers (555-01xx) in area codes the tests do not use: `n` < 1,500.
fn flood_phone(n: usize) -> String {
    const AREAS: [&str; 15] = [
        "201", "202", "203", "205", "207", "208", "209", "210", "214", "215", "216", "217", "218",
        "219", "224",
    ];
    format!("+1{}55501{:02}", AREAS[n / 100], n % 100)
}

fn participant_phone(n: usize) -> String {
    format!("+1225555{:04}", 100 + n)
}

fn booking(n: usize, who: &str, phone: &str, starts_at: &str) -> Value {
    json!({
        "name": format!("{who} {n}"),
        "email": format!("{who}{n}-{}@example.org", uuid::Uuid::new_v4().simple()),
        "starts_at": starts_at,
        "time_zone": "America/New_York",
        "phone": phone,
        "sms_consent": true,
    })
}

#[tokio::main]
async fn main() {
    let bookings = bench::arg::<usize>("--bookings", 1000).min(1500);
    let sources = bench::arg::<usize>("--sources", 1).clamp(1, 100);
    let participants = bench::arg::<usize>("--participants", 5).clamp(1, 50);
    let concurrency = bench::arg::<usize>("--concurrency", 16).clamp(1, 64);
    let emulator = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL (make flood starts the emulator)");
    std::env::set_var("RUST_LOG", "error");
    shared::telemetry::init();

    // Limits count in clock hours: start clear of an hour's end, so one window holds
    // the whole run.
    let now = chrono::Utc::now();
    let left = 3600 - (now.timestamp() % 3600);
    if left < 300 {
        eprintln!("flood: waiting {left} s for the next clock hour");
        tokio::time::sleep(Duration::from_secs(left as u64 + 1)).await;
    }

    let template = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../template.yaml");
    let mut options = bench::stack_options("flood", template.clone(), &emulator);
    options
        .parameters
        .insert("SmsMessagesPerSecond".to_owned(), "200".to_owned());
    let stack = local_stack::start(options).await.expect("local stack");
    let base = stack.base_url.clone();
    let defaults = local_stack::template::Template::load(&template)
        .expect("template")
        .parameter_defaults();
    let limit = |name: &str| -> usize { defaults[name].parse().expect("a number") };
    let per_source = limit("BookingsPerSourceIpPerHour");
    let per_link = limit("BookingsPerShareLinkPerHour");

    // The study team's side: a workspace with SMS on, an interview study, its link.
    let admin_http = client(1);
    let token =
        bench::dev_token(&admin_http, &base, "flood-admin", "flood-admin@example.org").await;
    let study = bench::interview_study(&admin_http, &base, &token, "Flood Lab", "Flood").await;
    let share = study["share_token"]
        .as_str()
        .expect("share token")
        .to_owned();
    let path = format!("/public/studies/{share}/bookings");
    let starts_at = (chrono::Utc::now() + chrono::Duration::days(7))
        .format("%Y-%m-%dT15:00:00Z")
        .to_string();

    eprintln!(
        "flood: {bookings} bookings from {sources} address(es), {participants} real participants, \
         limits {per_source}/source/hour and {per_link}/link/hour"
    );
    let started = Instant::now();
    let flood_clients: Vec<reqwest::Client> = (0..sources).map(|i| client(10 + i as u8)).collect();
    let flood = stream::iter(0..bookings)
        .map(|n| {
            let (http, base, path, starts_at) =
                (&flood_clients[n % sources], &base, &path, &starts_at);
            async move {
                Call::new("POST", path)
                    .body(&booking(n, "bot", &flood_phone(n), starts_at))
                    .send(http, base)
                    .await
                    .0
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<u16>>();
    // The real participants book while the flood runs, each from their own address.
    let real = async {
        let mut statuses = Vec::new();
        for n in 0..participants {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let (status, _) = Call::new("POST", &path)
                .body(&booking(
                    n,
                    "participant",
                    &participant_phone(n),
                    &starts_at,
                ))
                .send(&client(200 + n as u8), &base)
                .await;
            statuses.push(status);
        }
        statuses
    };
    let (flood_statuses, real_statuses) = tokio::join!(flood, real);
    let flood_seconds = started.elapsed().as_secs_f64();

    // Texts are sent asynchronously: wait until the outbox stops growing.
    let mut texts: Vec<Value> = Vec::new();
    let mut last_len = usize::MAX;
    let settle_deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < settle_deadline {
        let (_, outbox) = Call::new("GET", "/_dev/outbox")
            .send(&admin_http, &base)
            .await;
        texts = outbox["sms"].as_array().cloned().unwrap_or_default();
        if texts.len() == last_len {
            break;
        }
        last_len = texts.len();
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    let flood_numbers: std::collections::HashSet<String> = (0..bookings).map(flood_phone).collect();
    let texts_to_flood = texts
        .iter()
        .filter(|t| {
            t["to"]
                .as_str()
                .is_some_and(|to| flood_numbers.contains(to))
        })
        .count();
    let confirmed = (0..participants)
        .filter(|n| {
            let phone = participant_phone(*n);
            texts.iter().any(|t| t["to"] == phone.as_str())
        })
        .count();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for s in &flood_statuses {
        *by_status.entry(*s).or_default() += 1;
    }
    let bound = (per_source * sources).min(per_link);
    let real_booked = real_statuses.iter().filter(|s| **s == 201).count();
    let report = json!({
        "bookings_attempted": bookings,
        "sources": sources,
        "flood_answers": by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "texts_to_flood_numbers": texts_to_flood,
        "limit_that_applies": bound,
        "real_participants": participants,
        "real_participants_booked": real_booked,
        "real_participants_confirmed": confirmed,
        "link_left_open": per_source * sources < per_link,
        "flood_seconds": (flood_seconds * 10.0).round() / 10.0,
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    let mut broken = Vec::new();
    if texts_to_flood > bound {
        broken.push(format!(
            "{texts_to_flood} texts to the flood, over the limit {bound}"
        ));
    }
    if by_status.keys().any(|s| *s != 201 && *s != 429) {
        broken.push(format!("answers other than 201 and 429: {by_status:?}"));
    }
    // Unless the flood comes from enough addresses to use up the link's own limit (then
    // the link is closed for the hour to everyone, real participants included).
    let link_left_open = per_source * sources < per_link;
    if link_left_open && (real_booked != participants || confirmed != participants) {
        broken.push(format!(
            "real participants: {real_booked} booked and {confirmed} confirmed of {participants}"
        ));
    }
    if !broken.is_empty() {
        eprintln!("flood: FAILED: {}", broken.join("; "));
        std::process::exit(1);
    }
    eprintln!("flood: ok");
}
