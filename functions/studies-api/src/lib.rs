//! Studies, their teams and the per-study interview-reminder switch. A thin adapter:
//! each route parses its request, calls one domain function and maps the result.

use shared::domain::pagination::Page;
use shared::domain::studies::{self, NewStudy, StudySms, StudyView, TeamMemberView};
use shared::http::doc::PageQuery;
use shared::http::{Answered, Call};

mod bodies;
use bodies::{CreateStudy, SetStudySms, SetTeamMember};

shared::api! {
    caller "POST /workspaces/{ws}/studies" 201 .idempotent() .body::<CreateStudy>() => create_study;
    caller "GET /workspaces/{ws}/studies" 200 .query::<PageQuery>() => list_studies;
    caller "GET /studies/{sid}" 200 => get_study;
    caller "PUT /studies/{sid}/team/{user_id}" 200 .body::<SetTeamMember>() => set_team_member;
    caller_empty "DELETE /studies/{sid}/team/{user_id}" 204 => remove_team_member;
    caller "GET /studies/{sid}/team" 200 .query::<PageQuery>() => list_team;
    caller "PUT /studies/{sid}/sms" 200 .body::<SetStudySms>() => set_sms;
}

async fn list_studies(call: Call<'_>) -> Answered<Page<StudyView>> {
    let ws = call.path("ws")?;
    let page = call.page()?;
    Ok(studies::list_studies(call.store(), call.caller, &ws, &page).await?)
}

async fn get_study(call: Call<'_>) -> Answered<StudyView> {
    let sid = call.path("sid")?;
    Ok(studies::get_study(call.store(), call.caller, &sid).await?)
}

async fn remove_team_member(call: Call<'_>) -> Answered<()> {
    let sid = call.path("sid")?;
    let user_id = call.path("user_id")?;
    studies::remove_team_member(call.store(), call.caller, &sid, &user_id).await?;
    Ok(())
}

async fn list_team(call: Call<'_>) -> Answered<Page<TeamMemberView>> {
    let sid = call.path("sid")?;
    let page = call.page()?;
    Ok(studies::list_team(call.store(), call.caller, &sid, &page).await?)
}

async fn create_study(call: Call<'_>) -> Answered<StudyView> {
    let ws = call.path("ws")?;
    let (read, asked) = call.create::<CreateStudy>()?;
    Ok(studies::create_study(call.store(), asked, &ws, NewStudy::from(read)).await?)
}

async fn set_team_member(call: Call<'_>) -> Answered<TeamMemberView> {
    let sid = call.path("sid")?;
    let user_id = call.path("user_id")?;
    let body: SetTeamMember = call.body()?;
    let member = studies::set_team_member(
        call.store(),
        call.caller,
        &sid,
        &user_id,
        body.role,
        body.external_panel,
    )
    .await?;
    Ok(member)
}

async fn set_sms(call: Call<'_>) -> Answered<StudySms> {
    let sid = call.path("sid")?;
    let body: SetStudySms = call.body()?;
    let sms =
        studies::set_study_sms(call.store(), call.caller, &sid, body.interview_reminder).await?;
    Ok(sms)
}
