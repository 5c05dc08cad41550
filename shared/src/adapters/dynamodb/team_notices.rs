//! What telling the team about replies reads and writes (docs/dynamodb.md):
//! - the team (`STUDY#<sid>/TEAM#…`, every page), their workspace memberships (for the
//!   email) and settings, by `BatchGetItem`;
//! - a member's settings `USER#<sub>` / `NOTIFY_SETTINGS` (`reply_emails`);
//! - a member's reply-email claim per thread `USER#<sub>` / `REPLYMAIL#<thread>`
//!   (`claimed_at`, epoch seconds), put on condition that none was claimed in the quiet
//!   period; TTL an hour after the quiet period.
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use super::codec::{b, get_bool, get_s, n, s, Stored};
use super::condition::Condition;
use super::query::KeyQuery;
use super::studies::{study_pk, TEAM_PREFIX};
use super::workspaces::{member_sk, workspace_pk};
use super::{DynamoStore, Item};
use crate::domain::messaging::team_notice::{NotificationSettings, Recipient};
use crate::domain::studies::TeamMember;
use crate::domain::workspaces::Membership;
use crate::ports::{StoreError, TeamNoticeStore};

const SETTINGS_SK: &str = "NOTIFY_SETTINGS";

fn user_pk(user_id: &str) -> String {
    format!("USER#{user_id}")
}

fn claim_sk(thread: &str) -> String {
    format!("REPLYMAIL#{thread}")
}

impl TeamNoticeStore for DynamoStore {
    async fn reply_recipients(
        &self,
        study_id: &str,
        workspace_id: &str,
        panel_only: bool,
    ) -> Result<Vec<Recipient>, StoreError> {
        let team = self
            .query_all(
                &KeyQuery::main(study_pk(study_id))
                    .prefix(TEAM_PREFIX)
                    .consistent(),
            )
            .await?
            .iter()
            .map(TeamMember::read_from)
            .collect::<Result<Vec<_>, _>>()?;
        let team: Vec<_> = team
            .into_iter()
            .filter(|m| !panel_only || m.external_panel)
            .collect();
        let mut keys: Vec<(String, String)> = Vec::with_capacity(team.len() * 2);
        for member in &team {
            keys.push((workspace_pk(workspace_id), member_sk(&member.user_id)));
            keys.push((user_pk(&member.user_id), SETTINGS_SK.to_owned()));
        }
        let mut emails: HashMap<String, Option<String>> = HashMap::new();
        let mut reply_emails: HashMap<String, bool> = HashMap::new();
        for item in self.batch_get(&keys).await?.into_iter().flatten() {
            if get_s(&item, "sk")? == SETTINGS_SK {
                reply_emails.insert(get_s(&item, "user_id")?, get_bool(&item, "reply_emails")?);
            } else {
                let membership = Membership::read_from(&item)?;
                emails.insert(membership.user_id, membership.email);
            }
        }
        Ok(team
            .into_iter()
            .map(|m| Recipient {
                email: emails.get(&m.user_id).cloned().flatten(),
                reply_emails: reply_emails
                    .get(&m.user_id)
                    .copied()
                    .unwrap_or(NotificationSettings::default().reply_emails),
                user_id: m.user_id,
            })
            .collect())
    }

    async fn claim_reply_email(
        &self,
        user_id: &str,
        thread: &str,
        now: DateTime<Utc>,
        quiet_seconds: i64,
    ) -> Result<bool, StoreError> {
        let at = now.timestamp();
        let claim = Item::from([
            ("pk".to_owned(), s(user_pk(user_id))),
            ("sk".to_owned(), s(claim_sk(thread))),
            ("entity".to_owned(), s("reply_email_claim")),
            ("claimed_at".to_owned(), n(at)),
            ("expires_at".to_owned(), n(at + quiet_seconds + 3600)),
        ]);
        let free = Condition::new("attribute_not_exists(pk) OR claimed_at <= :cutoff")
            .value(":cutoff", n(at - quiet_seconds));
        self.put_if(claim, Some(free)).await
    }

    async fn release_reply_email(
        &self,
        user_id: &str,
        thread: &str,
        claimed_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let ours = Condition::new("claimed_at = :at").value(":at", n(claimed_at.timestamp()));
        // Refused: claimed again since, and that claim is someone else's to keep.
        self.delete_if((user_pk(user_id), claim_sk(thread)), Some(ours))
            .await
            .map(|_| ())
    }

    async fn notification_settings(
        &self,
        user_id: &str,
    ) -> Result<NotificationSettings, StoreError> {
        Ok(match self.get(&user_pk(user_id), SETTINGS_SK).await? {
            Some(item) => NotificationSettings {
                reply_emails: get_bool(&item, "reply_emails")?,
            },
            None => NotificationSettings::default(),
        })
    }

    async fn put_notification_settings(
        &self,
        user_id: &str,
        settings: &NotificationSettings,
    ) -> Result<(), StoreError> {
        let item = Item::from([
            ("pk".to_owned(), s(user_pk(user_id))),
            ("sk".to_owned(), s(SETTINGS_SK)),
            ("entity".to_owned(), s("notification_settings")),
            ("user_id".to_owned(), s(user_id)),
            ("reply_emails".to_owned(), b(settings.reply_emails)),
        ]);
        self.put_if(item, None).await.map(|_| ())
    }
}
