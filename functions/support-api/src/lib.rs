//! `POST /support/requests`: to platform support, never to a study team.

use schemars::JsonSchema;
use shared::domain::support::{self, SupportRequestCreated};
use shared::http::{schema, Answered, Call};

shared::api! {
    caller "POST /support/requests" 201 .idempotent() .body::<NewSupportRequest>() => create;
}

/// `POST /support/requests`: stored, and emailed to platform support.
async fn create(call: Call<'_>) -> Answered<SupportRequestCreated> {
    let (read, asked) = call.create::<NewSupportRequest>()?;
    let (subject, text) = (read.subject, read.body);
    let created = support::create_support_request(
        call.store(),
        call.state.mailer(),
        &call.state.config.email.support,
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
