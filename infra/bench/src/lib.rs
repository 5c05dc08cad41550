//! What the benches share: one JSON call to the local stack, and the stack options that
//! take the abuse limits out of a bench that does not measure them.
use serde_json::Value;

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
