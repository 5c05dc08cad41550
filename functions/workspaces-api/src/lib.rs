//! Workspaces, members and the workspace SMS setting. A thin adapter: each route parses
//! its request, calls one domain function and maps the result.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use shared::domain::pagination::Page;
use shared::domain::workspaces::{
    self, MemberView, MessagingSettingsView, MyWorkspaceView, SmsSettings, WorkspaceCreated,
    WorkspaceView,
};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, Operation, Reply, Routes};
use shared::lambda::ApiState;

mod bodies;
use bodies::{CreateWorkspace, SetMember, SetMessaging, SetSms};

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
            Operation::new("POST /workspaces", 201)
                .idempotent()
                .body::<CreateWorkspace>()
                .replies::<WorkspaceCreated>(),
            |s, r, c| Box::pin(create_workspace(s, r, c)),
        )
        .caller(
            Operation::new("GET /workspaces", 200)
                .query::<PageQuery>()
                .replies::<Page<MyWorkspaceView>>(),
            |s, r, c| Box::pin(my_workspaces(s, r, c)),
        )
        .caller(
            Operation::new("GET /workspaces/{ws}", 200).replies::<WorkspaceView>(),
            |s, r, c| Box::pin(get_workspace(s, r, c)),
        )
        .caller(
            Operation::new("PUT /workspaces/{ws}/members/{user_id}", 200)
                .body::<SetMember>()
                .replies::<MemberView>(),
            |s, r, c| Box::pin(set_member(s, r, c)),
        )
        .caller(
            Operation::new("DELETE /workspaces/{ws}/members/{user_id}", 204),
            |s, r, c| Box::pin(remove_member(s, r, c)),
        )
        .caller(
            Operation::new("GET /workspaces/{ws}/members", 200)
                .query::<PageQuery>()
                .replies::<Page<MemberView>>(),
            |s, r, c| Box::pin(list_members(s, r, c)),
        )
        .caller(
            Operation::new("GET /workspaces/{ws}/settings/sms", 200).replies::<SmsSettings>(),
            |s, r, c| Box::pin(get_sms(s, r, c)),
        )
        .caller(
            Operation::new("PUT /workspaces/{ws}/settings/sms", 200)
                .body::<SetSms>()
                .replies::<SmsSettings>(),
            |s, r, c| Box::pin(set_sms(s, r, c)),
        )
        .caller(
            Operation::new("GET /workspaces/{ws}/settings/messaging", 200)
                .replies::<MessagingSettingsView>(),
            |s, r, c| Box::pin(get_messaging(s, r, c)),
        )
        .caller(
            Operation::new("PUT /workspaces/{ws}/settings/messaging", 200)
                .body::<SetMessaging>()
                .replies::<MessagingSettingsView>(),
            |s, r, c| Box::pin(set_messaging(s, r, c)),
        )
});

/// `POST /workspaces`: the caller becomes the new workspace's admin.
async fn create_workspace(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let body = http::json_body(req)?;
    let read: CreateWorkspace = read_body(&body)?;
    let key = http::idempotency_key(req, caller, &body)?;
    let created =
        workspaces::create_workspace(&state.store, caller, &read.name, key, chrono::Utc::now())
            .await?;
    http::json(201, &created)
}

/// `GET /workspaces`: the workspaces the caller is a member of.
async fn my_workspaces(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let page = http::page_request(req)?;
    http::json(
        200,
        &workspaces::my_workspaces(&state.store, caller, &page).await?,
    )
}

async fn get_workspace(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    http::json(
        200,
        &workspaces::get_workspace(&state.store, caller, &ws).await?,
    )
}

async fn set_member(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    let user_id = http::path_param(req, "user_id")?;
    let body: SetMember = read_body(&http::json_body(req)?)?;
    let member =
        workspaces::set_member(&state.store, caller, &ws, &user_id, body.role, &body.email).await?;
    http::json(200, &member)
}

async fn remove_member(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    let user_id = http::path_param(req, "user_id")?;
    workspaces::remove_member(&state.store, caller, &ws, &user_id).await?;
    http::no_content()
}

async fn list_members(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &workspaces::list_members(&state.store, caller, &ws, &page).await?,
    )
}

/// `GET /workspaces/{ws}/settings/sms`: the switch, and the sender number.
async fn get_sms(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    let sender = state.config.sender_number.as_deref();
    http::json(
        200,
        &workspaces::get_sms_settings(&state.store, caller, &ws, sender).await?,
    )
}

async fn set_sms(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
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

async fn get_messaging(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    http::json(
        200,
        &workspaces::get_messaging_settings(&state.store, caller, &ws).await?,
    )
}

async fn set_messaging(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let ws = http::path_param(req, "ws")?;
    let body: SetMessaging = read_body(&http::json_body(req)?)?;
    let required = body.require_phone_verification;
    http::json(
        200,
        &workspaces::set_messaging_settings(&state.store, caller, &ws, required).await?,
    )
}
