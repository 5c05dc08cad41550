//! Workspaces, members and the workspace SMS setting. A thin adapter: each route parses
//! its request, calls one domain function and maps the result.

use shared::domain::pagination::Page;
use shared::domain::workspaces::{
    self, MemberView, MessagingSettingsView, MyWorkspaceView, SmsSettings, WorkspaceCreated,
    WorkspaceView,
};
use shared::http::doc::PageQuery;
use shared::http::{Answered, Call};

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
async fn create_workspace(call: Call<'_>) -> Answered<WorkspaceCreated> {
    let (read, asked) = call.create::<CreateWorkspace>()?;
    Ok(workspaces::create_workspace(call.store(), asked, &read.name).await?)
}

/// `GET /workspaces`: the workspaces the caller is a member of.
async fn my_workspaces(call: Call<'_>) -> Answered<Page<MyWorkspaceView>> {
    let page = call.page()?;
    Ok(workspaces::my_workspaces(call.store(), call.caller, &page).await?)
}

async fn get_workspace(call: Call<'_>) -> Answered<WorkspaceView> {
    let ws = call.path("ws")?;
    Ok(workspaces::get_workspace(call.store(), call.caller, &ws).await?)
}

async fn set_member(call: Call<'_>) -> Answered<MemberView> {
    let ws = call.path("ws")?;
    let user_id = call.path("user_id")?;
    let body: SetMember = call.body()?;
    let member = workspaces::set_member(
        call.store(),
        call.caller,
        &ws,
        &user_id,
        body.role,
        &body.email,
    )
    .await?;
    Ok(member)
}

async fn remove_member(call: Call<'_>) -> Answered<()> {
    let ws = call.path("ws")?;
    let user_id = call.path("user_id")?;
    workspaces::remove_member(call.store(), call.caller, &ws, &user_id).await?;
    Ok(())
}

async fn list_members(call: Call<'_>) -> Answered<Page<MemberView>> {
    let ws = call.path("ws")?;
    let page = call.page()?;
    Ok(workspaces::list_members(call.store(), call.caller, &ws, &page).await?)
}

/// `GET /workspaces/{ws}/settings/sms`: the switch, and the sender number.
async fn get_sms(call: Call<'_>) -> Answered<SmsSettings> {
    let ws = call.path("ws")?;
    let sender = call.state.config.sms.sender_number.as_deref();
    Ok(workspaces::get_sms_settings(call.store(), call.caller, &ws, sender).await?)
}

async fn set_sms(call: Call<'_>) -> Answered<SmsSettings> {
    let ws = call.path("ws")?;
    let body: SetSms = call.body()?;
    let settings = workspaces::set_sms_settings(
        call.store(),
        call.caller,
        &ws,
        body.enabled,
        call.state.config.sms.sender_number.as_deref(),
    )
    .await?;
    Ok(settings)
}

async fn get_messaging(call: Call<'_>) -> Answered<MessagingSettingsView> {
    let ws = call.path("ws")?;
    Ok(workspaces::get_messaging_settings(call.store(), call.caller, &ws).await?)
}

async fn set_messaging(call: Call<'_>) -> Answered<MessagingSettingsView> {
    let ws = call.path("ws")?;
    let body: SetMessaging = call.body()?;
    let required = body.require_phone_verification;
    Ok(workspaces::set_messaging_settings(call.store(), call.caller, &ws, required).await?)
}
