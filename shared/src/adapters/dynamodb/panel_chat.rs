//! External-panel chat items (docs/dynamodb.md):
//! - message `PANELCHAT#<sid>#<pid>` / `MESSAGE#<sent_at>#<mid>`, both directions, with
//!   delivery status and attempts for outbound ones and a delivery lease;
//! - reply receipt `PANELREPLY#<sid>#<panel message id>` / `RECEIVED`, written with the
//!   reply so a redelivered webhook is recorded once;
//! - panel id lookup `STUDY#<sid>` / `PANELID#<panel pid>` (written with the participant).
use chrono::{DateTime, Duration, SecondsFormat, Utc};

use super::codec::{get_i64, get_opt_s, get_s, get_time, n, s, stored, stored_item};
use super::notifications::bell_put;
use super::participants::{filtered, panel_id_key, participant_key};
use super::query::KeyQuery;
use super::transact;
use super::{DynamoStore, Item};
use crate::adapters::dynamodb::update::ItemUpdate;
use crate::domain::messaging::Notification;
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::panel_chat::{DeliveryStatus, PanelMessage};
use crate::domain::participants::{Participant, ParticipantFilter};
use crate::ports::{IdempotencyRecord, PanelChatStore, ParticipantStore, StoreError};

const MESSAGE: &str = "MESSAGE#";
/// How long a relay may hold a message before another may try it.
const DELIVERY_LEASE_SECONDS: i64 = 60;

fn chat_pk(study_id: &str, participant_id: &str) -> String {
    format!("PANELCHAT#{study_id}#{participant_id}")
}

fn message_sk(sent_at: DateTime<Utc>, message_id: &str) -> String {
    format!(
        "{MESSAGE}{}#{message_id}",
        sent_at.to_rfc3339_opts(SecondsFormat::Millis, true)
    )
}

stored! {
    PanelMessage {
        id: "message_id", study_id, participant_id, panel_participant_id, direction, body,
        author_id, panel_message_id;
        sent_at = |item| get_time(item, "sent_at"),
        delivery_status = delivery_status_from,
        delivery_attempts = |item| Ok(get_i64(item, "delivery_attempts").unwrap_or(0)),
    }
}

fn message_item(m: &PanelMessage) -> Item {
    let key = (
        chat_pk(&m.study_id, &m.participant_id),
        message_sk(m.sent_at, &m.id),
    );
    let sent_at = m.sent_at.to_rfc3339_opts(SecondsFormat::Millis, true);
    let mut item = stored_item(
        key,
        m,
        [
            ("entity", s("panel_message")),
            ("sent_at", s(sent_at)),
            ("delivery_attempts", n(m.delivery_attempts)),
        ],
    );
    if let Some(status) = m.delivery_status {
        item.insert("delivery_status".to_owned(), s(status.as_str()));
    }
    item
}

/// A status we cannot read is a corrupt item, not a message without one.
fn delivery_status_from(item: &Item) -> Result<Option<DeliveryStatus>, StoreError> {
    match get_opt_s(item, "delivery_status") {
        Some(raw) => DeliveryStatus::parse(&raw)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt("delivery_status".into())),
        None => Ok(None),
    }
}

impl PanelChatStore for DynamoStore {
    async fn list_study_participants(
        &self,
        study_id: &str,
        filter: &ParticipantFilter,
        page: &PageRequest,
    ) -> Result<Page<Participant>, StoreError> {
        let (pk, _) = participant_key(study_id, "");
        let query = filtered(KeyQuery::main(pk).prefix("PARTICIPANT#"), filter);
        self.query_page_as(&query, page).await
    }

    async fn find_participant_by_panel_id(
        &self,
        study_id: &str,
        panel_participant_id: &str,
    ) -> Result<Option<Participant>, StoreError> {
        let (pk, sk) = panel_id_key(study_id, panel_participant_id);
        let Some(lookup) = self.get(&pk, &sk).await? else {
            return Ok(None);
        };
        let participant_id = get_s(&lookup, "participant_id")?;
        self.get_participant(study_id, &participant_id).await
    }

    async fn save_panel_message(
        &self,
        message: &PanelMessage,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let put = transact::put_new(&self.table, message_item(message))?;
        self.transact(vec![put], idempotency).await
    }

    async fn get_panel_message(
        &self,
        study_id: &str,
        participant_id: &str,
        sent_at: DateTime<Utc>,
        message_id: &str,
    ) -> Result<Option<PanelMessage>, StoreError> {
        self.get_as(
            &chat_pk(study_id, participant_id),
            &message_sk(sent_at, message_id),
        )
        .await
    }

    async fn claim_delivery(
        &self,
        message: &PanelMessage,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let lease = ItemUpdate::new(
            chat_pk(&message.study_id, &message.participant_id),
            message_sk(message.sent_at, &message.id),
            "SET lease_until = :until",
        )
        .condition(
            "attribute_exists(pk) AND delivery_status <> :delivered AND (attribute_not_exists(lease_until) OR lease_until < :now)",
        )
        .value(
            ":until",
            n((now + Duration::seconds(DELIVERY_LEASE_SECONDS)).timestamp()),
        )
        .value(":now", n(now.timestamp()))
        .value(":delivered", s(DeliveryStatus::Delivered.as_str()));
        self.update(lease).await
    }

    async fn record_delivery(
        &self,
        message: &PanelMessage,
        status: DeliveryStatus,
        attempts: i64,
    ) -> Result<(), StoreError> {
        let update = ItemUpdate::new(
            chat_pk(&message.study_id, &message.participant_id),
            message_sk(message.sent_at, &message.id),
            "SET delivery_status = :status, delivery_attempts = :attempts REMOVE lease_until",
        )
        .condition("attribute_exists(pk)")
        .value(":status", s(status.as_str()))
        .value(":attempts", n(attempts));
        self.update_existing(update).await
    }

    async fn save_panel_reply(
        &self,
        message: &PanelMessage,
        panel_message_id: &str,
        bells: &[Notification],
    ) -> Result<bool, StoreError> {
        let receipt = Item::from([
            (
                "pk".to_owned(),
                s(format!(
                    "PANELREPLY#{}#{panel_message_id}",
                    message.study_id
                )),
            ),
            ("sk".to_owned(), s("RECEIVED")),
            ("entity".to_owned(), s("panel_reply_receipt")),
            ("message_id".to_owned(), s(&message.id)),
        ]);
        let mut items = vec![
            transact::put_new(&self.table, receipt)?,
            transact::put_new(&self.table, message_item(message))?,
        ];
        for bell in bells {
            items.push(bell_put(&self.table, bell)?);
        }
        match self.transact(items, None).await {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn list_panel_messages(
        &self,
        study_id: &str,
        participant_id: &str,
        page: &PageRequest,
    ) -> Result<Page<PanelMessage>, StoreError> {
        let query = KeyQuery::main(chat_pk(study_id, participant_id))
            .prefix(MESSAGE)
            .descending();
        self.query_page_as(&query, page).await
    }
}
