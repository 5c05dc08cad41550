//! Workspaces, members and the workspace SMS setting. A thin adapter: each route parses
//! its request, calls one domain function and maps the result.
use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::workspaces::{
    self, MemberView, MessagingSettingsView, MyWorkspaceView, SmsSettings, WorkspaceCreated,
    WorkspaceView,
};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, ApiError, Operation};
use shared::lambda::ApiState;

mod bodies;
use bodies::{CreateWorkspace, SetMember, SetMessaging, SetSms};

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    match http::route_key(req).as_deref() {
        Some("POST /workspaces") => create_workspace(state, req, &caller).await,
        Some("GET /workspaces") => {
            let page = http::page_request(req)?;
            http::json(
                200,
                &workspaces::my_workspaces(&state.store, &caller, &page).await?,
            )
        }
        Some("GET /workspaces/{ws}") => {
            let ws = http::path_param(req, "ws")?;
            http::json(
                200,
                &workspaces::get_workspace(&state.store, &caller, &ws).await?,
            )
        }
        Some("PUT /workspaces/{ws}/members/{user_id}") => set_member(state, req, &caller).await,
        Some("DELETE /workspaces/{ws}/members/{user_id}") => {
            let ws = http::path_param(req, "ws")?;
            let user_id = http::path_param(req, "user_id")?;
            workspaces::remove_member(&state.store, &caller, &ws, &user_id).await?;
            http::no_content()
        }
        Some("GET /workspaces/{ws}/members") => {
            let ws = http::path_param(req, "ws")?;
            let page = http::page_request(req)?;
            http::json(
                200,
                &workspaces::list_members(&state.store, &caller, &ws, &page).await?,
            )
        }
        Some("GET /workspaces/{ws}/settings/sms") => {
            let ws = http::path_param(req, "ws")?;
            let sender = state.config.sender_number.as_deref();
            http::json(
                200,
                &workspaces::get_sms_settings(&state.store, &caller, &ws, sender).await?,
            )
        }
        Some("PUT /workspaces/{ws}/settings/sms") => set_sms(state, req, &caller).await,
        Some("GET /workspaces/{ws}/settings/messaging") => {
            let ws = http::path_param(req, "ws")?;
            http::json(
                200,
                &workspaces::get_messaging_settings(&state.store, &caller, &ws).await?,
            )
        }
        Some("PUT /workspaces/{ws}/settings/messaging") => {
            let ws = http::path_param(req, "ws")?;
            let body: SetMessaging = read_body(&http::json_body(req)?)?;
            let required = body.require_phone_verification;
            http::json(
                200,
                &workspaces::set_messaging_settings(&state.store, &caller, &ws, required).await?,
            )
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("POST /workspaces", 201)
            .idempotent()
            .body::<CreateWorkspace>()
            .replies::<WorkspaceCreated>(),
        Operation::new("GET /workspaces", 200)
            .query::<PageQuery>()
            .replies::<Page<MyWorkspaceView>>(),
        Operation::new("GET /workspaces/{ws}", 200).replies::<WorkspaceView>(),
        Operation::new("PUT /workspaces/{ws}/members/{user_id}", 200)
            .body::<SetMember>()
            .replies::<MemberView>(),
        Operation::new("DELETE /workspaces/{ws}/members/{user_id}", 204),
        Operation::new("GET /workspaces/{ws}/members", 200)
            .query::<PageQuery>()
            .replies::<Page<MemberView>>(),
        Operation::new("GET /workspaces/{ws}/settings/sms", 200).replies::<SmsSettings>(),
        Operation::new("PUT /workspaces/{ws}/settings/sms", 200)
            .body::<SetSms>()
            .replies::<SmsSettings>(),
        Operation::new("GET /workspaces/{ws}/settings/messaging", 200)
            .replies::<MessagingSettingsView>(),
        Operation::new("PUT /workspaces/{ws}/settings/messaging", 200)
            .body::<SetMessaging>()
            .replies::<MessagingSettingsView>(),
    ]
}

async fn create_workspace(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let body = http::json_body(req)?;
    let read: CreateWorkspace = read_body(&body)?;
    let key = http::idempotency_key(req, caller, &body)?;
    let created =
        workspaces::create_workspace(&state.store, caller, &read.name, key, chrono::Utc::now())
            .await?;
    http::json(201, &created)
}

async fn set_member(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let ws = http::path_param(req, "ws")?;
    let user_id = http::path_param(req, "user_id")?;
    let body: SetMember = read_body(&http::json_body(req)?)?;
    let member =
        workspaces::set_member(&state.store, caller, &ws, &user_id, body.role, &body.email).await?;
    http::json(200, &member)
}

async fn set_sms(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let ws = http::path_param(req, "ws")?;
    let body: SetSms = read_body(&http::json_body(req)?)?;
    let settings = workspaces::set_sms_settings(
        &state.store,
        caller,
        &ws,
        body.enabled,
        state.config.sender_number.as_deref(),
    )
    .await?;
    http::json(200, &settings)
}
