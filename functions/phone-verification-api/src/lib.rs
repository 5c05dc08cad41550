//! `POST /me/phone` texts a code; `POST /me/phone/verify` checks it. Split from the
//! other `/me` routes because it is the only one that may send SMS.
use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::phone_verification::{self, CodeSent, CodeSettings, PhoneVerified};
use shared::http::{self, read_body, schema, ApiError, Fields, Operation, ReadBody};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    match http::route_key(req).as_deref() {
        Some("POST /me/phone") => {
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
                &caller,
                &phone,
                chrono::Utc::now(),
            )
            .await?;
            http::json(202, &sent)
        }
        Some("POST /me/phone/verify") => {
            let code = read_body::<Code>(&http::json_body(req)?)?.code;
            http::json(
                200,
                &phone_verification::verify_code(&state.store, &caller, &code, chrono::Utc::now())
                    .await?,
            )
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

/// `POST /me/phone`: the number to verify.
#[derive(JsonSchema)]
pub struct NewPhone {
    #[schemars(with = "schema::Phone")]
    pub phone: String,
}

impl ReadBody for NewPhone {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let phone = fields.string("phone");
        Some(Self { phone: phone? })
    }
}

/// `POST /me/phone/verify`: the code the text carried.
#[derive(JsonSchema)]
pub struct Code {
    #[schemars(with = "schema::Name")]
    pub code: String,
}

impl ReadBody for Code {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let code = fields.string("code");
        Some(Self { code: code? })
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("POST /me/phone", 202)
            .body::<NewPhone>()
            .replies::<CodeSent>(),
        Operation::new("POST /me/phone/verify", 200)
            .body::<Code>()
            .replies::<PhoneVerified>(),
    ]
}
