//! Workspace `WS#<id>/META` and memberships `WS#<id>/MEMBER#<user>` (GSI1 by user).
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::codec::{b, get_bool, get_enum, get_opt_s, get_s, get_time, n, opt_s, s};
use super::condition::Condition;
use super::query::KeyQuery;
use super::transact;
use super::{DynamoStore, Item};
use crate::adapters::dynamodb::update::ItemUpdate;
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::workspaces::{Membership, Workspace, WorkspaceRole};
use crate::ports::{IdempotencyRecord, StoreError, WorkspaceStore};

pub(super) const META: &str = "META";
const MEMBER_PREFIX: &str = "MEMBER#";

pub(super) fn workspace_pk(workspace_id: &str) -> String {
    format!("WS#{workspace_id}")
}

pub(super) fn member_sk(user_id: &str) -> String {
    format!("{MEMBER_PREFIX}{user_id}")
}

fn membership_item(m: &Membership) -> Item {
    let mut item = Item::from([
        ("pk".to_owned(), s(workspace_pk(&m.workspace_id))),
        ("sk".to_owned(), s(member_sk(&m.user_id))),
        ("entity".to_owned(), s("membership")),
        ("workspace_id".to_owned(), s(&m.workspace_id)),
        ("user_id".to_owned(), s(&m.user_id)),
        ("role".to_owned(), s(m.role.as_str())),
        ("gsi1pk".to_owned(), s(super::studies::user_gsi(&m.user_id))),
        ("gsi1sk".to_owned(), s(workspace_pk(&m.workspace_id))),
    ]);
    opt_s(&mut item, "email", m.email.as_deref());
    item
}

pub(super) fn workspace_from(item: &Item) -> Result<Workspace, StoreError> {
    Ok(Workspace {
        id: get_s(item, "workspace_id")?,
        name: get_s(item, "name")?,
        sms_enabled: get_bool(item, "sms_enabled")?,
        // Absent on workspaces created before the setting existed.
        require_phone_verification: get_bool(item, "require_phone_verification").unwrap_or(false),
        created_by: get_s(item, "created_by")?,
        created_at: get_time(item, "created_at")?,
    })
}

/// The user's workspaces: their memberships on `gsi1` `USER#<user>` / `WS#<ws>`.
pub(super) const USER_WORKSPACES_PREFIX: &str = "WS#";

pub(super) fn membership_from(item: &Item) -> Result<Membership, StoreError> {
    Ok(Membership {
        workspace_id: get_s(item, "workspace_id")?,
        user_id: get_s(item, "user_id")?,
        role: get_enum(item, "role", WorkspaceRole::parse)?,
        email: get_opt_s(item, "email"),
    })
}

impl DynamoStore {
    fn membership_put(
        &self,
        m: &Membership,
        previous: Option<WorkspaceRole>,
    ) -> Result<TransactWriteItem, StoreError> {
        let unchanged = match previous {
            None => Condition::absent(),
            Some(role) => transact::role_is(":previous", role.as_str()),
        };
        transact::put(&self.table, membership_item(m), Some(unchanged))
    }

    /// Keeps `admin_count` on the workspace in step with the memberships, refusing the
    /// change that would take it to zero.
    pub(super) fn admin_count_change(
        &self,
        workspace_id: &str,
        delta: i64,
    ) -> Result<TransactWriteItem, StoreError> {
        let (expression, condition) = if delta < 0 {
            ("SET admin_count = admin_count - :one", "admin_count > :one")
        } else {
            (
                "SET admin_count = admin_count + :one",
                "attribute_exists(pk)",
            )
        };
        let update = ItemUpdate::new(workspace_pk(workspace_id), META, expression)
            .condition(condition)
            .value(":one", n(1));
        transact::update(&self.table, update)
    }

    /// Deletes the membership, on condition it still has the role read.
    pub(super) fn membership_delete(
        &self,
        m: &Membership,
    ) -> Result<TransactWriteItem, StoreError> {
        let key = (workspace_pk(&m.workspace_id), member_sk(&m.user_id));
        let unchanged = transact::role_is(":role", m.role.as_str());
        transact::delete(&self.table, key, Some(unchanged))
    }

    fn workspace_exists_check(&self, workspace_id: &str) -> Result<TransactWriteItem, StoreError> {
        let key = (workspace_pk(workspace_id), META.to_owned());
        transact::check(&self.table, key, Condition::present())
    }
}

impl WorkspaceStore for DynamoStore {
    async fn create_workspace(
        &self,
        workspace: &Workspace,
        admin: &Membership,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let meta = Item::from([
            ("pk".to_owned(), s(workspace_pk(&workspace.id))),
            ("sk".to_owned(), s(META)),
            ("entity".to_owned(), s("workspace")),
            ("workspace_id".to_owned(), s(&workspace.id)),
            ("name".to_owned(), s(&workspace.name)),
            ("sms_enabled".to_owned(), b(workspace.sms_enabled)),
            (
                "require_phone_verification".to_owned(),
                b(workspace.require_phone_verification),
            ),
            ("admin_count".to_owned(), n(1)),
            ("created_by".to_owned(), s(&workspace.created_by)),
            (
                "created_at".to_owned(),
                s(workspace.created_at.to_rfc3339()),
            ),
        ]);
        let items = vec![
            transact::put_new(&self.table, meta)?,
            self.membership_put(admin, None)?,
        ];
        self.transact(items, idempotency).await
    }

    async fn get_workspace(&self, workspace_id: &str) -> Result<Option<Workspace>, StoreError> {
        self.get_as(&workspace_pk(workspace_id), META, workspace_from)
            .await
    }

    async fn get_membership(
        &self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<Membership>, StoreError> {
        self.get_as(
            &workspace_pk(workspace_id),
            &member_sk(user_id),
            membership_from,
        )
        .await
    }

    async fn put_membership(
        &self,
        membership: &Membership,
        previous: Option<WorkspaceRole>,
    ) -> Result<(), StoreError> {
        let was_admin = previous == Some(WorkspaceRole::Admin);
        let is_admin = membership.role == WorkspaceRole::Admin;
        let mut items = vec![self.membership_put(membership, previous)?];
        items.push(match (was_admin, is_admin) {
            (true, false) => self.admin_count_change(&membership.workspace_id, -1)?,
            (false, true) => self.admin_count_change(&membership.workspace_id, 1)?,
            _ => self.workspace_exists_check(&membership.workspace_id)?,
        });
        self.transact(items, None).await
    }

    async fn list_memberships(
        &self,
        workspace_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Membership>, StoreError> {
        let query = KeyQuery::main(workspace_pk(workspace_id)).prefix(MEMBER_PREFIX);
        self.query_page_as(&query, page, membership_from).await
    }

    async fn set_sms_enabled(&self, workspace_id: &str, enabled: bool) -> Result<(), StoreError> {
        let update = ItemUpdate::new(
            workspace_pk(workspace_id),
            META,
            "SET sms_enabled = :enabled",
        )
        .condition("attribute_exists(pk)")
        .value(":enabled", b(enabled));
        self.update_existing(update).await
    }

    async fn set_require_phone_verification(
        &self,
        workspace_id: &str,
        required: bool,
    ) -> Result<(), StoreError> {
        let update = ItemUpdate::new(
            workspace_pk(workspace_id),
            META,
            "SET require_phone_verification = :required",
        )
        .condition("attribute_exists(pk)")
        .value(":required", b(required));
        self.update_existing(update).await
    }
}
