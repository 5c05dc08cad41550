//! `POST /me/phone` texts a code; `POST /me/phone/verify` checks it. Split from the
//! other `/me` routes because it is the only one that may send SMS.

use lambda_http::Request;
use schemars::JsonSchema;
use shared::domain::phone_verification::{self, CodeSent, CodeSettings, PhoneVerified};
use shared::domain::Caller;
use shared::http::{self, read_body, schema, Answered};
use shared::lambda::ApiState;

shared::api! {
    caller "POST /me/phone" 202 .body::<NewPhone>() => request_code;
    caller "POST /me/phone/verify" 200 .body::<Code>() => verify_code;
}

/// `POST /me/phone`: texts a code to the number.
async fn request_code(state: &ApiState, req: &Request, caller: &Caller) -> Answered<CodeSent> {
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
    Ok(sent)
}

/// `POST /me/phone/verify`: checks the code the text carried.
async fn verify_code(state: &ApiState, req: &Request, caller: &Caller) -> Answered<PhoneVerified> {
    let code = read_body::<Code>(&http::json_body(req)?)?.code;
    Ok(phone_verification::verify_code(&state.store, caller, &code, chrono::Utc::now()).await?)
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
