//! Bell notifications (docs/dynamodb.md): `NOTIFICATIONS#<email>` /
//! `NOTIFICATION#<nid>`, one per person, so each has their own read state. Written by
//! the transactions that create what they announce (`conversations.rs`,
//! `panel_chat.rs`); listed and marked read in `conversations.rs`.
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::codec::{get_opt_s, get_s, opt_s, s, stored, stored_item};
use super::transact;
use super::Item;
use crate::domain::messaging::{Notification, NotificationSubject};
use crate::ports::StoreError;

pub(super) const NOTIFICATION: &str = "NOTIFICATION#";

pub(super) fn notifications_pk(email: &str) -> String {
    format!("NOTIFICATIONS#{email}")
}

stored! {
    Notification {
        id: "notification_id", user_email, created_at, read: "is_read";
        subject = subject_from,
    }
}

fn notification_item(nt: &Notification) -> Item {
    let key = (
        notifications_pk(&nt.user_email),
        format!("{NOTIFICATION}{}", nt.id),
    );
    let mut item = stored_item(
        key,
        nt,
        [
            ("entity", s("notification")),
            ("kind", s(nt.subject.kind())),
        ],
    );
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

fn subject_from(item: &Item) -> Result<NotificationSubject, StoreError> {
    // Items written before team notifications carry no `kind`: they are new_message.
    Ok(
        match get_opt_s(item, "kind").as_deref().unwrap_or("new_message") {
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
        },
    )
}
