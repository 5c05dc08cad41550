//! The watch of every open claim (`SENDING#<yyyy-mm-dd>/<claimed at>#<intent id>`): the
//! stale-claim sweep reads its window with one `Query`.
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::super::transact;
use crate::adapters::dynamodb::codec::{get_enum, get_s, get_time, n, s};
use crate::adapters::dynamodb::{DynamoStore, Item};
use crate::domain::sms::{sortable, Claim, ClaimWatch, SmsIntent, SmsKind};
use crate::ports::StoreError;

/// How long a claim's watch is kept at most: a safety net, the sweep removes it long
/// before (or finds it within its look-back).
const WATCH_KEEP_DAYS: i64 = 7;

pub(super) fn watch_pk(day: &str) -> String {
    format!("SENDING#{day}")
}

/// The watch's key: the UTC day of the claim, then the claim time and the intent, so a
/// query of `sk BETWEEN <since> AND <cutoff>` finds the claims taken in that window.
pub(super) fn watch_key(intent_id: &str, claim: &Claim) -> (String, String) {
    (
        watch_pk(&claim.claimed_at.format("%Y-%m-%d").to_string()),
        format!("{}#{intent_id}", sortable(claim.claimed_at)),
    )
}

fn watch_item(intent: &SmsIntent, claim: &Claim) -> Item {
    let (pk, sk) = watch_key(&intent.id, claim);
    Item::from([
        ("pk".to_owned(), s(pk)),
        ("sk".to_owned(), s(sk)),
        ("entity".to_owned(), s("sms_claim_watch")),
        ("booking_id".to_owned(), s(&intent.booking_id)),
        ("intent_id".to_owned(), s(&intent.id)),
        ("kind".to_owned(), s(intent.kind.as_str())),
        ("claim_token".to_owned(), s(&claim.token)),
        ("claimed_at".to_owned(), s(sortable(claim.claimed_at))),
        (
            "expires_at".to_owned(),
            n((claim.claimed_at + chrono::Duration::days(WATCH_KEEP_DAYS)).timestamp()),
        ),
    ])
}

pub(super) fn watch_from(item: &Item) -> Result<ClaimWatch, StoreError> {
    Ok(ClaimWatch {
        booking_id: get_s(item, "booking_id")?,
        intent_id: get_s(item, "intent_id")?,
        kind: get_enum(item, "kind", SmsKind::parse)?,
        claim: Claim {
            token: get_s(item, "claim_token")?,
            claimed_at: get_time(item, "claimed_at")?,
        },
    })
}

impl DynamoStore {
    pub(super) fn watch_put(
        &self,
        intent: &SmsIntent,
        claim: &Claim,
    ) -> Result<TransactWriteItem, StoreError> {
        transact::put(&self.table, watch_item(intent, claim), None)
    }

    pub(super) fn watch_delete(
        &self,
        intent_id: &str,
        claim: &Claim,
    ) -> Result<TransactWriteItem, StoreError> {
        transact::delete(&self.table, watch_key(intent_id, claim), None)
    }
}
