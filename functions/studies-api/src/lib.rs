//! Studies, their teams and the per-study interview-reminder switch. A thin adapter:
//! each route parses its request, calls one domain function and maps the result.
use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::studies::{self, NewStudy, StudySms, StudyView, TeamMemberView};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, ApiError, Operation};
use shared::lambda::ApiState;

mod bodies;
use bodies::{CreateStudy, SetStudySms, SetTeamMember};

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    match http::route_key(req).as_deref() {
        Some("POST /workspaces/{ws}/studies") => create_study(state, req, &caller).await,
        Some("GET /workspaces/{ws}/studies") => {
            let ws = http::path_param(req, "ws")?;
            let page = http::page_request(req)?;
            http::json(
                200,
                &studies::list_studies(&state.store, &caller, &ws, &page).await?,
            )
        }
        Some("GET /studies/{sid}") => {
            let sid = http::path_param(req, "sid")?;
            http::json(200, &studies::get_study(&state.store, &caller, &sid).await?)
        }
        Some("PUT /studies/{sid}/team/{user_id}") => set_team_member(state, req, &caller).await,
        Some("DELETE /studies/{sid}/team/{user_id}") => {
            let sid = http::path_param(req, "sid")?;
            let user_id = http::path_param(req, "user_id")?;
            studies::remove_team_member(&state.store, &caller, &sid, &user_id).await?;
            http::no_content()
        }
        Some("GET /studies/{sid}/team") => {
            let sid = http::path_param(req, "sid")?;
            let page = http::page_request(req)?;
            http::json(
                200,
                &studies::list_team(&state.store, &caller, &sid, &page).await?,
            )
        }
        Some("PUT /studies/{sid}/sms") => set_sms(state, req, &caller).await,
        _ => Err(ApiError::RouteNotFound),
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("POST /workspaces/{ws}/studies", 201)
            .idempotent()
            .body::<CreateStudy>()
            .replies::<StudyView>(),
        Operation::new("GET /workspaces/{ws}/studies", 200)
            .query::<PageQuery>()
            .replies::<Page<StudyView>>(),
        Operation::new("GET /studies/{sid}", 200).replies::<StudyView>(),
        Operation::new("PUT /studies/{sid}/team/{user_id}", 200)
            .body::<SetTeamMember>()
            .replies::<TeamMemberView>(),
        Operation::new("DELETE /studies/{sid}/team/{user_id}", 204),
        Operation::new("GET /studies/{sid}/team", 200)
            .query::<PageQuery>()
            .replies::<Page<TeamMemberView>>(),
        Operation::new("PUT /studies/{sid}/sms", 200)
            .body::<SetStudySms>()
            .replies::<StudySms>(),
    ]
}

async fn create_study(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
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

async fn set_team_member(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
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

async fn set_sms(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let sid = http::path_param(req, "sid")?;
    let body: SetStudySms = read_body(&http::json_body(req)?)?;
    let sms = studies::set_study_sms(&state.store, caller, &sid, body.interview_reminder).await?;
    http::json(200, &sms)
}
