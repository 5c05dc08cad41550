//! The local stack's HTTP server: the template's API routes through the gateway
//! stand-in, plus the `/_dev/*` routes of the contract.
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use shared::domain::FieldError;
use shared::http::Problem;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::dev_token::DevTokens;
use crate::functions::WorkerHandler;
use crate::gateway::{build_event, find_route, CompiledRoute, IncomingRequest};

/// API Gateway's HTTP API payload limit.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

pub struct Stack {
    /// The functions subscribed to the inbound SMS topic, with its ARN.
    pub inbound: Vec<(String, WorkerHandler, String)>,
    /// Our number, where inbound texts are addressed by default.
    pub sender_number: String,
    /// The scheduled functions, run by `/_dev/tick`.
    /// Each with its Scheduler `Input` from the template, handed over as Scheduler does.
    pub scheduled: Vec<(String, Option<String>, WorkerHandler)>,
    pub routes: Vec<CompiledRoute>,
    pub tokens: DevTokens,
    pub emulator_url: String,
    pub http: reqwest::Client,
    pub panel: Arc<crate::panel_stand_in::PanelStandIn>,
    /// The OpenAPI document, generated at start from the template's routes.
    pub openapi: Value,
    /// What the local carrier reports for each number's texts.
    pub carrier: &'static crate::carrier::LocalCarrier,
}

pub fn router(stack: Arc<Stack>) -> Router {
    Router::new()
        .route("/_dev/token", post(dev_token))
        .route("/_dev/outbox", get(outbox))
        .route("/openapi.json", get(openapi))
        .route("/_dev/tick", post(tick))
        .route("/_dev/sms/inbound", post(inbound_sms))
        .route("/_dev/sms/carrier", post(carrier_outcome))
        .route("/_dev/panel/messages", post(panel_messages))
        .route("/_dev/panel/fail", post(panel_fail))
        .fallback(gateway)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(stack)
}

fn problem(p: Problem) -> Response {
    lambda_to_axum(p.into_response())
}

fn lambda_to_axum(response: lambda_http::Response<lambda_http::Body>) -> Response {
    let (parts, body) = response.into_parts();
    let bytes: &[u8] = body.as_ref();
    Response::from_parts(parts, axum::body::Body::from(bytes.to_vec()))
}

/// What the API Gateway JWT authorizer itself answers, before any function runs, to a
/// request without a token or with one it rejects: `401 {"message":"Unauthorized"}` and a
/// `www-authenticate` header (API Gateway developer guide, "Troubleshooting issues with
/// HTTP API JWT authorizers"). HTTP APIs cannot change this answer.
fn unauthorized(token_sent: bool) -> Response {
    let challenge = if token_sent {
        r#"Bearer scope="" error="invalid_token" error_description="the token is not valid""#
    } else {
        r#"Bearer scope="" error="invalid_token" error_description="no token""#
    };
    (
        StatusCode::UNAUTHORIZED,
        [("www-authenticate", challenge)],
        axum::Json(json!({"message": "Unauthorized"})),
    )
        .into_response()
}

fn now_epoch() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn gateway(
    State(stack): State<Arc<Stack>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let Some((compiled, params)) = find_route(&stack.routes, method.as_str(), path) else {
        return problem(Problem::new(
            404,
            "not_found",
            "Not found",
            "No such route.",
        ));
    };
    let claims = if compiled.route.authorized {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim());
        match token.and_then(|t| stack.tokens.verify(t, now_epoch())) {
            Some(claims) => Some(claims),
            None => return unauthorized(token.is_some()),
        }
    } else {
        None
    };
    let incoming = IncomingRequest {
        method: method.as_str(),
        path,
        raw_query: uri.query().unwrap_or_default(),
        headers: &headers,
        body: &body,
        source_ip: peer.ip().to_string(),
    };
    let event = build_event(&incoming, &compiled.route, &params, claims.as_ref());
    let request = match lambda_http::request::from_str(&event.to_string()) {
        Ok(request) => request,
        Err(e) => {
            tracing::error!(error = %e, "local gateway built an event lambda_http cannot read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    lambda_to_axum((compiled.handler)(request).await)
}

/// A `/_dev/*` route's body as a JSON object, if it is one.
fn json_object(body: &[u8]) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Some(fields),
        _ => None,
    }
}

/// The 400 problem for a body that is not a JSON object.
fn malformed() -> Response {
    problem(Problem::new(
        400,
        "malformed_body",
        "The request body could not be read",
        "The body must be a JSON object.",
    ))
}

