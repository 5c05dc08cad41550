//! Workspaces: the tenant boundary. Every object belongs to exactly one workspace and
//! nothing of one workspace is visible to a member of another.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::enums::string_enum;
use super::pagination::{Page, PageRequest};
use super::{ids, validation, Asked, Caller, DomainError};
use crate::ports::{
    AccessStore, IdempotencyStore, MemberDirectory, Removal, StoreError, WorkspaceStore,
};

pub const NAME_MAX_CHARS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceRole {
    Admin,
    Member,
}

string_enum!(WorkspaceRole { Admin => "admin", Member => "member" });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub sms_enabled: bool,
    /// Participants must verify a phone by SMS code before accepting a conversation.
    pub require_phone_verification: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub workspace_id: String,
    pub user_id: String,
    pub role: WorkspaceRole,
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WorkspaceCreated {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WorkspaceView {
    pub id: String,
    pub name: String,
    /// The caller's own role in it.
    pub role: WorkspaceRole,
    pub sms_enabled: bool,
}

/// A workspace in the caller's list of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MyWorkspaceView {
    pub id: String,
    pub name: String,
    /// The caller's own role in it.
    pub role: WorkspaceRole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MemberView {
    pub workspace_id: String,
    pub user_id: String,
    pub role: WorkspaceRole,
    pub email: Option<String>,
}

crate::from_fields!(|m: Membership| MemberView {
    workspace_id,
    user_id,
    role,
    email
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SmsSettings {
    pub enabled: bool,
    /// The platform's managed origination number, once provisioned.
    pub sender_number: Option<String>,
}

/// The caller's membership, or 404 if they are not a member: a non-member may not learn
/// that the workspace exists.
pub async fn require_member<S: WorkspaceStore>(
    store: &S,
    workspace_id: &str,
    caller: &Caller,
) -> Result<Membership, DomainError> {
    store
        .get_membership(workspace_id, &caller.user_id)
        .await?
        .ok_or(DomainError::NotFound("workspace"))
}

pub async fn require_admin<S: WorkspaceStore>(
    store: &S,
    workspace_id: &str,
    caller: &Caller,
) -> Result<Membership, DomainError> {
    let membership = require_member(store, workspace_id, caller).await?;
    if membership.role != WorkspaceRole::Admin {
        return Err(DomainError::Forbidden("only a workspace admin may do this"));
    }
    Ok(membership)
}

async fn load_workspace<S: WorkspaceStore>(
    store: &S,
    workspace_id: &str,
) -> Result<Workspace, DomainError> {
    store
        .get_workspace(workspace_id)
        .await?
        .ok_or(DomainError::NotFound("workspace"))
}

pub async fn create_workspace<S>(
    store: &S,
    asked: Asked<'_>,
    name: &str,
) -> Result<WorkspaceCreated, DomainError>
where
    S: WorkspaceStore + IdempotencyStore,
{
    let (caller, now, once) = (asked.caller, asked.now, asked.once());
    if let Some(first) = once.replay(store).await? {
        return Ok(first);
    }
    let name = validation::display_name("name", name, NAME_MAX_CHARS)
        .map_err(|e| DomainError::Validation(vec![e]))?;
    let workspace = Workspace {
        id: ids::new_id("ws"),
        name,
        sms_enabled: false,
        require_phone_verification: false,
        created_by: caller.user_id.clone(),
        created_at: now,
    };
    let admin = Membership {
        workspace_id: workspace.id.clone(),
        user_id: caller.user_id.clone(),
        role: WorkspaceRole::Admin,
        email: caller.email.clone(),
    };
    let created = WorkspaceCreated {
        id: workspace.id.clone(),
        name: workspace.name.clone(),
    };
    let record = once.record(&created);
    let written = store
        .create_workspace(&workspace, &admin, record.as_ref())
        .await;
    let first = once.settle(store, written, DomainError::from).await?;
    Ok(first.unwrap_or(created))
}

/// `GET /workspaces`: the workspaces the caller is a member of, with their role.
pub async fn my_workspaces<S: MemberDirectory>(
    store: &S,
    caller: &Caller,
    page: &PageRequest,
) -> Result<Page<MyWorkspaceView>, DomainError> {
    let page = store.list_user_workspaces(&caller.user_id, page).await?;
    Ok(page.map(|(workspace, membership)| MyWorkspaceView {
        id: workspace.id,
        name: workspace.name,
        role: membership.role,
    }))
}

pub async fn get_workspace<S: WorkspaceStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
) -> Result<WorkspaceView, DomainError> {
    let membership = require_member(store, workspace_id, caller).await?;
    let workspace = load_workspace(store, workspace_id).await?;
    Ok(WorkspaceView {
        id: workspace.id,
        name: workspace.name,
        role: membership.role,
        sms_enabled: workspace.sms_enabled,
    })
}

/// Adds a member or changes a member's role. Only admins may; the last admin cannot be
/// demoted (409), so a workspace is never left unmanageable.
pub async fn set_member<S: WorkspaceStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    user_id: &str,
    role: WorkspaceRole,
    email: &str,
) -> Result<MemberView, DomainError> {
    require_admin(store, workspace_id, caller).await?;
    let email = validation::email("email", email).map_err(|e| DomainError::Validation(vec![e]))?;
    if user_id.is_empty() || user_id.len() > 128 {
        return Err(DomainError::invalid(
            "user_id",
            "must be 1 to 128 characters",
        ));
    }
    let previous = store
        .get_membership(workspace_id, user_id)
        .await?
        .map(|m| m.role);
    let membership = Membership {
        workspace_id: workspace_id.to_owned(),
        user_id: user_id.to_owned(),
        role,
        email: Some(email),
    };
    match store.put_membership(&membership, previous).await {
        Ok(()) => Ok(membership.into()),
        Err(StoreError::ConditionFailed)
            if previous == Some(WorkspaceRole::Admin) && role != WorkspaceRole::Admin =>
        {
            Err(DomainError::conflict(
                "last_admin",
                "a workspace must keep at least one admin",
            ))
        }
        Err(StoreError::ConditionFailed) => Err(DomainError::conflict(
            "concurrent_change",
            "the membership changed while this request ran; retry",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Takes a member off the workspace. Only admins may; from then on the workspace and
/// every study in it answer that user 404. The last admin cannot be removed (409).
pub async fn remove_member<S: WorkspaceStore + AccessStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    user_id: &str,
) -> Result<(), DomainError> {
    require_admin(store, workspace_id, caller).await?;
    let member = store
        .get_membership(workspace_id, user_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    match store.remove_membership(&member).await? {
        Removal::Removed => Ok(()),
        Removal::LastOne => Err(DomainError::conflict(
            "last_admin",
            "a workspace must keep at least one admin",
        )),
        Removal::Changed => Err(DomainError::conflict(
            "concurrent_change",
            "the membership changed while this request ran; retry",
        )),
    }
}

pub async fn list_members<S: WorkspaceStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    page: &PageRequest,
) -> Result<Page<MemberView>, DomainError> {
    require_member(store, workspace_id, caller).await?;
    let page = store.list_memberships(workspace_id, page).await?;
    Ok(page.map(MemberView::from))
}

pub async fn get_sms_settings<S: WorkspaceStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    sender_number: Option<&str>,
) -> Result<SmsSettings, DomainError> {
    require_member(store, workspace_id, caller).await?;
    let workspace = load_workspace(store, workspace_id).await?;
    Ok(SmsSettings {
        enabled: workspace.sms_enabled,
        sender_number: sender_number.map(str::to_owned),
    })
}

/// Turns SMS on or off for the whole workspace. Turning it on needs a provisioned
/// sender number: without one no text could go out, and studies would demand phone
/// numbers for nothing.
pub async fn set_sms_settings<S: WorkspaceStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    enabled: bool,
    sender_number: Option<&str>,
) -> Result<SmsSettings, DomainError> {
    require_admin(store, workspace_id, caller).await?;
    if enabled && sender_number.is_none() {
        return Err(DomainError::conflict(
            "sender_number_missing",
            "SMS cannot be enabled before a sender number is provisioned",
        ));
    }
    store.set_sms_enabled(workspace_id, enabled).await?;
    Ok(SmsSettings {
        enabled,
        sender_number: sender_number.map(str::to_owned),
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MessagingSettingsView {
    pub require_phone_verification: bool,
}

pub async fn get_messaging_settings<S: WorkspaceStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
) -> Result<MessagingSettingsView, DomainError> {
    require_member(store, workspace_id, caller).await?;
    let workspace = load_workspace(store, workspace_id).await?;
    Ok(MessagingSettingsView {
        require_phone_verification: workspace.require_phone_verification,
    })
}

/// Whether participants must verify a phone by SMS code before accepting a
/// conversation with this workspace's study teams. Admins only.
pub async fn set_messaging_settings<S: WorkspaceStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    require_phone_verification: bool,
) -> Result<MessagingSettingsView, DomainError> {
    require_admin(store, workspace_id, caller).await?;
    store
        .set_require_phone_verification(workspace_id, require_phone_verification)
        .await?;
    Ok(MessagingSettingsView {
        require_phone_verification,
    })
}
