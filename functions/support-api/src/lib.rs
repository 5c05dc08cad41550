//! `POST /support/requests`: to platform support, never to a study team.
use lambda_http::{Body, Request, Response};
use shared::domain::support;
use shared::http::{self, checked, ApiError, Fields};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    match http::route_key(req).as_deref() {
        Some("POST /support/requests") => {
            let body = http::json_body(req)?;
            let mut fields = Fields::new(&body)?;
            let subject = fields.string("subject");
            let text = fields.string("body");
            fields.finish()?;
            let (subject, text) = (checked(subject)?, checked(text)?);
            let key = http::idempotency_key(req, &caller, &body)?;
            let created = support::create_support_request(
                &state.store,
                state.mailer(),
                &state.config.support_email,
                &caller,
                &subject,
                &text,
                key,
                chrono::Utc::now(),
            )
            .await?;
            http::json(201, &created)
        }
        _ => Err(ApiError::RouteNotFound),
    }
}
