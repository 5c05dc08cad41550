//! The phone partition, `PHONE#<e164>`, the one place its keys and conditions are
//! spelled:
//! - `OPTOUT`: the platform-wide opt-out (`opted_out`, `last_event_at` = the inbound
//!   time of the message that decided it, `changed_by` = the message that last
//!   flipped it);
//! - `CONSENT#<ws>`: the workspace's current consent state for the number;
//! - `HELD#<ws>`: the workspace holds the number on a participant (staff entered it),
//!   with or without consent;
//! - `AUTOREPLY#<day>` / `AUTOREPLY#<day>#HOWTOSTOP`: the day's automatic answers.
use crate::domain::phone::Phone;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::codec::{b, get_enum, get_opt_s, s};
use super::condition::Condition;
use super::query::KeyQuery;
use super::transact;
use super::{DynamoStore, Item};
use crate::adapters::dynamodb::update::ItemUpdate;
use crate::domain::consent::ConsentState;
use crate::domain::sms::sortable;
use crate::ports::{AutoReply, OptOutChange, PhoneRecordStore, StoreError};

pub(super) fn pk(phone: &str) -> String {
    format!("PHONE#{phone}")
}

const OPTOUT_SK: &str = "OPTOUT";

fn consent_sk(workspace_id: &str) -> String {
    format!("CONSENT#{workspace_id}")
}

fn held_sk(workspace_id: &str) -> String {
    format!("HELD#{workspace_id}")
}

pub(super) fn auto_reply_sk(day: &str, kind: AutoReply) -> String {
    match kind {
        AutoReply::NoReplies => format!("AUTOREPLY#{day}"),
        AutoReply::HowToStop => format!("AUTOREPLY#{day}#HOWTOSTOP"),
    }
}

impl DynamoStore {
    /// Holds only while the number has not opted out (by keyword or carrier).
    pub(super) fn not_opted_out_check(&self, phone: &str) -> Result<TransactWriteItem, StoreError> {
        let not_opted_out = Condition::new("attribute_not_exists(pk) OR opted_out = :no")
            .value(":no", AttributeValue::Bool(false));
        transact::check(
            &self.table,
            (pk(phone), OPTOUT_SK.to_owned()),
            not_opted_out,
        )
    }

    /// Holds only while the workspace's consent for the number is granted.
    pub(super) fn consent_granted_check(
        &self,
        phone: &Phone,
        workspace_id: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let granted = Condition::new("#state = :granted")
            .name("#state", "state")
            .value(":granted", s(ConsentState::Granted.as_str()));
        transact::check(&self.table, (pk(phone), consent_sk(workspace_id)), granted)
    }

    /// Writes the workspace's consent state for the number.
    pub(super) fn consent_state_put(
        &self,
        phone: &Phone,
        workspace_id: &str,
        state: ConsentState,
        at: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let item = Item::from([
            ("pk".to_owned(), s(pk(phone))),
            ("sk".to_owned(), s(consent_sk(workspace_id))),
            ("entity".to_owned(), s("consent_state")),
            ("workspace_id".to_owned(), s(workspace_id)),
            ("phone".to_owned(), s(phone)),
            ("state".to_owned(), s(state.as_str())),
            ("updated_at".to_owned(), s(at)),
        ]);
        transact::put(&self.table, item, None)
    }

    /// Notes that the workspace holds the number (on a participant).
    pub(super) fn held_put(
        &self,
        phone: &Phone,
        workspace_id: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let item = Item::from([
            ("pk".to_owned(), s(pk(phone))),
            ("sk".to_owned(), s(held_sk(workspace_id))),
            ("entity".to_owned(), s("phone_held")),
            ("workspace_id".to_owned(), s(workspace_id)),
        ]);
        transact::put(&self.table, item, None)
    }

    pub(super) async fn consent_state_of(
        &self,
        phone: &Phone,
        workspace_id: &str,
    ) -> Result<ConsentState, StoreError> {
        match self.get(&pk(phone), &consent_sk(workspace_id)).await? {
            None => Ok(ConsentState::None),
            Some(item) => get_enum(&item, "state", ConsentState::parse),
        }
    }

