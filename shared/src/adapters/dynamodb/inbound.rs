//! Inbound-message bookkeeping (`INBOUND#<id>/DONE` and `/REPLY`, kept 30 days); the
//! opt-out, consent and daily auto-reply items it moves live in the phone partition
//! (`phone.rs`).
use crate::domain::phone::Phone;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, Utc};

use super::codec::{get_opt_s, n, s};
use super::condition::Condition;
use super::{phone, DynamoStore, Item};
use crate::ports::{AutoReply, InboundStore, OptOutChange, StoreError};

const KEEP_DAYS: i64 = 30;

fn inbound_pk(id: &str) -> String {
    format!("INBOUND#{id}")
}

impl DynamoStore {
    /// Puts an item unless it exists; true if this call created it. The item carries a
    /// token of this call, so when the SDK retries a put whose answer was lost (the
    /// write happened) and the retry fails the condition, the item read back is
    /// recognised as this call's own: the caller does not take its own claim for
    /// someone else's and skip the work it claimed.
    async fn put_once(&self, mut item: Item) -> Result<bool, StoreError> {
        let token = uuid::Uuid::new_v4().to_string();
        item.insert("put_token".to_owned(), s(&token));
        let (pk, sk) = (item.get("pk").cloned(), item.get("sk").cloned());
        if self.put_if(item, Some(Condition::absent())).await? {
            return Ok(true);
        }
        let key =
            |v: Option<AttributeValue>| v.and_then(|v| v.as_s().ok().cloned()).unwrap_or_default();
        let existing = self.get(&key(pk), &key(sk)).await?;
        Ok(existing
            .as_ref()
            .and_then(|item| get_opt_s(item, "put_token"))
            .is_some_and(|t| t == token))
    }
}

fn marker(pk: String, sk: &str, expires_at: DateTime<Utc>) -> Item {
    Item::from([
        ("pk".to_owned(), s(pk)),
        ("sk".to_owned(), s(sk)),
        ("expires_at".to_owned(), n(expires_at.timestamp())),
    ])
}

impl InboundStore for DynamoStore {
    async fn inbound_done(&self, inbound_id: &str) -> Result<bool, StoreError> {
        Ok(self.get(&inbound_pk(inbound_id), "DONE").await?.is_some())
    }

    async fn mark_inbound_done(
        &self,
        inbound_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.put_once(marker(
            inbound_pk(inbound_id),
            "DONE",
            now + Duration::days(KEEP_DAYS),
        ))
        .await
        .map(|_| ())
    }

    async fn set_opted_out(
        &self,
        phone: &Phone,
        opted_out: bool,
        at: DateTime<Utc>,
        inbound_id: &str,
        now: DateTime<Utc>,
    ) -> Result<OptOutChange, StoreError> {
        self.move_opt_out(phone, opted_out, at, inbound_id, now)
            .await
    }

    async fn consenting_workspaces(&self, phone: &Phone) -> Result<Vec<String>, StoreError> {
        self.granted_workspaces(phone).await
    }

    async fn claim_reply(&self, inbound_id: &str) -> Result<bool, StoreError> {
        let expires = Utc::now() + Duration::days(KEEP_DAYS);
        self.put_once(marker(inbound_pk(inbound_id), "REPLY", expires))
            .await
    }

    async fn claim_daily_auto_reply(
        &self,
        phone: &Phone,
        day: &str,
        kind: AutoReply,
    ) -> Result<bool, StoreError> {
        let expires = Utc::now() + Duration::days(3);
        self.put_once(marker(
            phone::pk(phone),
            &phone::auto_reply_sk(day, kind),
            expires,
        ))
        .await
    }
}
