//! `POST /me/phone` texts a code; `POST /me/phone/verify` checks it. Split from the
//! other `/me` routes because it is the only one that may send SMS.

use schemars::JsonSchema;
use shared::domain::phone_verification::{self, CodeSent, CodeSettings, PhoneVerified};
use shared::http::{schema, Answered, Call};

shared::api! {
    caller "POST /me/phone" 202 .body::<NewPhone>() => request_code;
    caller "POST /me/phone/verify" 200 .body::<Code>() => verify_code;
}

/// `POST /me/phone`: texts a code to the number.
async fn request_code(call: Call<'_>) -> Answered<CodeSent> {
    let phone = call.body::<NewPhone>()?.phone;
    let settings = CodeSettings {
        product_name: &call.state.config.product_name,
        sender_number: call.state.config.sms.sender_number.as_deref(),
        destinations: &call.state.destinations,
        limits: &call.state.config.sms.limits,
    };
    let sent = phone_verification::request_code(
        call.store(),
        call.state.sms(),
        &settings,
        call.caller,
        &phone,
        chrono::Utc::now(),
    )
    .await?;
    Ok(sent)
}

/// `POST /me/phone/verify`: checks the code the text carried.
async fn verify_code(call: Call<'_>) -> Answered<PhoneVerified> {
    let code = call.body::<Code>()?.code;
    Ok(
        phone_verification::verify_code(call.store(), call.caller, &code, chrono::Utc::now())
            .await?,
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