fn invalid(errors: Vec<FieldError>) -> Response {
    problem(
        Problem::new(
            422,
            "validation_failed",
            "The request has invalid fields",
            "See errors.",
        )
        .with_errors(errors),
    )
}

/// `POST /_dev/token {sub, email, ...}`: a token the local gateway accepts in place of
/// Cognito's ID token; any further claims are put in it as given.
async fn dev_token(State(stack): State<Arc<Stack>>, body: Bytes) -> Response {
    let Some(fields) = json_object(&body) else {
        return malformed();
    };
    let sub = fields
        .get("sub")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let email = fields.get("email").and_then(Value::as_str);
    let mut errors = Vec::new();
    if sub.is_none() {
        errors.push(FieldError::new("sub", "is required"));
    }
    if fields.get("email").is_some_and(|e| !e.is_string()) {
        errors.push(FieldError::new("email", "must be a string"));
    }
    let Some(sub) = sub.filter(|_| errors.is_empty()) else {
        return invalid(errors);
    };
    let mut extra = fields.clone();
    extra.remove("email");
    let token = stack.tokens.issue(sub, email, &extra, now_epoch());
    axum::Json(json!({ "token": token })).into_response()
}

/// `GET /_dev/outbox`: what the emulated SNS and SES received so far, oldest first.
async fn outbox(State(stack): State<Arc<Stack>>) -> Response {
    let url = format!("{}/_outbox", stack.emulator_url);
    let fetched = async {
        stack
            .http
            .get(&url)
            .send()
            .await?
            .error_for_status()?
            .json::<Value>()
            .await
    };
    match fetched.await {
        Ok(emulator) => axum::Json(json!({
            "sms": emulator.get("sms").cloned().unwrap_or_else(|| json!([])),
            "emails": emulator
                .get("emails")
                .and_then(Value::as_array)
                .map(|emails| emails
                    .iter()
                    .map(|e| json!({
                        // One recipient per email here: give it as a string, like `sms[].to`.
                        "to": match e.get("to").and_then(Value::as_array) {
                            Some(to) if to.len() == 1 => to[0].clone(),
                            _ => e.get("to").cloned().unwrap_or(Value::Null),
                        },
                        "from": e.get("from"),
                        "subject": e.get("subject"),
                        "text": e.get("text"),
                        "html": e.get("html"),
                    }))
                    .collect::<Vec<_>>())
                .unwrap_or_default(),
            "panel": stack.panel.received(),
        }))
        .into_response(),
        Err(e) => problem(Problem::new(
            503,
            "emulator_unavailable",
            "The AWS emulator did not answer",
            format!("GET {url}: {e}"),
        )),
    }
}

impl Stack {
    /// Runs every scheduled function once with the event `time` set to `now`, and
    /// returns what each reported, once all have finished.
    pub async fn tick(&self, now: chrono::DateTime<chrono::Utc>) -> Vec<Value> {
        let mut ran = Vec::new();
        for (function, input, handler) in &self.scheduled {
            let outcome = handler(crate::events::scheduled_run(input.as_deref(), now)).await;
            ran.push(match outcome {
                Ok(result) => json!({"function": function, "result": result}),
                Err(error) => {
                    tracing::error!(function = %function, error = %error, "scheduled run failed");
                    json!({"function": function, "error": error})
                }
            });
        }
        ran
    }
}

/// `POST /_dev/tick {now?}`: runs the scheduled functions once, as an EventBridge
/// schedule would, with the event's `time` set to `now` (default: the real time).
async fn tick(State(stack): State<Arc<Stack>>, body: Bytes) -> Response {
    let fields = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Map::new()
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(fields)) => fields,
            _ => {
                return problem(Problem::new(
                    400,
                    "malformed_body",
                    "The request body could not be read",
                    "The body must be a JSON object.",
                ))
            }
        }
    };
    let now = match fields.get("now") {
        None | Some(Value::Null) => chrono::Utc::now(),
        Some(Value::String(raw)) => match chrono::DateTime::parse_from_rfc3339(raw) {
            Ok(t) => t.with_timezone(&chrono::Utc),
            Err(_) => return invalid(vec![FieldError::new("now", "must be an RFC 3339 time")]),
        },
        Some(_) => return invalid(vec![FieldError::new("now", "must be an RFC 3339 time")]),
    };
    let ran = stack.tick(now).await;
    axum::Json(json!({"now": now, "ran": ran})).into_response()
}

