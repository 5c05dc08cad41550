//! Workspace `WS#<id>/META` and memberships `WS#<id>/MEMBER#<user>` (GSI1 by user).
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::codec::{b, get_bool, n, s, stored, stored_item};
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

stored! {
    Membership { workspace_id, user_id, role, email }
}

fn membership_item(m: &Membership) -> Item {
    stored_item(
        (workspace_pk(&m.workspace_id), member_sk(&m.user_id)),
        m,
        [
            ("entity", s("membership")),
            ("gsi1pk", s(super::studies::user_gsi(&m.user_id))),
            ("gsi1sk", s(workspace_pk(&m.workspace_id))),
        ],
    )
}

stored! {
    Workspace {
        id: "workspace_id", name, sms_enabled, created_by, created_at;
        // Absent on workspaces created before the setting existed.
        require_phone_verification = |item| Ok(get_bool(item, "require_phone_verification").unwrap_or(false)),
    }
}

/// The user's workspaces: their memberships on `gsi1` `USER#<user>` / `WS#<ws>`.
pub(super) const USER_WORKSPACES_PREFIX: &str = "WS#";

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
        let key = (workspace_pk(workspace_id), META.to_owned());
        let update = ItemUpdate::count_kept_above_zero(key, "admin_count", delta);
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
        let meta = stored_item(
            (workspace_pk(&workspace.id), META.to_owned()),
            workspace,
            [
                ("entity", s("workspace")),
                (
                    "require_phone_verification",
                    b(workspace.require_phone_verification),
                ),
                ("admin_count", n(1)),
            ],
        );
        let items = vec![
            transact::put_new(&self.table, meta)?,
            self.membership_put(admin, None)?,
        ];
        self.transact(items, idempotency).await
    }

    async fn get_workspace(&self, workspace_id: &str) -> Result<Option<Workspace>, StoreError> {
        self.get_as(&workspace_pk(workspace_id), META).await
    }

    async fn get_membership(
        &self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<Membership>, StoreError> {
        self.get_as(&workspace_pk(workspace_id), &member_sk(user_id))
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
        self.query_page_as(&query, page).await
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
