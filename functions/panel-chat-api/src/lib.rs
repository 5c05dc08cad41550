//! External-panel chat for study owners and teammates with the panel permission, in
//! studies recruiting from the panel; for everyone else these routes 404.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::panel_chat::{self, PanelMessageCreated, PanelMessageView, ThreadView};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, MessageBody, Operation, Reply, Routes};
use shared::lambda::ApiState;

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
            Operation::new("GET /studies/{sid}/chat", 200)
                .query::<PageQuery>()
                .replies::<Page<ThreadView>>(),
            |s, r, c| Box::pin(list_threads(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}/chat/{pid}/messages", 200)
                .query::<PageQuery>()
                .replies::<Page<PanelMessageView>>(),
            |s, r, c| Box::pin(list_messages(s, r, c)),
        )
        .caller(
            Operation::new("POST /studies/{sid}/chat/{pid}/messages", 201)
                .idempotent()
                .body::<MessageBody>()
                .replies::<PanelMessageCreated>(),
            |s, r, c| Box::pin(post_message(s, r, c)),
        )
});

/// `GET /studies/{sid}/chat`: one thread per approved panel participant.
async fn list_threads(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &panel_chat::list_threads(&state.store, caller, &sid, &page).await?,
    )
}

/// `GET /studies/{sid}/chat/{pid}/messages`: the thread with one participant.
async fn list_messages(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &panel_chat::list_messages(&state.store, caller, &sid, &pid, &page).await?,
    )
}

/// `POST /studies/{sid}/chat/{pid}/messages`: the body is read before the path.
async fn post_message(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let body = http::json_body(req)?;
    let text = read_body::<MessageBody>(&body)?.body;
    let asked = http::asked(req, caller, &body)?;
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    let created =
        panel_chat::post_message(&state.store, state.events(), asked, &sid, &pid, &text).await?;
    http::json(201, &created)
}
