//! `POST /webhooks/sms`: the same inbound notifications as the SNS-subscribed
//! function, delivered by an SNS HTTPS subscription. Every request must carry a valid
//! SNS signature (version 2) from our topic; anything else is refused with 401 and
//! changes nothing. Subscription confirmations are confirmed.
use chrono::{DateTime, Utc};
use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use serde::Serialize;
use shared::adapters::sns_webhook::{SnsEndpoint, SnsMessage, SnsVerifier};
use shared::aws_events::TwoWaySms;
use shared::domain::inbound::{self, InboundOutcome};
use shared::http::{self, ApiError, Operation, Problem};
use shared::lambda::WorkerState;

pub struct WebhookState<E> {
    pub worker: WorkerState,
    pub verifier: SnsVerifier<E>,
}

fn refused(why: &str) -> Response<Body> {
    Problem::new(401, "unverified", "Not a verified SNS message", why).into_response()
}

/// What the webhook answers SNS.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum WebhookReply {
    /// A subscription confirmation, confirmed.
    Confirmed { confirmed: bool },
    /// An unsubscribe confirmation, noted.
    Unsubscribed { unsubscribed: bool },
    /// A two-way SMS notification, handled.
    Handled { outcome: InboundOutcome },
}

/// The one route, for `/openapi.json`: SNS's signed message in, the reply out.
pub fn operations() -> Vec<Operation> {
    vec![Operation::new("POST /webhooks/sms", 200)
        .foreign_body::<SnsMessage>()
        .replies::<WebhookReply>()]
}

pub async fn handle<E: SnsEndpoint>(state: &WebhookState<E>, req: Request) -> Response<Body> {
    if http::route_key(&req).as_deref() != Some("POST /webhooks/sms") {
        return http::respond(&req, Err(ApiError::RouteNotFound));
    }
    let body: &[u8] = req.body().as_ref();
    let message = match state.verifier.verify(body).await {
        Ok(message) => message,
        Err(e) => {
            tracing::warn!(reason = %e, "SMS webhook refused a request");
            return refused(&e.to_string());
        }
    };
    let result = match message.kind.as_str() {
        "SubscriptionConfirmation" => {
            let url = message.subscribe_url.clone().unwrap_or_default();
            match state.verifier.endpoint().confirm_subscription(&url).await {
                Ok(()) => Ok(WebhookReply::Confirmed { confirmed: true }),
                Err(e) => {
                    tracing::error!(error = %e, "could not confirm the SNS subscription");
                    return Problem::new(
                        503,
                        "confirmation_failed",
                        "Could not confirm",
                        "Retry later.",
                    )
                    .into_response();
                }
            }
        }
        "UnsubscribeConfirmation" => Ok(WebhookReply::Unsubscribed { unsubscribed: true }),
        _ => notification(state, &message.message, &message.timestamp).await,
    };
    let result = result.and_then(|reply| http::json(200, &reply));
    http::respond(&req, result)
}

async fn notification<E>(
    state: &WebhookState<E>,
    message: &str,
    timestamp: &str,
) -> Result<WebhookReply, ApiError> {
    let Ok(notification) = serde_json::from_str::<TwoWaySms>(message) else {
        return Err(ApiError::MalformedBody(
            "an End User Messaging notification",
        ));
    };
    let received_at = DateTime::parse_from_rfc3339(timestamp)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now());
    let worker = &state.worker;
    let outcome = inbound::handle_inbound(
        &worker.store,
        worker.sender(),
        &worker.inbound,
        &notification.inbound(received_at),
        Utc::now(),
    )
    .await?;
    Ok(WebhookReply::Handled { outcome })
}

/// The webhook's state on a cold start. Production verifies against certificates
/// fetched from AWS; nothing can turn it off.
pub async fn state(
    config: shared::config::AppConfig,
    sdk: shared::aws::SdkConfig,
) -> Result<WebhookState<shared::adapters::sns_webhook::HttpsSnsEndpoint>, lambda_http::Error> {
    let topic = config
        .sms
        .inbound_topic_arn
        .clone()
        .ok_or("INBOUND_SMS_TOPIC_ARN is required")?;
    let worker = WorkerState::new(&sdk, config);
    let verifier = SnsVerifier::new(
        shared::adapters::sns_webhook::HttpsSnsEndpoint::new()?,
        topic,
    );
    Ok(WebhookState { worker, verifier })
}
