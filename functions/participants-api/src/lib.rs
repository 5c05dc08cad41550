//! Study participants: the team adds them (as applicants), approves and lists them.
use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::participants::{self, ParticipantApproved, ParticipantCreated};
use shared::domain::profiles::{self, ParticipantView};
use shared::domain::Caller;
use shared::http::{self, read_body, ApiError, Operation};
use shared::lambda::ApiState;

mod bodies;
use bodies::{AddParticipant, ListQuery};

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

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("POST /studies/{sid}/participants", 201)
            .idempotent()
            .body::<AddParticipant>()
            .replies::<ParticipantCreated>(),
        Operation::new("GET /studies/{sid}/participants", 200)
            .query::<ListQuery>()
            .replies::<Page<ParticipantView>>(),
        Operation::new("POST /studies/{sid}/participants/{pid}/approve", 200)
            .replies::<ParticipantApproved>(),
    ]
}

async fn add(state: &ApiState, req: &Request, caller: &Caller) -> Result<Response<Body>, ApiError> {
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
    http::json(201, &created)
}
