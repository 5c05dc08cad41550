//! Phone verification items (docs/dynamodb.md), under the user:
//! - pending code `USER#<sub>` / `PHONE_CODE` (hash only; TTL removes it a day after
//!   it expires, the expiry itself is checked on read);
//! - verified phone `USER#<sub>` / `PHONE`.
use chrono::{DateTime, Utc};

use super::codec::{n, s, stored, stored_item};
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

stored! {
    PendingCode {
        user_id, phone, code_hash, expires_at: "code_expires_at", attempts, last_sent_at,
    }
}

stored! {
    VerifiedPhone { user_id, phone, verified_at }
}

fn code_item(c: &PendingCode) -> Item {
    stored_item(
        (user_pk(&c.user_id), CODE_SK.to_owned()),
        c,
        [
            ("entity", s("phone_code")),
            // The table's TTL attribute: gone a day after expiry.
            ("expires_at", n(c.expires_at.timestamp() + 24 * 60 * 60)),
        ],
    )
}

impl PhoneVerificationStore for DynamoStore {
    async fn pending_code(&self, user_id: &str) -> Result<Option<PendingCode>, StoreError> {
        self.get_as(&user_pk(user_id), CODE_SK).await
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
        let verified = stored_item(
            (user_pk(&verified.user_id), PHONE_SK.to_owned()),
            verified,
            [("entity", s("verified_phone"))],
        );
        let put = transact::put(&self.table, verified, None)?;
        self.transact(vec![delete, put], None).await
    }

    async fn verified_phone(&self, user_id: &str) -> Result<Option<VerifiedPhone>, StoreError> {
        self.get_as(&user_pk(user_id), PHONE_SK).await
    }
}
