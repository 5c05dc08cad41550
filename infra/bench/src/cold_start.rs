//! Cold start, measured locally, against a small local Runtime API: for each function
//! binary, **init** (process spawn to its first `GET .../invocation/next`, all its
//! start-up work) and **first response** (process spawn to the answer it posts for a
//! first real invocation: an API Gateway HTTP API request for one of its routes, or the
//! SNS, EventBridge or Scheduler event its trigger sends, reading DynamoDB at the
//! emulator). Beside them, in the same run and built with the same profile: an empty
//! `lambda_runtime` function (the init baseline) and a minimal function —
//! `lambda_runtime` + `aws-sdk-dynamodb`, one `GetItem` — answering the same kind of
//! event (the first-response baseline). Medians of N starts.
//!
//! Usage (under `infra/scripts/with-emulator.sh`, which sets `AWS_ENDPOINT_URL`):
//! cold-start-bench --dir target/release [--runs 15] [--template template.yaml] <binary names...>
//! (`make bench-cold-start` builds the release binaries and runs it).
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use local_stack::template::{HttpRoute, Template};
use serde_json::{json, Value};
use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// What the Runtime API stand-in saw of one start.
#[derive(Default)]
struct Seen {
    /// When the function first asked for an event (its init was done).
    asked: Option<Instant>,
    /// When it posted its answer, and whether that was an `/error`.
    answered: Option<(Instant, bool)>,
    answer: String,
}

#[derive(Clone)]
struct Runtime {
    event: Arc<String>,
    seen: Arc<Mutex<Seen>>,
    done: Arc<Notify>,
}

/// The first `next` gets the event; later ones are held, as the real API holds them
/// while no event is waiting.
async fn next(State(rt): State<Runtime>) -> impl IntoResponse {
    let first = {
        let mut seen = rt.seen.lock().unwrap();
        let first = seen.asked.is_none();
        seen.asked.get_or_insert_with(Instant::now);
        first
    };
    if !first {
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
    let deadline = (std::time::SystemTime::now() + Duration::from_secs(30))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let mut headers = HeaderMap::new();
    headers.insert("lambda-runtime-aws-request-id", "bench-1".parse().unwrap());
    headers.insert(
        "lambda-runtime-deadline-ms",
        deadline.to_string().parse().unwrap(),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:123456789012:function:bench"
            .parse()
            .unwrap(),
    );
    headers.insert("lambda-runtime-trace-id", "Root=1-bench".parse().unwrap());
    headers.insert("content-type", "application/json".parse().unwrap());
    (headers, rt.event.as_str().to_owned())
}

fn answered(rt: &Runtime, error: bool, body: String) {
    let mut seen = rt.seen.lock().unwrap();
    if seen.answered.is_none() {
        seen.answered = Some((Instant::now(), error));
        seen.answer = body;
    }
    rt.done.notify_one();
}

async fn response(
    State(rt): State<Runtime>,
    Path(_id): Path<String>,
    body: String,
) -> &'static str {
    answered(&rt, false, body);
    ""
}

async fn error(State(rt): State<Runtime>, Path(_id): Path<String>, body: String) -> &'static str {
    answered(&rt, true, body);
    ""
}

struct Start {
    init: Duration,
    first_response: Duration,
    error: bool,
    answer: String,
}

async fn one_start(bin: &FsPath, event: &Value, endpoint: &str) -> Start {
    let rt = Runtime {
        event: Arc::new(event.to_string()),
        seen: Arc::default(),
        done: Arc::new(Notify::new()),
    };
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(response),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .with_state(rt.clone());
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
        .env("AWS_ENDPOINT_URL", endpoint)
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
    let waited = tokio::time::timeout(Duration::from_secs(30), rt.done.notified()).await;
    let _ = child.kill().await;
    server.abort();
    waited.unwrap_or_else(|_| panic!("{} never answered its first event", bin.display()));
    let seen = rt.seen.lock().unwrap();
    let (answered_at, error) = seen.answered.expect("answered");
    Start {
        init: seen.asked.expect("asked before answering") - started,
        first_response: answered_at - started,
        error,
        answer: seen.answer.clone(),
    }
}

/// `workspaces-api` → `WorkspacesApiFunction`, the template's logical id.
fn logical_id(binary: &str) -> String {
    let mut id: String = binary
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    id.push_str("Function");
    id
}

