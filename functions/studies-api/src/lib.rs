//! Studies, their teams and the per-study interview-reminder switch. A thin adapter:
//! each route parses its request, calls one domain function and maps the result.
use lambda_http::{Body, Request, Response};
use shared::domain::studies::{self, NewStudy, Recruitment, StudyKind, TeamRole};
use shared::domain::Caller;
use shared::http::{self, checked, ApiError, Fields};
use shared::lambda::ApiState;

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

async fn create_study(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let ws = http::path_param(req, "ws")?;
    let body = http::json_body(req)?;
    let mut fields = Fields::new(&body)?;
    let name = fields.string("name");
    let kind = fields.one_of("kind", StudyKind::NAMES, StudyKind::parse);
    let recruitment = fields.one_of("recruitment", Recruitment::NAMES, Recruitment::parse);
    let contact_phone = fields.optional_string("contact_phone");
    fields.finish()?;
    let new = NewStudy {
        name: checked(name)?,
        kind: checked(kind)?,
        recruitment: checked(recruitment)?,
        contact_phone,
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
    let body = http::json_body(req)?;
    let mut fields = Fields::new(&body)?;
    let role = fields.one_of("role", TeamRole::NAMES, TeamRole::parse);
    let external_panel = fields.bool("external_panel");
    fields.finish()?;
    let member = studies::set_team_member(
        &state.store,
        caller,
        &sid,
        &user_id,
        checked(role)?,
        checked(external_panel)?,
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
    let body = http::json_body(req)?;
    let mut fields = Fields::new(&body)?;
    let interview_reminder = fields.bool("interview_reminder");
    fields.finish()?;
    let sms =
        studies::set_study_sms(&state.store, caller, &sid, checked(interview_reminder)?).await?;
    http::json(200, &sms)
}
