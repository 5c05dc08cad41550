//! `POST /webhooks/panel`: a participant's reply from the external panel. The HMAC
//! signature over `<timestamp>.<raw body>` must match under the shared secret and the
//! timestamp must be within 5 minutes; anything else is 401 and changes nothing. A
//! redelivery of the same panel `message_id` is recorded once.
use lambda_http::{Body, Request, Response};
use shared::domain::panel_chat::{self, signature, PanelReply, ReplyReceived};
use shared::http::{self, ApiError, Operation, Problem};
use shared::lambda::ApiState;

/// The one route, for `/openapi.json`: the panel's signed reply in, its receipt out.
pub fn operations() -> Vec<Operation> {
    vec![Operation::new("POST /webhooks/panel", 200)
        .foreign_body::<PanelReply>()
        .replies::<ReplyReceived>()]
}

pub struct PanelWebhookState {
    pub api: ApiState,
    pub webhook_secret: String,
}

pub async fn handle(state: &PanelWebhookState, req: Request) -> Response<Body> {
    if http::route_key(&req).as_deref() != Some("POST /webhooks/panel") {
        return http::respond(&req, Err(ApiError::RouteNotFound));
    }
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let body: &[u8] = req.body().as_ref();
    if let Err(e) = signature::verify(
        state.webhook_secret.as_bytes(),
        header("x-panel-timestamp"),
        header("x-panel-signature"),
        body,
        chrono::Utc::now().timestamp(),
    ) {
        tracing::warn!(reason = %e, "panel webhook refused a request");
        return Problem::new(
            401,
            "unverified",
            "Not a verified panel request",
            e.to_string(),
        )
        .into_response();
    }
    let result = async {
        let reply: PanelReply = serde_json::from_slice(body).map_err(|_| {
            ApiError::MalformedBody("{message_id, study_id, panel_participant_id, body}")
        })?;
        let messenger = state.api.messenger();
        let received = panel_chat::receive_reply(&messenger, &reply, chrono::Utc::now()).await?;
        http::json(200, &received)
    }
    .await;
    http::respond(&req, result)
}

/// The webhook's state on a cold start: the API state, and the signing secret read
/// from Secrets Manager.
pub async fn state(
    config: shared::config::AppConfig,
    sdk: shared::aws::SdkConfig,
) -> Result<PanelWebhookState, lambda_http::Error> {
    let credentials = shared::adapters::panel_http::load_credentials(
        &sdk,
        config.panel.credentials_secret_arn.as_deref(),
    )
    .await?;
    Ok(PanelWebhookState {
        api: ApiState::new(&sdk, config),
        webhook_secret: credentials.webhook_secret,
    })
}
