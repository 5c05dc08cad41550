//! `POST /me/phone` texts a code; `POST /me/phone/verify` checks it. Split from the
//! other `/me` routes because it is the only one that may send SMS.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::phone_verification::{self, CodeSent, CodeSettings, PhoneVerified};
use shared::domain::Caller;
use shared::http::{self, read_body, schema, Operation, Reply, Routes};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    ROUTES.answer(state, &req).await
}

/// What each route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    ROUTES.operations()
}

static ROUTES: LazyLock<Routes<ApiState>> = LazyLock::new(|| {
    Routes::new()
        .caller(
            Operation::new("POST /me/phone", 202)
                .body::<NewPhone>()
                .replies::<CodeSent>(),
            |s, r, c| Box::pin(request_code(s, r, c)),
        )
        .caller(
            Operation::new("POST /me/phone/verify", 200)
                .body::<Code>()
                .replies::<PhoneVerified>(),
            |s, r, c| Box::pin(verify_code(s, r, c)),
        )
});

/// `POST /me/phone`: texts a code to the number.
async fn request_code(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let phone = read_body::<NewPhone>(&http::json_body(req)?)?.phone;
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
        caller,
        &phone,
        chrono::Utc::now(),
    )
    .await?;
    http::json(202, &sent)
}

/// `POST /me/phone/verify`: checks the code the text carried.
async fn verify_code(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let code = read_body::<Code>(&http::json_body(req)?)?.code;
    http::json(
        200,
        &phone_verification::verify_code(&state.store, caller, &code, chrono::Utc::now()).await?,
    )
}

/// `POST /me/phone`: the number to verify.
#[derive(JsonSchema)]
pub struct NewPhone {
    #[schemars(with = "schema::Phone")]
    pub phone: String,
}

shared::read_fields!(NewPhone { phone });

/// `POST /me/phone/verify`: the code the text carried.
#[derive(JsonSchema)]
pub struct Code {
    #[schemars(with = "schema::Name")]
    pub code: String,
}

shared::read_fields!(Code { code });
