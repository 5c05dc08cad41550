//! `POST /support/requests`: a signed-in user asks the platform's support team for
//! help. It is stored and emailed to the configured support address only; nothing in
//! this path can reach a study team.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::new_id;
use super::messaging::email::Email;
use super::messaging::render::{render, Content, SUPPORT_REQUEST};
use super::{validation, Asked, DomainError, FieldError};
use crate::ports::{IdempotencyStore, Mailer, SupportStore};

pub const SUBJECT_MAX_CHARS: usize = 200;
pub const BODY_MAX_CHARS: usize = 5_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportRequest {
    pub id: String,
    pub user_id: String,
    pub email: Option<String>,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SupportRequestCreated {
    pub id: String,
}

/// The email to platform support (`templates/support_request.*` in the layout): the
/// request as the user wrote it, escaped in HTML, with who sent it and when.
fn support_email(request: &SupportRequest) -> Email {
    let from = request.email.as_deref().unwrap_or("(no verified email)");
    render(
        &SUPPORT_REQUEST,
        &Content {
            product: "Support",
            subject: format!("[Support {}] {}", request.id, request.subject),
            preheader: "A support request from a signed-in user.",
            heading: "Support request",
            reason: "Sent by the support form to platform support only; nothing in it goes to a study team.",
            support: None,
            button: None,
            values: vec![
                ("id", request.id.clone()),
                ("user", request.user_id.clone()),
                ("from", from.to_owned()),
                ("at", request.created_at.to_rfc3339()),
                ("request_subject", request.subject.clone()),
                ("body", request.body.clone()),
            ],
        },
    )
}

pub async fn create_support_request<S, M>(
    store: &S,
    mailer: &M,
    support_address: &str,
    asked: Asked<'_>,
    subject: &str,
    body: &str,
) -> Result<SupportRequestCreated, DomainError>
where
    S: SupportStore + IdempotencyStore,
    M: Mailer,
{
    let (caller, now, once) = (asked.caller, asked.now, asked.once());
    if let Some(first) = once.replay(store).await? {
        return Ok(first);
    }
    let mut errors = Vec::new();
    let subject = validation::display_name("subject", subject, SUBJECT_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    if body.trim().is_empty() {
        errors.push(FieldError::new("body", "must not be empty"));
    } else if body.chars().count() > BODY_MAX_CHARS {
        errors.push(FieldError::new(
            "body",
            format!("must be at most {BODY_MAX_CHARS} characters"),
        ));
    }
    let (Some(subject), true) = (subject, errors.is_empty()) else {
        return Err(DomainError::Validation(errors));
    };
    let request = SupportRequest {
        id: new_id("sr"),
        user_id: caller.user_id.clone(),
        email: caller.email.clone(),
        subject,
        body: body.to_owned(),
        created_at: now,
    };
    let created = SupportRequestCreated {
        id: request.id.clone(),
    };
    let record = once.record(&created);
    let written = store
        .create_support_request(&request, record.as_ref())
        .await;
    if let Some(first) = once.settle(store, written, DomainError::from).await? {
        return Ok(first);
    }
    // The request is kept whatever happens to the email; support also reads the table.
    match mailer
        .send_email(support_address, &support_email(&request))
        .await
    {
        Ok(()) => tracing::info!(support_request_id = %request.id, "support request emailed"),
        Err(e) => {
            tracing::error!(support_request_id = %request.id, error = %e, "support request email failed")
        }
    }
    Ok(created)
}
