//! Study participants: the team adds them (as applicants), approves and lists them.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::participants::{self, ParticipantApproved, ParticipantCreated};
use shared::domain::profiles::{self, ParticipantView};
use shared::domain::Caller;
use shared::http::{self, read_body, Operation, Reply, Routes};
use shared::lambda::ApiState;

mod bodies;
use bodies::{AddParticipant, ListQuery};

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
            Operation::new("POST /studies/{sid}/participants", 201)
                .idempotent()
                .body::<AddParticipant>()
                .replies::<ParticipantCreated>(),
            |s, r, c| Box::pin(add(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}/participants", 200)
                .query::<ListQuery>()
                .replies::<Page<ParticipantView>>(),
            |s, r, c| Box::pin(list(s, r, c)),
        )
        .caller(
            Operation::new("POST /studies/{sid}/participants/{pid}/approve", 200)
                .replies::<ParticipantApproved>(),
            |s, r, c| Box::pin(approve(s, r, c)),
        )
});

/// `POST /studies/{sid}/participants`: adds an applicant.
async fn add(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
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

/// `GET /studies/{sid}/participants`, optionally only those of one `status`.
async fn list(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    let status = http::query_param(req, "status");
    let listed =
        profiles::list_participants(&state.store, caller, &sid, status.as_deref(), &page).await?;
    http::json(200, &listed)
}

/// `POST /studies/{sid}/participants/{pid}/approve`.
async fn approve(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    http::json(
        200,
        &participants::approve_participant(&state.store, caller, &sid, &pid).await?,
    )
}
