//! Study `STUDY#<id>/META`, its share link `SHARE#<token>/SHARE`, and its team
//! `STUDY#<id>/TEAM#<user>` (GSI1 by user).
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::codec::{b, get_s, n, s, stored, stored_item};
use super::condition::Condition;
use super::query::KeyQuery;
use super::transact;
use super::workspaces::{member_sk, workspace_pk, META};
use super::{DynamoStore, Item};
use crate::adapters::dynamodb::update::ItemUpdate;
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::studies::{Study, TeamMember, TeamRole};
use crate::ports::{IdempotencyRecord, StoreError, StudyStore};

pub(super) const TEAM_PREFIX: &str = "TEAM#";
const SHARE_SK: &str = "SHARE";

pub(super) fn study_pk(study_id: &str) -> String {
    format!("STUDY#{study_id}")
}

pub(super) fn team_sk(user_id: &str) -> String {
    format!("{TEAM_PREFIX}{user_id}")
}

/// The studies of a workspace whose team the user is on: `gsi1` `USER#<user>` /
/// `TEAM#<ws>#<sid>` (the user's memberships are `WS#<ws>` there).
pub(super) fn user_studies_prefix(workspace_id: &str) -> String {
    format!("TEAM#{workspace_id}#")
}

pub(super) fn user_gsi(user_id: &str) -> String {
    format!("USER#{user_id}")
}

stored! {
    TeamMember { study_id, user_id, role, external_panel }
}

fn team_item(m: &TeamMember, workspace_id: &str) -> Item {
    let by_user = format!("{}{}", user_studies_prefix(workspace_id), m.study_id);
    stored_item(
        (study_pk(&m.study_id), team_sk(&m.user_id)),
        m,
        [
            ("entity", s("team_member")),
            ("gsi1pk", s(user_gsi(&m.user_id))),
            ("gsi1sk", s(by_user)),
        ],
    )
}

stored! {
    Study {
        id: "study_id", workspace_id, name, kind, recruitment, contact_phone, share_token,
        interview_reminder, created_by, created_at,
    }
}

impl DynamoStore {
    /// The user must (still) be a member of the workspace when the team write commits.
    fn member_check(
        &self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let key = (workspace_pk(workspace_id), member_sk(user_id));
        transact::check(&self.table, key, Condition::present())
    }

    /// Deletes the team entry, on condition it still has the role read.
    pub(super) fn team_delete(&self, m: &TeamMember) -> Result<TransactWriteItem, StoreError> {
        let key = (study_pk(&m.study_id), team_sk(&m.user_id));
        transact::delete(
            &self.table,
            key,
            Some(transact::role_is(":role", m.role.as_str())),
        )
    }

    /// Keeps `owner_count` on the study in step with the team, refusing the change that
    /// would take it to zero.
    pub(super) fn owner_count_change(
        &self,
        study_id: &str,
        delta: i64,
    ) -> Result<TransactWriteItem, StoreError> {
        let key = (study_pk(study_id), META.to_owned());
        let update = ItemUpdate::count_kept_above_zero(key, "owner_count", delta);
        transact::update(&self.table, update)
    }
}

impl StudyStore for DynamoStore {
    async fn create_study(
        &self,
        study: &Study,
        owner: &TeamMember,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let by_time = format!("{}#{}", study.created_at.to_rfc3339(), study.id);
        let meta = stored_item(
            (study_pk(&study.id), META.to_owned()),
            study,
            [
                ("entity", s("study")),
                ("owner_count", n(1)),
                (
                    "gsi1pk",
                    s(format!("{}#STUDIES", workspace_pk(&study.workspace_id))),
                ),
                ("gsi1sk", s(by_time)),
            ],
        );
        let share = Item::from([
            ("pk".to_owned(), s(format!("SHARE#{}", study.share_token))),
            ("sk".to_owned(), s(SHARE_SK)),
            ("entity".to_owned(), s("share_link")),
            ("study_id".to_owned(), s(&study.id)),
            ("workspace_id".to_owned(), s(&study.workspace_id)),
        ]);
        let items = vec![
            transact::put_new(&self.table, meta)?,
            transact::put_new(&self.table, share)?,
            transact::put(&self.table, team_item(owner, &study.workspace_id), None)?,
            self.member_check(&study.workspace_id, &owner.user_id)?,
        ];
        self.transact(items, idempotency).await
    }

    async fn get_study(&self, study_id: &str) -> Result<Option<Study>, StoreError> {
        self.get_as(&study_pk(study_id), META).await
    }

    async fn find_study_by_share_token(
        &self,
        share_token: &str,
    ) -> Result<Option<Study>, StoreError> {
        let Some(link) = self.get(&format!("SHARE#{share_token}"), SHARE_SK).await? else {
            return Ok(None);
        };
        self.get_study(&get_s(&link, "study_id")?).await
    }

    async fn get_team_member(
        &self,
        study_id: &str,
        user_id: &str,
    ) -> Result<Option<TeamMember>, StoreError> {
        self.get_as(&study_pk(study_id), &team_sk(user_id)).await
    }

    async fn put_team_member(
        &self,
        study: &Study,
        member: &TeamMember,
        previous: Option<TeamRole>,
    ) -> Result<(), StoreError> {
        let unchanged = match previous {
            None => Condition::absent(),
            Some(role) => transact::role_is(":previous", role.as_str()),
        };
        let team = team_item(member, &study.workspace_id);
        let mut items = vec![
            transact::put(&self.table, team, Some(unchanged))?,
            self.member_check(&study.workspace_id, &member.user_id)?,
        ];
        let was_owner = previous == Some(TeamRole::Owner);
        let is_owner = member.role == TeamRole::Owner;
        match (was_owner, is_owner) {
            (true, false) => items.push(self.owner_count_change(&study.id, -1)?),
            (false, true) => items.push(self.owner_count_change(&study.id, 1)?),
            _ => {}
        }
        self.transact(items, None).await
    }

    async fn list_team(
        &self,
        study_id: &str,
        page: &PageRequest,
    ) -> Result<Page<TeamMember>, StoreError> {
        let query = KeyQuery::main(study_pk(study_id)).prefix(TEAM_PREFIX);
        self.query_page_as(&query, page).await
    }

    async fn set_interview_reminder(
        &self,
        study_id: &str,
        enabled: bool,
    ) -> Result<(), StoreError> {
        // The study may have gone away since it was read: a state, not an outage.
        let update = ItemUpdate::new(study_pk(study_id), META, "SET interview_reminder = :on")
            .condition("attribute_exists(pk)")
            .value(":on", b(enabled));
        self.update_existing(update).await
    }
}