/// An API Gateway HTTP API (payload 2.0) request for `route`, with every path parameter
/// filled in and, on an authorized route, the JWT authorizer's claims.
fn http_event(route: &HttpRoute) -> Value {
    let mut params = serde_json::Map::new();
    let path: Vec<String> = route
        .path
        .split('/')
        .map(|segment| match segment.strip_prefix('{') {
            Some(name) => {
                let name = name.trim_end_matches('}').trim_end_matches('+');
                let value = format!("bench_{name}");
                params.insert(name.to_owned(), json!(value));
                value
            }
            None => segment.to_owned(),
        })
        .collect();
    let path = path.join("/");
    let mut context = json!({
        "accountId": "123456789012",
        "apiId": "bench",
        "domainName": "api.example.com",
        "domainPrefix": "api",
        "http": {"method": route.method, "path": path, "protocol": "HTTP/1.1",
                 "sourceIp": "203.0.113.7", "userAgent": "cold-start-bench"},
        "requestId": "bench-1",
        "routeKey": route.route_key(),
        "stage": "$default",
        "time": "01/Dec/2026:14:00:00 +0000",
        "timeEpoch": 1_764_597_600_000_u64,
    });
    if route.authorized {
        context["authorizer"] = json!({"jwt": {
            "claims": {"sub": "bench-user", "email": "bench@example.org", "email_verified": "true", "token_use": "id"},
            "scopes": null,
        }});
    }
    let mut event = json!({
        "version": "2.0",
        "routeKey": route.route_key(),
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "api.example.com"},
        "requestContext": context,
        "pathParameters": params,
        "isBase64Encoded": false,
    });
    if route.method != "GET" {
        event["body"] = json!(request_body(&route.route_key()).to_string());
    }
    event
}

