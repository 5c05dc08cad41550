//! Each sent text's message-id lookup (`SMSMSG#<message id>/META`): the carrier's
//! events are matched to their log entry with one `GetItem`.
use chrono::{DateTime, Utc};

use super::log::log_sk;
use crate::adapters::dynamodb::bookings::booking_pk;
use crate::adapters::dynamodb::codec::{get_opt_phone, get_opt_s, get_s, n, s};
use crate::adapters::dynamodb::update::ItemUpdate;
use crate::adapters::dynamodb::{DynamoStore, Item};
use crate::domain::sms::{sortable, CarrierOutcome, SmsIntent, TextRef};
use crate::ports::{CarrierOutcomeStore, StoreError};

fn message_pk(message_id: &str) -> String {
    format!("SMSMSG#{message_id}")
}

/// How long a message-id lookup is kept: carriers report within 72 hours (after that
/// End User Messaging reports `UNKNOWN`), so a week is ample.
const MESSAGE_LOOKUP_KEEP_DAYS: i64 = 7;

pub(super) fn message_lookup_item(
    intent: &SmsIntent,
    message_id: &str,
    phone: &str,
    now: DateTime<Utc>,
) -> Item {
    Item::from([
        ("phone".to_owned(), s(phone)),
        ("pk".to_owned(), s(message_pk(message_id))),
        ("sk".to_owned(), s("META")),
        ("entity".to_owned(), s("sms_message_lookup")),
        ("booking_id".to_owned(), s(&intent.booking_id)),
        ("intent_id".to_owned(), s(&intent.id)),
        (
            "expires_at".to_owned(),
            n(
                (now.max(Utc::now()) + chrono::Duration::days(MESSAGE_LOOKUP_KEEP_DAYS))
                    .timestamp(),
            ),
        ),
    ])
}

pub(super) fn opt_time(item: &Item, name: &str) -> Option<DateTime<Utc>> {
    get_opt_s(item, name)
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

impl CarrierOutcomeStore for DynamoStore {
    async fn find_text(&self, message_id: &str) -> Result<Option<TextRef>, StoreError> {
        self.get(&message_pk(message_id), "META")
            .await?
            .map(|item| {
                Ok::<_, StoreError>(TextRef {
                    booking_id: get_s(&item, "booking_id")?,
                    intent_id: get_s(&item, "intent_id")?,
                    phone: get_opt_phone(&item, "phone"),
                })
            })
            .transpose()
    }

    async fn record_carrier_outcome(
        &self,
        text: &TextRef,
        outcome: &CarrierOutcome,
    ) -> Result<bool, StoreError> {
        let expression = match outcome.reason {
            Some(_) => {
                "SET delivery_status = :status, delivery_at = :at, delivery_reason = :reason"
            }
            None => "SET delivery_status = :status, delivery_at = :at REMOVE delivery_reason",
        };
        let mut update = ItemUpdate::new(
            booking_pk(&text.booking_id),
            log_sk(&text.intent_id),
            expression,
        )
        .condition(
            "attribute_exists(pk) AND (attribute_not_exists(delivery_at) OR delivery_at <= :at)",
        )
        .value(":status", s(outcome.status.as_str()))
        .value(":at", s(sortable(outcome.at)));
        if let Some(reason) = &outcome.reason {
            update = update.value(":reason", s(reason));
        }
        // `false`: an older report than the one recorded, or no such entry.
        self.update(update).await
    }
}
