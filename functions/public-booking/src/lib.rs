//! Consent capture on the public sign-up page: whether the study needs SMS consent
//! (with the exact, versioned disclosure), and the booking that records it.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use shared::domain::bookings::{self, BookingCreated, PublicSettings, PublicStudyView};
use shared::domain::Caller;
use shared::http::{self, read_body, Operation, Reply, Routes};
use shared::lambda::ApiState;

mod bodies;
use bodies::Book;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    ROUTES.answer(state, &req).await
}

/// What each route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    ROUTES.operations()
}

static ROUTES: LazyLock<Routes<ApiState>> = LazyLock::new(|| {
    Routes::new()
        .public(
            Operation::new("GET /public/studies/{share_token}", 200).replies::<PublicStudyView>(),
            |s, r| Box::pin(public_study(s, r)),
        )
        .public(
            Operation::new("POST /public/studies/{share_token}/bookings", 201)
                .idempotent()
                .body::<Book>()
                .replies::<BookingCreated>(),
            |s, r| Box::pin(book(s, r)),
        )
});

fn settings(state: &ApiState) -> PublicSettings<'_> {
    PublicSettings {
        product_name: &state.config.product_name,
        public_base_url: &state.config.public_base_url,
        destinations: &state.destinations,
        limits: &state.config.sms_limits,
    }
}

/// `GET /public/studies/{share_token}`: the study as its share link shows it.
async fn public_study(state: &ApiState, req: &Request) -> Reply {
    let token = http::path_param(req, "share_token")?;
    http::json(
        200,
        &bookings::public_study(&state.store, &settings(state), &token).await?,
    )
}

/// `POST /public/studies/{share_token}/bookings`: books a slot, with any SMS consent.
async fn book(state: &ApiState, req: &Request) -> Reply {
    let token = http::path_param(req, "share_token")?;
    let body = http::json_body(req)?;
    let new = read_body::<Book>(&body)?.into();
    // Anonymous callers' keys are scoped to the share link they book through.
    let scope = Caller {
        user_id: format!("public:{token}"),
        email: None,
    };
    let asked = http::asked(req, &scope, &body)?;
    let created = bookings::book(
        &state.store,
        state.events(),
        &settings(state),
        &token,
        new,
        http::client_info(req),
        asked,
    )
    .await?;
    http::json(201, &created)
}
