//! Study participants: the team adds them (as applicants), approves and lists them.

use shared::domain::pagination::Page;
use shared::domain::participants::{self, ParticipantApproved, ParticipantCreated};
use shared::domain::profiles::{self, ParticipantView};
use shared::http::{self, Answered, Call};

mod bodies;
use bodies::{AddParticipant, ListQuery};

shared::api! {
    caller "POST /studies/{sid}/participants" 201 .idempotent() .body::<AddParticipant>() => add;
    caller "GET /studies/{sid}/participants" 200 .query::<ListQuery>() => list;
    caller "POST /studies/{sid}/participants/{pid}/approve" 200 => approve;
}

/// `POST /studies/{sid}/participants`: adds an applicant.
async fn add(call: Call<'_>) -> Answered<ParticipantCreated> {
    let sid = call.path("sid")?;
    let (new, asked) = call.create::<AddParticipant>()?;
    let created = participants::add_participant(
        call.store(),
        &call.state.destinations,
        asked,
        &sid,
        new.into(),
    )
    .await?;
    Ok(created)
}

/// `GET /studies/{sid}/participants`, optionally only those of one `status`.
async fn list(call: Call<'_>) -> Answered<Page<ParticipantView>> {
    let sid = call.path("sid")?;
    let page = call.page()?;
    let status = http::query_param(call.req, "status");
    let listed =
        profiles::list_participants(call.store(), call.caller, &sid, status.as_deref(), &page)
            .await?;
    Ok(listed)
}

/// `POST /studies/{sid}/participants/{pid}/approve`.
async fn approve(call: Call<'_>) -> Answered<ParticipantApproved> {
    let sid = call.path("sid")?;
    let pid = call.path("pid")?;
    Ok(participants::approve_participant(call.store(), call.caller, &sid, &pid).await?)
}
