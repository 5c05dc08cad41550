//! Studies, their teams and the per-study interview-reminder switch. A thin adapter:
//! each route parses its request, calls one domain function and maps the result.

use lambda_http::Request;
use shared::domain::pagination::Page;
use shared::domain::studies::{self, NewStudy, StudySms, StudyView, TeamMemberView};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, Answered};
use shared::lambda::ApiState;

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

async fn list_studies(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<StudyView>> {
    let ws = http::path_param(req, "ws")?;
    let page = http::page_request(req)?;
    Ok(studies::list_studies(&state.store, caller, &ws, &page).await?)
}

async fn get_study(state: &ApiState, req: &Request, caller: &Caller) -> Answered<StudyView> {
    let sid = http::path_param(req, "sid")?;
    Ok(studies::get_study(&state.store, caller, &sid).await?)
}

async fn remove_team_member(state: &ApiState, req: &Request, caller: &Caller) -> Answered<()> {
    let sid = http::path_param(req, "sid")?;
    let user_id = http::path_param(req, "user_id")?;
    studies::remove_team_member(&state.store, caller, &sid, &user_id).await?;
    Ok(())
}

async fn list_team(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<TeamMemberView>> {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    Ok(studies::list_team(&state.store, caller, &sid, &page).await?)
}

async fn create_study(state: &ApiState, req: &Request, caller: &Caller) -> Answered<StudyView> {
    let ws = http::path_param(req, "ws")?;
    let body = http::json_body(req)?;
    let read: CreateStudy = read_body(&body)?;
    let new = NewStudy {
        name: read.name,
        kind: read.kind,
        recruitment: read.recruitment,
        contact_phone: read.contact_phone,
    };
    let key = http::idempotency_key(req, caller, &body)?;
    let study =
        studies::create_study(&state.store, caller, &ws, new, key, chrono::Utc::now()).await?;
    Ok(study)
}

async fn set_team_member(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<TeamMemberView> {
    let sid = http::path_param(req, "sid")?;
    let user_id = http::path_param(req, "user_id")?;
    let body: SetTeamMember = read_body(&http::json_body(req)?)?;
    let member = studies::set_team_member(
        &state.store,
        caller,
        &sid,
        &user_id,
        body.role,
        body.external_panel,
    )
    .await?;
    Ok(member)
}

async fn set_sms(state: &ApiState, req: &Request, caller: &Caller) -> Answered<StudySms> {
    let sid = http::path_param(req, "sid")?;
    let body: SetStudySms = read_body(&http::json_body(req)?)?;
    let sms = studies::set_study_sms(&state.store, caller, &sid, body.interview_reminder).await?;
    Ok(sms)
}
