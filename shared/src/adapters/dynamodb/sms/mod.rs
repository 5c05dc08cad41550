//! SMS intents filed under their due day and minute
//! (`DISPATCH#<yyyy-mm-dd>/<yyyy-mm-ddTHH:MM>#<intent id>`: the dispatcher reads its
//! window of minutes with one `Query`, never scans), the claim transaction that makes a
//! send happen at most once, each booking's delivery log
//! (`BOOKING#<bid>/SMS#<intent id>`), and the watch of every open claim
//! (`SENDING#<yyyy-mm-dd>/<claimed at>#<intent id>`: the stale-claim sweep reads its
//! window with one `Query`, never scans), and each sent text's message-id lookup
//! (`SMSMSG#<message id>/META` → its log entry: the carrier's events are matched with
//! one `GetItem`, never a scan).
//!
//! Here: the intents, the log entries and the two ports; [`watch`] the claim watches,
//! [`carrier`] the message-id lookups and the carrier's outcomes.
mod carrier;
mod log;
mod watch;

use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::condition::Condition;
use super::transact;
use super::update::ItemUpdate;
use crate::adapters::dynamodb::bookings::booking_pk;
use crate::adapters::dynamodb::codec::{
    get_i64, get_opt_s, get_time, n, s, stored, stored_item, Stored,
};
use crate::adapters::dynamodb::query::{KeyQuery, SortKey};
use crate::adapters::dynamodb::studies::study_pk;
use crate::adapters::dynamodb::workspaces::workspace_pk;
use crate::adapters::dynamodb::{DynamoStore, Item, TransactError};
use crate::domain::sms::{
    minute_bucket, sortable, Claim, ClaimWatch, SendRecord, SmsIntent, SmsLogEntry, SmsStatus,
    Suppression,
};
use crate::ports::{ClaimResult, SendGuard, SmsStore, StoreError};

use carrier::message_lookup_item;
use log::{log_entry_from, log_item, log_sk};
use watch::{watch_from, watch_key, watch_pk};

/// An intent's key: the UTC day it is due, then its minute bucket and id, so one
/// `Query` (`sk BETWEEN`) reads a window of minutes of one day.
pub(super) fn intent_key(bucket: &str, intent_id: &str) -> (String, String) {
    let day = bucket.get(..10).unwrap_or(bucket);
    (dispatch_pk(day), format!("{bucket}#{intent_id}"))
}

fn dispatch_pk(day: &str) -> String {
    format!("DISPATCH#{day}")
}

