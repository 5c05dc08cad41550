//! `POST /support/requests`: to platform support, never to a study team.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::support::{self, SupportRequestCreated};
use shared::domain::Caller;
use shared::http::{self, read_body, schema, Operation, Reply, Routes};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    ROUTES.answer(state, &req).await
}

/// What the route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    ROUTES.operations()
}

static ROUTES: LazyLock<Routes<ApiState>> = LazyLock::new(|| {
    Routes::new().caller(
        Operation::new("POST /support/requests", 201)
            .idempotent()
            .body::<NewSupportRequest>()
            .replies::<SupportRequestCreated>(),
        |s, r, c| Box::pin(create(s, r, c)),
    )
});

/// `POST /support/requests`: stored, and emailed to platform support.
async fn create(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let body = http::json_body(req)?;
    let read: NewSupportRequest = read_body(&body)?;
    let (subject, text) = (read.subject, read.body);
    let asked = http::asked(req, caller, &body)?;
    let created = support::create_support_request(
        &state.store,
        state.mailer(),
        &state.config.support_email,
        asked,
        &subject,
        &text,
    )
    .await?;
    http::json(201, &created)
}

/// `POST /support/requests`.
#[derive(JsonSchema)]
pub struct NewSupportRequest {
    #[schemars(with = "schema::Name")]
    pub subject: String,
    #[schemars(with = "schema::Text")]
    pub body: String,
}

shared::read_fields!(NewSupportRequest { subject, body });
