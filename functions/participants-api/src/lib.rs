//! Study participants: the team adds them (as applicants), approves and lists them.
use lambda_http::{Body, Request, Response};
use shared::domain::participants::{self, NewParticipant};
use shared::domain::profiles;
use shared::domain::studies::Recruitment;
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
        Some("POST /studies/{sid}/participants") => add(state, req, &caller).await,
        Some("GET /studies/{sid}/participants") => {
            let sid = http::path_param(req, "sid")?;
            let page = http::page_request(req)?;
            let status = http::query_param(req, "status");
            let listed =
                profiles::list_participants(&state.store, &caller, &sid, status.as_deref(), &page)
                    .await?;
            http::json(200, &listed)
        }
        Some("POST /studies/{sid}/participants/{pid}/approve") => {
            let sid = http::path_param(req, "sid")?;
            let pid = http::path_param(req, "pid")?;
            http::json(
                200,
                &participants::approve_participant(&state.store, &caller, &sid, &pid).await?,
            )
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

async fn add(state: &ApiState, req: &Request, caller: &Caller) -> Result<Response<Body>, ApiError> {
    let sid = http::path_param(req, "sid")?;
    let body = http::json_body(req)?;
    let mut fields = Fields::new(&body)?;
    let email = fields.string("email");
    let name = fields.string("name");
    let phone = fields.optional_string("phone");
    let source = fields.one_of("source", Recruitment::NAMES, Recruitment::parse);
    let panel_participant_id = fields.optional_string("panel_participant_id");
    fields.finish()?;
    let new = NewParticipant {
        email: checked(email)?,
        name: checked(name)?,
        phone,
        source: checked(source)?,
        panel_participant_id,
    };
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
    http::json(201, &created)
}