    pub(super) async fn opted_out(&self, phone: &str) -> Result<bool, StoreError> {
        let item = self.get(&pk(phone), OPTOUT_SK).await?;
        Ok(item.as_ref().is_some_and(opted_out_in))
    }

    /// Every workspace whose consent for the number is granted, page by page.
    pub(super) async fn granted_workspaces(&self, phone: &str) -> Result<Vec<String>, StoreError> {
        let query = KeyQuery::main(pk(phone)).prefix("CONSENT#").consistent();
        let items = self.query_all(&query).await?;
        Ok(items
            .iter()
            .filter(|item| {
                get_opt_s(item, "state").as_deref() == Some(ConsentState::Granted.as_str())
            })
            .filter_map(|item| get_opt_s(item, "workspace_id"))
            .collect())
    }

    /// Moves the platform-wide opt-out to `opted_out` for the message `message_id`
    /// sent at `at`, unless a later message already decided. Changes the state only
    /// when it differs; a message that finds it already so moves only the ordering
    /// mark, so an older message handled later still loses to it.
    pub(super) async fn move_opt_out(
        &self,
        phone: &Phone,
        opted_out: bool,
        at: DateTime<Utc>,
        message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<OptOutChange, StoreError> {
        let (at, now) = (sortable(at), sortable(now));
        let later_decided = "(attribute_not_exists(last_event_at) OR last_event_at <= :at)";
        // Absent means "not opted out".
        let differs = if opted_out {
            "(attribute_not_exists(opted_out) OR opted_out = :other)"
        } else {
            "opted_out = :other"
        };
        let same = if opted_out {
            "opted_out = :value"
        } else {
            "(attribute_not_exists(opted_out) OR opted_out = :value)"
        };
        for _ in 0..3 {
            let flip = ItemUpdate::new(pk(phone), OPTOUT_SK, "SET entity = :entity, opted_out = :value, last_event_at = :at, inbound_id = :id, recorded_at = :now, changed_by = :id")
                .condition(format!("{differs} AND {later_decided}"))
                .value(":entity", s("opt_out"))
                .value(":value", b(opted_out))
                .value(":other", b(!opted_out))
                .value(":at", s(&at))
                .value(":id", s(message_id))
                .value(":now", s(&now));
            if self.update(flip).await? {
                return Ok(OptOutChange::Changed);
            }
            let current = self.get(&pk(phone), OPTOUT_SK).await?;
            let current = current.as_ref();
            // This message's own flip, applied by an earlier attempt.
            if current.and_then(|i| get_opt_s(i, "changed_by")).as_deref() == Some(message_id) {
                return Ok(OptOutChange::Changed);
            }
            let decided_at = current.and_then(|i| get_opt_s(i, "last_event_at"));
            if decided_at.is_some_and(|d| d > at) {
                return Ok(OptOutChange::Stale);
            }
            let mark = ItemUpdate::new(pk(phone), OPTOUT_SK, "SET entity = :entity, opted_out = :value, last_event_at = :at, inbound_id = :id, recorded_at = :now")
                .condition(format!("{same} AND {later_decided}"))
                .value(":entity", s("opt_out"))
                .value(":value", b(opted_out))
                .value(":at", s(&at))
                .value(":id", s(message_id))
                .value(":now", s(&now));
            if self.update(mark).await? {
                return Ok(OptOutChange::Unchanged);
            }
            // Another message moved it in between: read again.
        }
        Err(StoreError::Unavailable(
            "UpdateItem: the opt-out kept changing under this message".into(),
        ))
    }
}

impl PhoneRecordStore for DynamoStore {
    async fn holds_phone(&self, workspace_id: &str, phone: &Phone) -> Result<bool, StoreError> {
        Ok(self
            .get(&pk(phone), &held_sk(workspace_id))
            .await?
            .is_some())
    }
}

fn opted_out_in(item: &Item) -> bool {
    item.get("opted_out")
        .and_then(|v| v.as_bool().ok())
        .copied()
        .unwrap_or(false)
}
