//! Cold start, measured locally: for each function binary, the time from process spawn
//! to its first Runtime API `GET .../invocation/next` — all its init work — against a
//! small local Runtime API, beside the same for an empty lambda_runtime function built
//! with the same profile. Reports the median of N starts and the ratio to the empty one.
//!
//! Usage: cold-start-bench --dir target/release [--runs 15] <binary names...>
//! (`make bench-cold-start` builds the release binaries and runs it).
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// The Runtime API stand-in: answers nothing, only notices the first `next`.
async fn next(State(seen): State<Arc<Notify>>) -> &'static str {
    seen.notify_one();
    // Hold the request like the real API does while no event is waiting.
    tokio::time::sleep(Duration::from_secs(30)).await;
    ""
}

async fn one_start(bin: &PathBuf) -> Duration {
    let seen = Arc::new(Notify::new());
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let started = Instant::now();
    let mut child = tokio::process::Command::new(bin)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "bench")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("TABLE_NAME", "MainTable")
        .env("CONSENT_TABLE_NAME", "ConsentTable")
        .env("EVENT_BUS_NAME", "bus")
        .env("APP_URL", "https://app.example.com")
        .env("PUBLIC_BASE_URL", "https://api.example.com")
        .env(
            "INBOUND_SMS_TOPIC_ARN",
            "arn:aws:sns:us-east-1:123456789012:inbound",
        )
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn the function");
    let waited = tokio::time::timeout(Duration::from_secs(20), seen.notified()).await;
    let elapsed = started.elapsed();
    let _ = child.kill().await;
    server.abort();
    waited.unwrap_or_else(|_| panic!("{} never asked for an event", bin.display()));
    elapsed
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let dir = PathBuf::from(value("--dir").unwrap_or_else(|| "target/release".into()));
    let runs: usize = value("--runs").and_then(|v| v.parse().ok()).unwrap_or(15);
    let mut names: Vec<String> = Vec::new();
    let mut skip = false;
    for a in &args {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with("--") {
            skip = true;
            continue;
        }
        names.push(a.clone());
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut baseline_runs = Vec::new();
    for _ in 0..runs {
        baseline_runs.push(one_start(&dir.join("empty-lambda")).await);
    }
    let baseline = median(baseline_runs);
    println!("| function | init (median of {runs}) | × empty | binary size |");
    println!("|---|---|---|---|");
    let size = |p: &PathBuf| {
        std::fs::metadata(p)
            .map(|m| format!("{:.1} MB", m.len() as f64 / 1e6))
            .unwrap_or_default()
    };
    println!(
        "| empty lambda_runtime function | {:.2} ms | 1.00 | {} |",
        baseline.as_secs_f64() * 1e3,
        size(&dir.join("empty-lambda"))
    );
    for name in names {
        let bin = dir.join(&name);
        let mut times = Vec::new();
        for _ in 0..runs {
            times.push(one_start(&bin).await);
        }
        let m = median(times);
        println!(
            "| `{name}` | {:.2} ms | {:.2} | {} |",
            m.as_secs_f64() * 1e3,
            m.as_secs_f64() / baseline.as_secs_f64(),
            size(&bin)
        );
    }
}
