//! Workspaces, members and the workspace SMS setting. A thin adapter: each route parses
//! its request, calls one domain function and maps the result.

use lambda_http::Request;
use shared::domain::pagination::Page;
use shared::domain::workspaces::{
    self, MemberView, MessagingSettingsView, MyWorkspaceView, SmsSettings, WorkspaceCreated,
    WorkspaceView,
};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, Answered};
use shared::lambda::ApiState;

mod bodies;
use bodies::{CreateWorkspace, SetMember, SetMessaging, SetSms};

shared::api! {
    caller "POST /workspaces" 201 .idempotent() .body::<CreateWorkspace>() => create_workspace;
    caller "GET /workspaces" 200 .query::<PageQuery>() => my_workspaces;
    caller "GET /workspaces/{ws}" 200 => get_workspace;
    caller "PUT /workspaces/{ws}/members/{user_id}" 200 .body::<SetMember>() => set_member;
    caller_empty "DELETE /workspaces/{ws}/members/{user_id}" 204 => remove_member;
    caller "GET /workspaces/{ws}/members" 200 .query::<PageQuery>() => list_members;
    caller "GET /workspaces/{ws}/settings/sms" 200 => get_sms;
    caller "PUT /workspaces/{ws}/settings/sms" 200 .body::<SetSms>() => set_sms;
    caller "GET /workspaces/{ws}/settings/messaging" 200 => get_messaging;
    caller "PUT /workspaces/{ws}/settings/messaging" 200 .body::<SetMessaging>() => set_messaging;
}

/// `POST /workspaces`: the caller becomes the new workspace's admin.
async fn create_workspace(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<WorkspaceCreated> {
    let body = http::json_body(req)?;
    let read: CreateWorkspace = read_body(&body)?;
    let key = http::idempotency_key(req, caller, &body)?;
    let created =
        workspaces::create_workspace(&state.store, caller, &read.name, key, chrono::Utc::now())
            .await?;
    Ok(created)
}

/// `GET /workspaces`: the workspaces the caller is a member of.
async fn my_workspaces(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<MyWorkspaceView>> {
    let page = http::page_request(req)?;
    Ok(workspaces::my_workspaces(&state.store, caller, &page).await?)
}

async fn get_workspace(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<WorkspaceView> {
    let ws = http::path_param(req, "ws")?;
    Ok(workspaces::get_workspace(&state.store, caller, &ws).await?)
}

async fn set_member(state: &ApiState, req: &Request, caller: &Caller) -> Answered<MemberView> {
    let ws = http::path_param(req, "ws")?;
    let user_id = http::path_param(req, "user_id")?;
    let body: SetMember = read_body(&http::json_body(req)?)?;
    let member =
        workspaces::set_member(&state.store, caller, &ws, &user_id, body.role, &body.email).await?;
    Ok(member)
}

async fn remove_member(state: &ApiState, req: &Request, caller: &Caller) -> Answered<()> {
    let ws = http::path_param(req, "ws")?;
    let user_id = http::path_param(req, "user_id")?;
    workspaces::remove_member(&state.store, caller, &ws, &user_id).await?;
    Ok(())
}

async fn list_members(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<MemberView>> {
    let ws = http::path_param(req, "ws")?;
    let page = http::page_request(req)?;
    Ok(workspaces::list_members(&state.store, caller, &ws, &page).await?)
}

/// `GET /workspaces/{ws}/settings/sms`: the switch, and the sender number.
async fn get_sms(state: &ApiState, req: &Request, caller: &Caller) -> Answered<SmsSettings> {
    let ws = http::path_param(req, "ws")?;
    let sender = state.config.sender_number.as_deref();
    Ok(workspaces::get_sms_settings(&state.store, caller, &ws, sender).await?)
}

async fn set_sms(state: &ApiState, req: &Request, caller: &Caller) -> Answered<SmsSettings> {
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
    Ok(settings)
}

async fn get_messaging(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<MessagingSettingsView> {
    let ws = http::path_param(req, "ws")?;
    Ok(workspaces::get_messaging_settings(&state.store, caller, &ws).await?)
}

async fn set_messaging(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<MessagingSettingsView> {
    let ws = http::path_param(req, "ws")?;
    let body: SetMessaging = read_body(&http::json_body(req)?)?;
    let required = body.require_phone_verification;
    Ok(workspaces::set_messaging_settings(&state.store, caller, &ws, required).await?)
}
