//! What the benches share: the local stack's options for a bench, one JSON call to the
//! stack, the study the bookings go to, and the stack options that take the abuse limits
//! out of a bench that does not measure them.
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The value after `name` on the command line (`--samples 200`), or `default` when the
/// flag is absent; a value that does not parse stops the bench rather than run it with
/// the default.
pub fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::args().skip_while(|a| a != name).nth(1) {
        Some(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name}: {value:?} is not a valid value")),
        None => default,
    }
}

/// The options of a bench's local stack: the template at `template`, its AWS calls to
/// `aws_url` (the emulator, or a proxy before it), on a free loopback port, its tables,
/// topics and queues under a [`fresh_prefix`] (`api3f9a1c-` for `bench` "api"), so
/// runs share the emulator without meeting.
pub fn stack_options(bench: &str, template: PathBuf, aws_url: &str) -> local_stack::StackOptions {
    local_stack::StackOptions::local(
        template,
        aws_url.to_owned(),
        fresh_prefix(bench),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
}

/// A prefix no other run on the emulator has: `bench` and six hex digits.
pub fn fresh_prefix(bench: &str) -> String {
    format!(
        "{bench}{}-",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    )
}

/// One JSON call to the local stack at `base`: the status and the body (JSON, or null).
pub async fn call(
    http: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = http.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{base}{path}"),
    );
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let res = req.send().await.expect("local stack answers");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// [`call`] that must succeed: its body.
pub async fn call_ok(
    http: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Value {
    let (status, reply) = call(http, base, method, path, token, body).await;
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {reply}"
    );
    reply
}

/// A token of the local stack's dev sign-in for the user `sub` with `email`.
pub async fn dev_token(http: &reqwest::Client, base: &str, sub: &str, email: &str) -> String {
    let body = json!({"sub": sub, "email": email});
    call_ok(http, base, "POST", "/_dev/token", None, Some(body)).await["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// What a bench books against, made through the API by the holder of `token`: a
/// workspace named `workspace` with SMS on, and in it an interview study named `study`
/// that recruits directly. Returns the study as the API answered it (`id`,
/// `share_token`, ...).
pub async fn interview_study(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    workspace: &str,
    study: &str,
) -> Value {
    let name = json!({"name": workspace});
    let ws = call_ok(http, base, "POST", "/workspaces", Some(token), Some(name)).await;
    let ws = ws["id"].as_str().expect("workspace id");
    call_ok(
        http,
        base,
        "PUT",
        &format!("/workspaces/{ws}/settings/sms"),
        Some(token),
        Some(json!({"enabled": true})),
    )
    .await;
    call_ok(
        http,
        base,
        "POST",
        &format!("/workspaces/{ws}/studies"),
        Some(token),
        Some(json!({"name": study, "kind": "interview", "recruitment": "direct"})),
    )
    .await
}

/// Every booking of a bench comes from 127.0.0.1: the abuse limits are not what it
/// measures, so they are lifted out of its way.
pub fn lift_abuse_limits(options: &mut local_stack::StackOptions) {
    for limit in [
        "BookingsPerShareLinkPerHour",
        "BookingsPerSourceIpPerHour",
        "BookingTextsPerPhonePerDay",
    ] {
        options
            .parameters
            .insert(limit.to_owned(), "1000000".to_owned());
    }
}
