//! What telling the study team about replies needs (`domain::messaging::team_notice`).
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::messaging::team_notice::{NotificationSettings, Recipient};

pub trait TeamNoticeStore {
    /// The study's team members a reply notifies (with `panel_only`, those with the
    /// panel permission), each with their workspace email and reply-email setting.
    async fn reply_recipients(
        &self,
        study_id: &str,
        workspace_id: &str,
        panel_only: bool,
    ) -> Result<Vec<Recipient>, StoreError>;
    /// Claims the member's reply email for the thread: false when one was claimed in
    /// the last `quiet_seconds`.
    async fn claim_reply_email(
        &self,
        user_id: &str,
        thread: &str,
        now: DateTime<Utc>,
        quiet_seconds: i64,
    ) -> Result<bool, StoreError>;
    /// Gives back a claim whose email surely did not go out.
    async fn release_reply_email(
        &self,
        user_id: &str,
        thread: &str,
        claimed_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn notification_settings(
        &self,
        user_id: &str,
    ) -> Result<NotificationSettings, StoreError>;
    async fn put_notification_settings(
        &self,
        user_id: &str,
        settings: &NotificationSettings,
    ) -> Result<(), StoreError>;
}
