//! Studies, their teams and the per-study interview-reminder switch. A thin adapter:
//! each route parses its request, calls one domain function and maps the result.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::studies::{self, NewStudy, StudySms, StudyView, TeamMemberView};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, Operation, Reply, Routes};
use shared::lambda::ApiState;

mod bodies;
use bodies::{CreateStudy, SetStudySms, SetTeamMember};

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    ROUTES.answer(state, &req).await
}

/// What each route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    ROUTES.operations()
}

static ROUTES: LazyLock<Routes<ApiState>> = LazyLock::new(|| {
    Routes::new()
        .caller(
            Operation::new("POST /workspaces/{ws}/studies", 201)
                .idempotent()
                .body::<CreateStudy>()
                .replies::<StudyView>(),
            |s, r, c| Box::pin(create_study(s, r, c)),
        )
        .caller(
            Operation::new("GET /workspaces/{ws}/studies", 200)
                .query::<PageQuery>()
                .replies::<Page<StudyView>>(),
            |s, r, c| Box::pin(list_studies(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}", 200).replies::<StudyView>(),
            |s, r, c| Box::pin(get_study(s, r, c)),
        )
        .caller(
            Operation::new("PUT /studies/{sid}/team/{user_id}", 200)
                .body::<SetTeamMember>()
                .replies::<TeamMemberView>(),
            |s, r, c| Box::pin(set_team_member(s, r, c)),
        )
        .caller(
            Operation::new("DELETE /studies/{sid}/team/{user_id}", 204),
            |s, r, c| Box::pin(remove_team_member(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}/team", 200)
                .query::<PageQuery>()
                .replies::<Page<TeamMemberView>>(),
            |s, r, c| Box::pin(list_team(s, r, c)),
        )
        .caller(
            Operation::new("PUT /studies/{sid}/sms", 200)
                .body::<SetStudySms>()
                .replies::<StudySms>(),
            |s, r, c| Box::pin(set_sms(s, r, c)),
        )
});

async fn list_studies(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &studies::list_studies(&state.store, caller, &ws, &page).await?,
    )
}

async fn get_study(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    http::json(200, &studies::get_study(&state.store, caller, &sid).await?)
}

async fn remove_team_member(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let user_id = http::path_param(req, "user_id")?;
    studies::remove_team_member(&state.store, caller, &sid, &user_id).await?;
    http::no_content()
}

async fn list_team(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &studies::list_team(&state.store, caller, &sid, &page).await?,
    )
}

async fn create_study(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
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
    http::json(201, &study)
}

async fn set_team_member(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
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
    http::json(200, &member)
}

async fn set_sms(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let body: SetStudySms = read_body(&http::json_body(req)?)?;
    let sms = studies::set_study_sms(&state.store, caller, &sid, body.interview_reminder).await?;
    http::json(200, &sms)
}
