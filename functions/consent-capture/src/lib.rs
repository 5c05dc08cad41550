//! Consent capture on the public sign-up page: whether the study needs SMS consent
//! (with the exact, versioned disclosure), and the booking that records it.
use lambda_http::{Body, Request, Response};
use shared::domain::bookings::{self, BookingCreated, PublicSettings, PublicStudyView};
use shared::domain::Caller;
use shared::http::{self, read_body, ApiError, Operation};
use shared::lambda::ApiState;

mod bodies;
use bodies::Book;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

fn settings(state: &ApiState) -> PublicSettings<'_> {
    PublicSettings {
        product_name: &state.config.product_name,
        public_base_url: &state.config.public_base_url,
        destinations: &state.destinations,
        limits: &state.config.sms_limits,
    }
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    match http::route_key(req).as_deref() {
        Some("GET /public/studies/{share_token}") => {
            let token = http::path_param(req, "share_token")?;
            http::json(
                200,
                &bookings::public_study(&state.store, &settings(state), &token).await?,
            )
        }
        Some("POST /public/studies/{share_token}/bookings") => book(state, req).await,
        _ => Err(ApiError::RouteNotFound),
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("GET /public/studies/{share_token}", 200).replies::<PublicStudyView>(),
        Operation::new("POST /public/studies/{share_token}/bookings", 201)
            .idempotent()
            .body::<Book>()
            .replies::<BookingCreated>(),
    ]
}

async fn book(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let token = http::path_param(req, "share_token")?;
    let body = http::json_body(req)?;
    let new = read_body::<Book>(&body)?.into();
    // Anonymous callers' keys are scoped to the share link they book through.
    let scope = Caller {
        user_id: format!("public:{token}"),
        email: None,
    };
    let key = http::idempotency_key(req, &scope, &body)?;
    let created = bookings::book(
        &state.store,
        state.events(),
        &settings(state),
        &token,
        new,
        http::client_info(req),
        key,
        chrono::Utc::now(),
    )
    .await?;
    http::json(201, &created)
}
