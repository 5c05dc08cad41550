//! External-panel chat for study owners and teammates with the panel permission, in
//! studies recruiting from the panel; for everyone else these routes 404.
use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::panel_chat::{self, PanelMessageCreated, PanelMessageView, ThreadView};
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, ApiError, MessageBody, Operation};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    let sid = || http::path_param(req, "sid");
    let pid = || http::path_param(req, "pid");
    match http::route_key(req).as_deref() {
        Some("GET /studies/{sid}/chat") => http::json(
            200,
            &panel_chat::list_threads(&state.store, &caller, &sid()?, &http::page_request(req)?)
                .await?,
        ),
        Some("GET /studies/{sid}/chat/{pid}/messages") => http::json(
            200,
            &panel_chat::list_messages(
                &state.store,
                &caller,
                &sid()?,
                &pid()?,
                &http::page_request(req)?,
            )
            .await?,
        ),
        Some("POST /studies/{sid}/chat/{pid}/messages") => {
            let body = http::json_body(req)?;
            let text = read_body::<MessageBody>(&body)?.body;
            let key = http::idempotency_key(req, &caller, &body)?;
            let created = panel_chat::post_message(
                &state.store,
                state.events(),
                &caller,
                &sid()?,
                &pid()?,
                &text,
                key,
                chrono::Utc::now(),
            )
            .await?;
            http::json(201, &created)
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("GET /studies/{sid}/chat", 200)
            .query::<PageQuery>()
            .replies::<Page<ThreadView>>(),
        Operation::new("GET /studies/{sid}/chat/{pid}/messages", 200)
            .query::<PageQuery>()
            .replies::<Page<PanelMessageView>>(),
        Operation::new("POST /studies/{sid}/chat/{pid}/messages", 201)
            .idempotent()
            .body::<MessageBody>()
            .replies::<PanelMessageCreated>(),
    ]
}
