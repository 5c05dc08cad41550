//! Phone verification items (docs/dynamodb.md), under the user:
//! - pending code `USER#<sub>` / `PHONE_CODE` (hash only; TTL removes it a day after
//!   it expires, the expiry itself is checked on read);
//! - verified phone `USER#<sub>` / `PHONE`.
use chrono::{DateTime, Utc};

use super::codec::{get_i64, get_phone, get_s, get_time, n, s};
use super::condition::Condition;
use super::transact;
use super::{DynamoStore, Item};
use crate::adapters::dynamodb::update::ItemUpdate;
use crate::domain::phone_verification::{PendingCode, VerifiedPhone, MAX_ATTEMPTS};
use crate::ports::{PhoneVerificationStore, StoreError};

const CODE_SK: &str = "PHONE_CODE";
const PHONE_SK: &str = "PHONE";

fn user_pk(user_id: &str) -> String {
    format!("USER#{user_id}")
}

fn code_item(c: &PendingCode) -> Item {
    Item::from([
        ("pk".to_owned(), s(user_pk(&c.user_id))),
        ("sk".to_owned(), s(CODE_SK)),
        ("entity".to_owned(), s("phone_code")),
        ("user_id".to_owned(), s(&c.user_id)),
        ("phone".to_owned(), s(&c.phone)),
        ("code_hash".to_owned(), s(&c.code_hash)),
        ("code_expires_at".to_owned(), s(c.expires_at.to_rfc3339())),
        ("attempts".to_owned(), n(c.attempts)),
        ("last_sent_at".to_owned(), s(c.last_sent_at.to_rfc3339())),
        // The table's TTL attribute: gone a day after expiry.
        (
            "expires_at".to_owned(),
            n(c.expires_at.timestamp() + 24 * 60 * 60),
        ),
    ])
}

fn code_from(item: &Item) -> Result<PendingCode, StoreError> {
    Ok(PendingCode {
        user_id: get_s(item, "user_id")?,
        phone: get_phone(item, "phone")?,
        code_hash: get_s(item, "code_hash")?,
        expires_at: get_time(item, "code_expires_at")?,
        attempts: get_i64(item, "attempts")?,
        last_sent_at: get_time(item, "last_sent_at")?,
    })
}

impl PhoneVerificationStore for DynamoStore {
    async fn pending_code(&self, user_id: &str) -> Result<Option<PendingCode>, StoreError> {
        self.get_as(&user_pk(user_id), CODE_SK, code_from).await
    }

    async fn save_code(
        &self,
        code: &PendingCode,
        previous_sent_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let condition = match previous_sent_at {
            None => Condition::absent(),
            Some(at) => {
                Condition::new("last_sent_at = :previous").value(":previous", s(at.to_rfc3339()))
            }
        };
        let put = transact::put(&self.table, code_item(code), Some(condition))?;
        self.transact(vec![put], None).await
    }

    async fn count_failed_attempt(&self, code: &PendingCode) -> Result<(), StoreError> {
        let update = ItemUpdate::new(user_pk(&code.user_id), CODE_SK, "ADD attempts :one")
            .condition("code_hash = :hash AND attempts < :max")
            .value(":one", n(1))
            .value(":hash", s(&code.code_hash))
            .value(":max", n(MAX_ATTEMPTS));
        self.update_existing(update).await
    }

    async fn complete_verification(
        &self,
        code: &PendingCode,
        verified: &VerifiedPhone,
    ) -> Result<(), StoreError> {
        let unspent = Condition::new("code_hash = :hash AND attempts < :max")
            .value(":hash", s(&code.code_hash))
            .value(":max", n(MAX_ATTEMPTS));
        let key = (user_pk(&code.user_id), CODE_SK.to_owned());
        let delete = transact::delete(&self.table, key, Some(unspent))?;
        let put = transact::put(
            &self.table,
            Item::from([
                ("pk".to_owned(), s(user_pk(&verified.user_id))),
                ("sk".to_owned(), s(PHONE_SK)),
                ("entity".to_owned(), s("verified_phone")),
                ("user_id".to_owned(), s(&verified.user_id)),
                ("phone".to_owned(), s(&verified.phone)),
                (
                    "verified_at".to_owned(),
                    s(verified.verified_at.to_rfc3339()),
                ),
            ]),
            None,
        )?;
        self.transact(vec![delete, put], None).await
    }

    async fn verified_phone(&self, user_id: &str) -> Result<Option<VerifiedPhone>, StoreError> {
        let Some(item) = self.get(&user_pk(user_id), PHONE_SK).await? else {
            return Ok(None);
        };
        Ok(Some(VerifiedPhone {
            user_id: get_s(&item, "user_id")?,
            phone: get_phone(&item, "phone")?,
            verified_at: get_time(&item, "verified_at")?,
        }))
    }
}
