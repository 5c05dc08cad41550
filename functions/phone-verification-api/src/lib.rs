//! `POST /me/phone` texts a code; `POST /me/phone/verify` checks it. Split from the
//! other `/me` routes because it is the only one that may send SMS.
use lambda_http::{Body, Request, Response};
use shared::domain::phone_verification::{self, CodeSettings};
use shared::http::{self, checked, ApiError, Fields};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    match http::route_key(req).as_deref() {
        Some("POST /me/phone") => {
            let body = http::json_body(req)?;
            let mut fields = Fields::new(&body)?;
            let phone = fields.string("phone");
            fields.finish()?;
            let phone = checked(phone)?;
            let settings = CodeSettings {
                product_name: &state.config.product_name,
                sender_number: state.config.sender_number.as_deref(),
                destinations: &state.destinations,
                limits: &state.config.sms_limits,
            };
            let sent = phone_verification::request_code(
                &state.store,
                state.sms(),
                &settings,
                &caller,
                &phone,
                chrono::Utc::now(),
            )
            .await?;
            http::json(202, &sent)
        }
        Some("POST /me/phone/verify") => {
            let body = http::json_body(req)?;
            let mut fields = Fields::new(&body)?;
            let code = fields.string("code");
            fields.finish()?;
            let code = checked(code)?;
            http::json(
                200,
                &phone_verification::verify_code(&state.store, &caller, &code, chrono::Utc::now())
                    .await?,
            )
        }
        _ => Err(ApiError::RouteNotFound),
    }
}
