//! What the benches share: their flags ([`arg`]), a bench's local stack
//! ([`stack_options`]), one JSON call to the stack ([`Call`]), the dev sign-in and the
//! study the bookings go to, and the options that take the abuse limits out of a bench
//! that does not measure them.
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

/// One JSON call to the local stack, by its parts:
/// `Call::new("POST", "/workspaces").token(&owner).body(&json!({"name": "Lab"}))`.
#[derive(Clone, Copy)]
pub struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The bearer token.
    pub token: Option<&'a str>,
    /// The JSON body.
    pub body: Option<&'a Value>,
    /// The `Idempotency-Key` header, for a call that is retried.
    pub idempotency_key: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub fn new(method: &'a str, path: &'a str) -> Self {
        Self {
            method,
            path,
            token: None,
            body: None,
            idempotency_key: None,
        }
    }

    pub fn token(self, token: &'a str) -> Self {
        Self {
            token: Some(token),
            ..self
        }
    }

    pub fn body(self, body: &'a Value) -> Self {
        Self {
            body: Some(body),
            ..self
        }
    }

    pub fn idempotency_key(self, key: &'a str) -> Self {
        Self {
            idempotency_key: Some(key),
            ..self
        }
    }

    /// The HTTP request to the local stack at `base`.
    pub fn request(&self, http: &reqwest::Client, base: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("method");
        let mut req = http.request(method, format!("{base}{}", self.path));
        if let Some(t) = self.token {
            req = req.bearer_auth(t);
        }
        if let Some(k) = self.idempotency_key {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(b) = self.body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        req
    }

    /// Makes the call to the local stack at `base`: the status and the body (JSON, or
    /// null).
    pub async fn send(self, http: &reqwest::Client, base: &str) -> (u16, Value) {
        let res = self
            .request(http, base)
            .send()
            .await
            .expect("local stack answers");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// [`Call::send`] that must succeed: its body.
    pub async fn send_ok(self, http: &reqwest::Client, base: &str) -> Value {
        let (status, reply) = self.send(http, base).await;
        let Call { method, path, .. } = self;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {reply}"
        );
        reply
    }
}

/// A token of the local stack's dev sign-in for the user `sub` with `email`.
pub async fn dev_token(http: &reqwest::Client, base: &str, sub: &str, email: &str) -> String {
    let answer = Call::new("POST", "/_dev/token")
        .body(&json!({"sub": sub, "email": email}))
        .send_ok(http, base)
        .await;
    answer["token"].as_str().expect("token").to_owned()
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
    let ws = Call::new("POST", "/workspaces")
        .token(token)
        .body(&json!({"name": workspace}))
        .send_ok(http, base)
        .await;
    let ws = ws["id"].as_str().expect("workspace id");
    Call::new("PUT", &format!("/workspaces/{ws}/settings/sms"))
        .token(token)
        .body(&json!({"enabled": true}))
        .send_ok(http, base)
        .await;
    Call::new("POST", &format!("/workspaces/{ws}/studies"))
        .token(token)
        .body(&json!({"name": study, "kind": "interview", "recruitment": "direct"}))
        .send_ok(http, base)
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
