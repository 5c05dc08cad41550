//! Study participants: the team adds them (as applicants), approves and lists them.

use lambda_http::Request;
use shared::domain::pagination::Page;
use shared::domain::participants::{self, ParticipantApproved, ParticipantCreated};
use shared::domain::profiles::{self, ParticipantView};
use shared::domain::Caller;
use shared::http::{self, read_body, Answered};
use shared::lambda::ApiState;

mod bodies;
use bodies::{AddParticipant, ListQuery};

shared::api! {
    caller "POST /studies/{sid}/participants" 201 .idempotent() .body::<AddParticipant>() => add;
    caller "GET /studies/{sid}/participants" 200 .query::<ListQuery>() => list;
    caller "POST /studies/{sid}/participants/{pid}/approve" 200 => approve;
}

/// `POST /studies/{sid}/participants`: adds an applicant.
async fn add(state: &ApiState, req: &Request, caller: &Caller) -> Answered<ParticipantCreated> {
    let sid = http::path_param(req, "sid")?;
    let body = http::json_body(req)?;
    let new = read_body::<AddParticipant>(&body)?.into();
    let key = http::idempotency_key(req, caller, &body)?;
    let created = participants::add_participant(
        &state.store,
        &state.destinations,
        caller,
        &sid,
        new,
        key,
        chrono::Utc::now(),
    )
    .await?;
    Ok(created)
}

/// `GET /studies/{sid}/participants`, optionally only those of one `status`.
async fn list(state: &ApiState, req: &Request, caller: &Caller) -> Answered<Page<ParticipantView>> {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    let status = http::query_param(req, "status");
    let listed =
        profiles::list_participants(&state.store, caller, &sid, status.as_deref(), &page).await?;
    Ok(listed)
}

/// `POST /studies/{sid}/participants/{pid}/approve`.
async fn approve(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<ParticipantApproved> {
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    Ok(participants::approve_participant(&state.store, caller, &sid, &pid).await?)
}
