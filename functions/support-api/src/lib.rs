//! `POST /support/requests`: to platform support, never to a study team.

use lambda_http::Request;
use schemars::JsonSchema;
use shared::domain::support::{self, SupportRequestCreated};
use shared::domain::Caller;
use shared::http::{self, read_body, schema, Answered};
use shared::lambda::ApiState;

shared::api! {
    caller "POST /support/requests" 201 .idempotent() .body::<NewSupportRequest>() => create;
}

/// `POST /support/requests`: stored, and emailed to platform support.
async fn create(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<SupportRequestCreated> {
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
    Ok(created)
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