/// The UTC days (`yyyy-mm-dd`) from `from`'s to `to`'s, both included: the partitions
/// of a window of intents or watches.
fn days(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
    let mut days = Vec::new();
    let mut day = from.date_naive();
    while day <= to.date_naive() {
        days.push(day.format("%Y-%m-%d").to_string());
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    days
}

stored! {
    SmsIntent {
        id: "intent_id", booking_id, kind, starts_at, day_of_update;
        due_at = |item| get_time(item, "due_at"),
    }
}

fn intent_item(i: &SmsIntent) -> Item {
    let key = intent_key(&i.bucket(), &i.id);
    stored_item(
        key,
        i,
        [
            ("entity", s("sms_intent")),
            ("due_at", s(sortable(i.due_at))),
        ],
    )
}

impl DynamoStore {
    pub(super) fn intent_put(&self, intent: &SmsIntent) -> Result<TransactWriteItem, StoreError> {
        transact::put(&self.table, intent_item(intent), None)
    }

    fn intent_take(&self, intent: &SmsIntent) -> Result<TransactWriteItem, StoreError> {
        let key = intent_key(&intent.bucket(), &intent.id);
        transact::delete(&self.table, key, Some(Condition::present()))
    }

    fn log_open(
        &self,
        intent: &SmsIntent,
        status: SmsStatus,
        reason: Option<Suppression>,
        now: DateTime<Utc>,
        claim_token: Option<&str>,
    ) -> Result<TransactWriteItem, StoreError> {
        let entry = log_item(intent, status, reason, now, claim_token);
        transact::put_new(&self.table, entry)
    }

    /// Names the reason a claim was refused from the items whose conditions failed:
    /// 0 the intent, 1 the booking, 2 the opt-out, 3 the consent, 4 the log entry
    /// (5, the watch, has no condition).
    /// Holds only while the item's boolean switch is on (absent item: off).
    fn switch_on_check(
        &self,
        pk: String,
        attribute: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let on = Condition::new("#switch = :on")
            .name("#switch", attribute)
            .value(":on", AttributeValue::Bool(true));
        transact::check(&self.table, (pk, "META".to_owned()), on)
    }

    async fn refusal(
        &self,
        intent: &SmsIntent,
        guard: &SendGuard<'_>,
        failed: &[usize],
    ) -> Result<ClaimResult, StoreError> {
        if failed.contains(&0) || failed.contains(&4) {
            return Ok(ClaimResult::AlreadyHandled);
        }
        // The workspace's SMS switch (6) or the study's reminder switch (7) is off.
        if failed.contains(&6) || failed.contains(&7) {
            return Ok(ClaimResult::Refused(Suppression::SmsDisabled));
        }
        if failed.contains(&2) {
            return Ok(ClaimResult::Refused(Suppression::OptedOut));
        }
        if failed.contains(&3) {
            return Ok(ClaimResult::Refused(Suppression::NoConsent));
        }
        if failed.is_empty() {
            // Not reported: if the intent is gone, someone else has it.
            let (pk, sk) = intent_key(&intent.bucket(), &intent.id);
            let still_filed = self.get(&pk, &sk).await?.is_some();
            if !still_filed {
                return Ok(ClaimResult::AlreadyHandled);
            }
        }
        let count = self
            .get(&booking_pk(&intent.booking_id), "META")
            .await?
            .and_then(|item| get_i64(&item, "sms_count").ok())
            .unwrap_or(0);
        Ok(ClaimResult::Refused(if count >= guard.cap {
            Suppression::CapReached
        } else {
            Suppression::BookingChanged
        }))
    }
}

impl DynamoStore {
    /// Whether this intent's log entry was opened by the claim holding `claim_token`.
    async fn claimed_by(&self, intent: &SmsIntent, claim_token: &str) -> Result<bool, StoreError> {
        Ok(self
            .get(&booking_pk(&intent.booking_id), &log_sk(&intent.id))
            .await?
            .as_ref()
            .and_then(|entry| get_opt_s(entry, "claim_token"))
            .is_some_and(|t| t == claim_token))
    }
}

impl SmsStore for DynamoStore {
    async fn due_intents(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SmsIntent>, StoreError> {
        // `#` sorts below every id character and `~` above them all.
        let minutes = SortKey::Between(
            format!("{}#", minute_bucket(from)),
            format!("{}#~", minute_bucket(to)),
        );
        let mut intents = Vec::new();
        for day in days(from, to) {
            let query = KeyQuery::main(dispatch_pk(&day)).sort(minutes.clone());
            for item in self.query_all(&query).await? {
                intents.push(SmsIntent::read_from(&item)?);
            }
        }
        Ok(intents)
    }

    async fn find_intent(
        &self,
        bucket: &str,
        intent_id: &str,
    ) -> Result<Option<SmsIntent>, StoreError> {
        let (pk, sk) = intent_key(bucket, intent_id);
        self.get_as(&pk, &sk).await
    }

    async fn claim_intent(
        &self,
        intent: &SmsIntent,
        guard: &SendGuard<'_>,
        claim: &Claim,
        now: DateTime<Utc>,
    ) -> Result<ClaimResult, StoreError> {
        // Marks the log entry as this call's claim, so a claim that committed while its
        // caller heard an error (or, past DynamoDB's 10-minute ClientRequestToken window,
        // a refusal) is still recognised and sent, not left `sending` and unsent. One
        // that commits even later (after the read-back) is found by its watch.
        let claim_token = claim.token.as_str();
        let count = ItemUpdate::new(
            booking_pk(&intent.booking_id),
            "META",
            "SET sms_count = sms_count + :one",
        )
        .condition(
            "#status = :status AND phone = :phone AND starts_at = :starts_at AND sms_count < :cap",
        )
        .name("#status", "status")
        .value(":one", n(1))
        .value(":status", s(guard.expected_status.as_str()))
        .value(":phone", s(guard.phone))
        .value(":starts_at", s(intent.starts_at.to_rfc3339()))
        .value(":cap", n(guard.cap));
        let mut items = vec![
            self.intent_take(intent)?,
            transact::update(&self.table, count)?,
            self.not_opted_out_check(guard.phone)?,
            self.consent_granted_check(guard.phone, guard.workspace_id)?,
            self.log_open(intent, SmsStatus::Sending, None, now, Some(claim_token))?,
            self.watch_put(intent, claim)?,
            // The switches, checked in the claim rather than read before it.
            self.switch_on_check(workspace_pk(guard.workspace_id), "sms_enabled")?,
        ];
        if let Some(study_id) = guard.reminder_study_id {
            items.push(self.switch_on_check(study_pk(study_id), "interview_reminder")?);
        }
        match self.transact_items(items).await {
            Ok(()) => Ok(ClaimResult::Claimed),
            // The transaction may have committed with its answer lost, and the SDK's
            // retries given up: whether the claim is ours is in the log entry.
            Err(TransactError::Store(e)) => match self.claimed_by(intent, claim_token).await {
                Ok(true) => Ok(ClaimResult::Claimed),
                _ => Err(e),
            },
            Err(TransactError::Conditions(failed)) => {
                if self.claimed_by(intent, claim_token).await? {
                    return Ok(ClaimResult::Claimed);
                }
                self.refusal(intent, guard, &failed).await
            }
        }
    }

    async fn suppress_intent(
        &self,
        intent: &SmsIntent,
        reason: Suppression,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let items = vec![
            self.intent_take(intent)?,
            self.log_open(intent, SmsStatus::Suppressed, Some(reason), now, None)?,
        ];
        match self.transact_items(items).await {
            // Already taken by another run: it has decided for this intent.
            Ok(()) | Err(TransactError::Conditions(_)) => Ok(()),
            Err(TransactError::Store(e)) => Err(e),
        }
    }

    async fn finish_intent(
        &self,
        intent: &SmsIntent,
        claim: &Claim,
        record: &SendRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // Unconditional: the outcome is the truth, even over a sweep's `unconfirmed`
        // (which cannot happen within a function's timeout, but would be wrong to keep).
        let mut items = Vec::new();
        let mut values = vec![(":now", s(now.to_rfc3339()))];
        let expression = match record {
            SendRecord::Sent { message_id, phone } => {
                values.push((":status", s(SmsStatus::Sent.as_str())));
                match message_id {
                    Some(id) => {
                        let lookup = message_lookup_item(intent, id, phone, now);
                        items.push(transact::put(&self.table, lookup, None)?);
                        values.push((":mid", s(id)));
                        "SET #status = :status, updated_at = :now, sent_at = :now, message_id = :mid REMOVE reason"
                    }
                    None => {
                        "SET #status = :status, updated_at = :now, sent_at = :now REMOVE reason"
                    }
                }
            }
            SendRecord::Failed { reason } => {
                values.push((":status", s(SmsStatus::Failed.as_str())));
                match reason {
                    Some(reason) => {
                        values.push((":reason", s(reason.as_str())));
                        "SET #status = :status, updated_at = :now, reason = :reason"
                    }
                    None => "SET #status = :status, updated_at = :now REMOVE reason",
                }
            }
        };
        let update = values.into_iter().fold(
            ItemUpdate::new(
                booking_pk(&intent.booking_id),
                log_sk(&intent.id),
                expression,
            )
            .name("#status", "status"),
            |update, (placeholder, value)| update.value(placeholder, value),
        );
        items.push(transact::update(&self.table, update)?);
        items.push(self.watch_delete(&intent.id, claim)?);
        self.transact_items(items).await.map_err(|e| match e {
            TransactError::Store(e) => e,
            // No item has a condition.
            TransactError::Conditions(_) => StoreError::ConditionFailed,
        })
    }

    async fn sms_log(&self, booking_id: &str) -> Result<Vec<SmsLogEntry>, StoreError> {
        let query = KeyQuery::main(booking_pk(booking_id)).prefix("SMS#");
        self.query_all(&query)
            .await?
            .iter()
            .map(log_entry_from)
            .collect()
    }

    async fn stale_claims(
        &self,
        since: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> Result<Vec<ClaimWatch>, StoreError> {
        // A watch's key is `<claimed at>#<intent id>`: one claimed exactly at `before`
        // sorts above `sortable(before)`, so the upper end is excluded.
        let window = SortKey::Between(sortable(since), sortable(before));
        let mut watches = Vec::new();
        for day in days(since, before) {
            let query = KeyQuery::main(watch_pk(&day)).sort(window.clone());
            for item in self.query_all(&query).await? {
                match watch_from(&item) {
                    Ok(watch) => watches.push(watch),
                    // Not the sweep's to fix, and no reason to stop it: reported.
                    Err(e) => {
                        tracing::error!(partition = %watch_pk(&day), error = %e, "malformed sms claim watch skipped")
                    }
                }
            }
        }
        Ok(watches)
    }

    async fn claim_still_open(&self, watch: &ClaimWatch) -> Result<bool, StoreError> {
        Ok(self
            .get(&booking_pk(&watch.booking_id), &log_sk(&watch.intent_id))
            .await?
            .is_some_and(|entry| {
                get_opt_s(&entry, "status").as_deref() == Some(SmsStatus::Sending.as_str())
                    && get_opt_s(&entry, "claim_token").as_deref()
                        == Some(watch.claim.token.as_str())
            }))
    }

    async fn give_up_claim(
        &self,
        watch: &ClaimWatch,
        reason: Suppression,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let update = ItemUpdate::new(
            booking_pk(&watch.booking_id),
            log_sk(&watch.intent_id),
            "SET #status = :failed, reason = :reason, updated_at = :now",
        )
        .condition("#status = :sending AND claim_token = :token")
        .name("#status", "status")
        .value(":failed", s(SmsStatus::Failed.as_str()))
        .value(":sending", s(SmsStatus::Sending.as_str()))
        .value(":token", s(&watch.claim.token))
        .value(":reason", s(reason.as_str()))
        .value(":now", s(now.to_rfc3339()));
        let items = vec![
            transact::update(&self.table, update)?,
            self.watch_delete(&watch.intent_id, &watch.claim)?,
        ];
        match self.transact_items(items).await {
            Ok(()) => Ok(true),
            // The entry moved on after all: only the watch is left to remove.
            Err(TransactError::Conditions(_)) => {
                self.drop_claim_watch(watch).await?;
                Ok(false)
            }
            Err(TransactError::Store(e)) => Err(e),
        }
    }

    async fn drop_claim_watch(&self, watch: &ClaimWatch) -> Result<(), StoreError> {
        let key = watch_key(&watch.intent_id, &watch.claim);
        self.delete_if(key, None).await.map(|_| ())
    }
}