/// `POST /_dev/sms/inbound {from, to?, body, inbound_message_id?, timestamp?}`: delivers
/// an inbound text to the inbound function in the AWS notification shape, and returns
/// when it has been processed. `inbound_message_id` and `timestamp` let tests replay
/// and reorder deliveries.
async fn inbound_sms(State(stack): State<Arc<Stack>>, body: Bytes) -> Response {
    let Some(fields) = json_object(&body) else {
        return malformed();
    };
    let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
    let mut errors = Vec::new();
    let from = text("from");
    if from.is_none() {
        errors.push(FieldError::new("from", "is required"));
    }
    let message = text("body");
    if message.is_none() {
        errors.push(FieldError::new("body", "is required"));
    }
    let timestamp = match text("timestamp") {
        None => Some(chrono::Utc::now()),
        Some(raw) => chrono::DateTime::parse_from_rfc3339(&raw)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc)),
    };
    if timestamp.is_none() {
        errors.push(FieldError::new("timestamp", "must be an RFC 3339 time"));
    }
    let (Some(from), Some(message), Some(timestamp)) = (from, message, timestamp) else {
        return invalid(errors);
    };
    let to = text("to").unwrap_or_else(|| stack.sender_number.clone());
    let id = text("inbound_message_id").unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let mut results = Vec::new();
    for (function, handler, topic_arn) in &stack.inbound {
        let event =
            crate::events::inbound_sms_event(topic_arn, &from, &to, &message, &id, timestamp);
        results.push(match handler(event).await {
            Ok(result) => json!({"function": function, "result": result}),
            Err(error) => json!({"function": function, "error": error}),
        });
    }
    axum::Json(json!({"inbound_message_id": id, "delivered": results})).into_response()
}

/// `POST /_dev/sms/carrier {phone, outcome}`: from now on the local carrier reports
/// `outcome` (`delivered`, `blocked`, `opted_out`, `unreachable`) for texts to `phone`.
async fn carrier_outcome(State(stack): State<Arc<Stack>>, body: Bytes) -> Response {
    let Some(fields) = json_object(&body) else {
        return malformed();
    };
    let mut errors = Vec::new();
    let phone = match fields.get("phone").and_then(Value::as_str) {
        None => {
            errors.push(FieldError::new("phone", "is required"));
            None
        }
        Some(raw) => match shared::domain::phone::parse_e164("phone", raw) {
            Ok(phone) => Some(phone),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    let outcome = match fields.get("outcome").and_then(Value::as_str) {
        None => {
            errors.push(FieldError::new("outcome", "is required"));
            None
        }
        Some(raw) => {
            let outcome = crate::carrier::Outcome::parse(raw);
            if outcome.is_none() {
                errors.push(FieldError::new(
                    "outcome",
                    "must be one of delivered, blocked, opted_out, unreachable",
                ));
            }
            outcome
        }
    };
    let (Some(phone), Some(outcome)) = (phone, outcome) else {
        return invalid(errors);
    };
    stack.carrier.set(&phone, outcome);
    StatusCode::NO_CONTENT.into_response()
}

/// The panel API stand-in's endpoint the relay posts to.
async fn panel_messages(
    State(stack): State<Arc<Stack>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    use crate::panel_stand_in::Answer;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match stack
        .panel
        .receive(header("authorization"), header("idempotency-key"), &body)
    {
        Answer::Accepted => {
            (StatusCode::ACCEPTED, axum::Json(json!({"accepted": true}))).into_response()
        }
        Answer::Duplicate => {
            (StatusCode::OK, axum::Json(json!({"duplicate": true}))).into_response()
        }
        Answer::Unauthorized => StatusCode::UNAUTHORIZED.into_response(),
        Answer::Unavailable => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Answer::BadRequest => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// `POST /_dev/panel/fail {panel_participant_id, count}`: the stand-in answers 503 to
/// the next `count` deliveries for that participant.
async fn panel_fail(State(stack): State<Arc<Stack>>, body: Bytes) -> Response {
    let parsed: Option<(String, u32)> = serde_json::from_slice::<Value>(&body).ok().and_then(|v| {
        Some((
            v.get("panel_participant_id")?.as_str()?.to_owned(),
            u32::try_from(v.get("count")?.as_u64()?).ok()?,
        ))
    });
    match parsed {
        Some((id, count)) => {
            stack.panel.fail_next(&id, count);
            axum::Json(json!({"panel_participant_id": id, "failing_next": count})).into_response()
        }
        None => problem(
            Problem::new(
                422,
                "validation_failed",
                "The request has invalid fields",
                "give panel_participant_id and count",
            )
            .with_errors(vec![FieldError::new("count", "must be a whole number")]),
        ),
    }
}

/// `GET /openapi.json`: the API's OpenAPI 3.1 document.
async fn openapi(State(stack): State<Arc<Stack>>) -> Response {
    axum::Json(stack.openapi.clone()).into_response()
}