/// A valid body for the `POST` routes a function's first event can be, so the request
/// gets past validation to the store. (The webhooks' first events carry no signature and
/// are refused before any read: their figures are not first responses that read
/// DynamoDB.)
fn request_body(route_key: &str) -> Value {
    match route_key {
        "POST /me/phone" => json!({"phone": "+16175550123"}),
        "POST /support/requests" => json!({"subject": "Cold start", "body": "A first request"}),
        _ => json!({}),
    }
}

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first event of each function: what its trigger sends (`template.yaml`), from the
/// AWS-shaped fixtures the functions' tests read where there is one. An HTTP function
/// gets a request for its first `GET` route (else its first route). The inbound text is
/// built here: the fixture's is a STOP, and the bench times an ordinary reply.
fn first_event(binary: &str, routes: &[HttpRoute]) -> (Value, String) {
    let id = logical_id(binary);
    let mine: Vec<&HttpRoute> = routes.iter().filter(|r| r.function == id).collect();
    if let Some(route) = mine
        .iter()
        .find(|r| r.method == "GET")
        .or_else(|| mine.first())
    {
        return (http_event(route), route.route_key());
    }
    match binary {
        "reminder-dispatcher" => (
            fixture("tests/fixtures/aws-events/scheduler-input.json"),
            "Scheduler input".into(),
        ),
        "sms-sender" => (
            fixture("tests/fixtures/aws-events/eventbridge-sms-requested.json"),
            "EventBridge SmsRequested".into(),
        ),
        "panel-relay" => (
            fixture("tests/fixtures/aws-events/eventbridge-panel-message-posted.json"),
            "EventBridge PanelMessagePosted".into(),
        ),
        "sms-inbound" => {
            let message = json!({
                "originationNumber": "+16175550199",
                "destinationNumber": "+18005550100",
                "messageKeyword": "KEYWORD_123456789012",
                "messageBody": "Thanks, see you then",
                "inboundMessageId": "cae173d2-66b9-564c-8309-21f858e9fb84",
                "previousPublishedMessageId": "wJ0EXAMPLE",
            });
            (
                json!({"Records": [{
                    "EventSource": "aws:sns",
                    "EventVersion": "1.0",
                    "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:inbound:bench",
                    "Sns": {
                        "Type": "Notification",
                        "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                        "TopicArn": "arn:aws:sns:us-east-1:123456789012:inbound",
                        "Subject": null,
                        "Message": message.to_string(),
                        "Timestamp": "2026-12-01T14:45:00.000Z",
                        "SignatureVersion": "1",
                        "Signature": "EXAMPLE",
                        "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/bench.pem",
                        "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/unsubscribe",
                        "MessageAttributes": {},
                    },
                }]}),
                "SNS two-way SMS".into(),
            )
        }
        "sms-delivery-status" => (
            fixture("tests/fixtures/cloudwatch-logs/message-event.json"),
            "CloudWatch Logs subscription".into(),
        ),
        "email-events" => (
            fixture("tests/fixtures/ses-events/bounce.json"),
            "EventBridge SES bounce".into(),
        ),
        other => panic!("no first event for {other}: add one to cold_start.rs"),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn size(p: &FsPath) -> String {
    std::fs::metadata(p)
        .map(|m| format!("{:.1} MB", m.len() as f64 / 1e6))
        .unwrap_or_default()
}

struct Measured {
    init: Duration,
    first_response: Duration,
    errors: usize,
    answer: String,
}

async fn measure(bin: &FsPath, event: &Value, endpoint: &str, runs: usize) -> Measured {
    let mut inits = Vec::new();
    let mut firsts = Vec::new();
    let mut errors = 0;
    let mut answer = String::new();
    for _ in 0..runs {
        let start = one_start(bin, event, endpoint).await;
        inits.push(start.init);
        firsts.push(start.first_response);
        errors += usize::from(start.error);
        answer = start.answer;
    }
    Measured {
        init: median(inits),
        first_response: median(firsts),
        errors,
        answer,
    }
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
    let template_path = value("--template").unwrap_or_else(|| "template.yaml".into());
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
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL: run under infra/scripts/with-emulator.sh");
    let template = Template::load(FsPath::new(&template_path)).expect("the template");
    let routes = template.http_routes().expect("the template's routes");
    // The template's tables, buses and topics at the emulator, under their logical ids.
    let sdk = shared::aws::emulator_sdk_config(&endpoint).await;
    local_stack::provision::provision(&sdk, &template, "", &Default::default())
        .await
        .expect("provision the emulator");

    // Warm the emulator (its first requests are slow) before anything is timed.
    let warm = json!({"warm": true});
    measure(&dir.join("minimal-lambda"), &warm, &endpoint, 3).await;

    let empty = measure(&dir.join("empty-lambda"), &warm, &endpoint, runs).await;
    let api_event = http_event(&routes[0]);
    let minimal = measure(&dir.join("minimal-lambda"), &api_event, &endpoint, runs).await;
    println!("Medians of {runs} starts. init: spawn to the first `next`; first response: spawn to the answer of the first event (reading DynamoDB at the emulator).\n");
    println!("| function | first event | init | × empty | first response | × minimal | answer | binary size |");
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| empty lambda_runtime function | any | {} | 1.00 | {} | — | — | {} |",
        ms(empty.init),
        ms(empty.first_response),
        size(&dir.join("empty-lambda"))
    );
    println!(
        "| minimal: lambda_runtime + aws-sdk-dynamodb, one GetItem | any | {} | {:.2} | {} | 1.00 | 200 | {} |",
        ms(minimal.init),
        minimal.init.as_secs_f64() / empty.init.as_secs_f64(),
        ms(minimal.first_response),
        size(&dir.join("minimal-lambda"))
    );
    let mut worst: f64 = 0.0;
    for name in names {
        let bin = dir.join(&name);
        let (event, what) = first_event(&name, &routes);
        let m = measure(&bin, &event, &endpoint, runs).await;
        let ratio = m.first_response.as_secs_f64() / minimal.first_response.as_secs_f64();
        worst = worst.max(ratio);
        let status = if m.errors > 0 {
            format!("error ×{}", m.errors)
        } else {
            serde_json::from_str::<Value>(&m.answer)
                .ok()
                .and_then(|v| v.get("statusCode").and_then(Value::as_u64))
                .map_or("ok".to_owned(), |s| s.to_string())
        };
        println!(
            "| `{name}` | `{what}` | {} | {:.2} | {} | {ratio:.2} | {status} | {} |",
            ms(m.init),
            m.init.as_secs_f64() / empty.init.as_secs_f64(),
            ms(m.first_response),
            size(&bin)
        );
    }
    println!("\nWorst first response: {worst:.2} × the minimal function's (goal ≤ 1.5).");
}
