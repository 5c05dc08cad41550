//! Bell notifications (docs/dynamodb.md): `NOTIFICATIONS#<email>` /
//! `NOTIFICATION#<nid>`, one per person, so each has their own read state. Written by
//! the transactions that create what they announce (`conversations.rs`,
//! `panel_chat.rs`); listed and marked read in `conversations.rs`.
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::codec::{b, get_bool, get_opt_s, get_s, get_time, opt_s, s};
use super::transact;
use super::Item;
use crate::domain::messaging::{Notification, NotificationSubject};
use crate::ports::StoreError;

pub(super) const NOTIFICATION: &str = "NOTIFICATION#";

pub(super) fn notifications_pk(email: &str) -> String {
    format!("NOTIFICATIONS#{email}")
}

fn notification_item(nt: &Notification) -> Item {
    let mut item = Item::from([
        ("pk".to_owned(), s(notifications_pk(&nt.user_email))),
        ("sk".to_owned(), s(format!("{NOTIFICATION}{}", nt.id))),
        ("entity".to_owned(), s("notification")),
        ("notification_id".to_owned(), s(&nt.id)),
        ("user_email".to_owned(), s(&nt.user_email)),
        ("kind".to_owned(), s(nt.subject.kind())),
        ("created_at".to_owned(), s(nt.created_at.to_rfc3339())),
        ("is_read".to_owned(), b(nt.read)),
    ]);
    let ids = nt.subject.ids();
    opt_s(&mut item, "conversation_id", ids.conversation_id);
    opt_s(&mut item, "study_id", ids.study_id);
    opt_s(&mut item, "participant_id", ids.participant_id);
    item
}

/// The write of a new bell, for the transaction that creates what it announces.
pub(super) fn bell_put(table: &str, bell: &Notification) -> Result<TransactWriteItem, StoreError> {
    transact::put_new(table, notification_item(bell))
}

pub(super) fn notification_from(item: &Item) -> Result<Notification, StoreError> {
    // Items written before team notifications carry no `kind`: they are new_message.
    let subject = match get_opt_s(item, "kind").as_deref().unwrap_or("new_message") {
        "new_message" => NotificationSubject::NewMessage {
            conversation_id: get_s(item, "conversation_id")?,
        },
        "participant_reply" => NotificationSubject::ParticipantReply {
            study_id: get_s(item, "study_id")?,
            conversation_id: get_s(item, "conversation_id")?,
        },
        "panel_reply" => NotificationSubject::PanelReply {
            study_id: get_s(item, "study_id")?,
            participant_id: get_s(item, "participant_id")?,
        },
        _ => return Err(StoreError::Corrupt("notification kind".into())),
    };
    Ok(Notification {
        id: get_s(item, "notification_id")?,
        user_email: get_s(item, "user_email")?,
        subject,
        created_at: get_time(item, "created_at")?,
        read: get_bool(item, "is_read")?,
    })
}
