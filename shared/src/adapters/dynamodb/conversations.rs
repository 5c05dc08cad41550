//! Secure messaging items (docs/dynamodb.md):
//! - conversation `STUDY#<sid>` / `CONVERSATION#<cid>`, GSI1 `EMAIL#<email>` /
//!   `CONVERSATION#<cid>` so the participant meets it by verified email; it carries the
//!   message counters, the participant's read count and the pending-email flag;
//! - message `CONVERSATION#<cid>` / `MESSAGE#<sent_at>#<mid>` (newest first by query);
//! - a member's read count `CONVERSATION#<cid>` / `SEEN#<member>`;
//! - bell notification `NOTIFICATIONS#<email>` / `NOTIFICATION#<nid>` (ids sort by time).
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::HashMap;

use super::codec::{b, get_i64, get_s, n, s, stored, stored_item};
use super::notifications::{bell_put, notifications_pk, NOTIFICATION};
use super::query::{Index, KeyQuery, SortKey};
use super::transact;
use super::update::ItemUpdate;
use super::{DynamoStore, Item};
use crate::domain::messaging::{Author, Conversation, Message, Notification};
use crate::domain::pagination::{Page, PageRequest};
use crate::ports::{ConversationStore, IdempotencyRecord, StoreError};

const CONVERSATION: &str = "CONVERSATION#";
const MESSAGE: &str = "MESSAGE#";

fn conversation_key(study_id: &str, conversation_id: &str) -> (String, String) {
    (
        format!("STUDY#{study_id}"),
        format!("{CONVERSATION}{conversation_id}"),
    )
}

fn thread_pk(conversation_id: &str) -> String {
    format!("{CONVERSATION}{conversation_id}")
}

stored! {
    Conversation {
        id: "conversation_id", study_id, workspace_id, participant_id, participant_email,
        accepted, created_by, created_at, last_message_at,
        team_messages, participant_messages, participant_seen,
    }
}

fn conversation_item(c: &Conversation) -> Item {
    let key = conversation_key(&c.study_id, &c.id);
    let sk = key.1.clone();
    let by_email = super::participants::email_gsi(&c.participant_email);
    stored_item(
        key,
        c,
        [
            ("entity", s("conversation")),
            ("gsi1pk", s(by_email)),
            ("gsi1sk", s(sk)),
            ("email_pending", b(false)),
        ],
    )
}

stored! {
    Message {
        id: "message_id", conversation_id, body, sent_at;
        author = author_from,
    }
}

fn message_item(m: &Message) -> Item {
    let sent = m.sent_at.to_rfc3339_opts(SecondsFormat::Millis, true);
    let key = (
        thread_pk(&m.conversation_id),
        format!("{MESSAGE}{sent}#{}", m.id),
    );
    let mut item = stored_item(key, m, [("entity", s("message"))]);
    match &m.author {
        Author::Team { member_id } => {
            item.insert("author_kind".to_owned(), s("team"));
            item.insert("author_id".to_owned(), s(member_id));
        }
        Author::Participant => {
            item.insert("author_kind".to_owned(), s("participant"));
        }
    }
    item
}

fn author_from(item: &Item) -> Result<Author, StoreError> {
    match get_s(item, "author_kind")?.as_str() {
        "team" => Ok(Author::Team {
            member_id: get_s(item, "author_id")?,
        }),
        "participant" => Ok(Author::Participant),
        _ => Err(StoreError::Corrupt("message author_kind".into())),
    }
}

impl ConversationStore for DynamoStore {
    async fn create_conversation(
        &self,
        conversation: &Conversation,
        first: &Message,
        bell: &Notification,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let items = vec![
            transact::put_new(&self.table, conversation_item(conversation))?,
            transact::put_new(&self.table, message_item(first))?,
            bell_put(&self.table, bell)?,
        ];
        self.transact(items, idempotency).await
    }

    async fn get_conversation(
        &self,
        study_id: &str,
        conversation_id: &str,
    ) -> Result<Option<Conversation>, StoreError> {
        let (pk, sk) = conversation_key(study_id, conversation_id);
        self.get_as(&pk, &sk).await
    }

    async fn find_participant_conversation(
        &self,
        email: &str,
        conversation_id: &str,
    ) -> Result<Option<Conversation>, StoreError> {
        let query = KeyQuery::main(super::participants::email_gsi(email))
            .on(Index::Gsi1)
            .sort(SortKey::Equals(format!("{CONVERSATION}{conversation_id}")));
        let found = self.query_page(&query, &PageRequest::first(1)).await?;
        let Some(found) = found.items.into_iter().next() else {
            return Ok(None);
        };
        // The index is eventually consistent: read the item itself for its counters.
        let study_id = get_s(&found, "study_id")?;
        let conversation = self.get_conversation(&study_id, conversation_id).await?;
        Ok(conversation.filter(|c| c.participant_email == email))
    }

    async fn list_study_conversations(
        &self,
        study_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Conversation>, StoreError> {
        let (pk, _) = conversation_key(study_id, "");
        self.query_page_as(&KeyQuery::main(pk).prefix(CONVERSATION), page)
            .await
    }

    async fn list_participant_conversations(
        &self,
        email: &str,
        page: &PageRequest,
    ) -> Result<Page<Conversation>, StoreError> {
        let query = KeyQuery::main(super::participants::email_gsi(email))
            .on(Index::Gsi1)
            .prefix(CONVERSATION);
        self.query_page_as(&query, page).await
    }

    async fn append_message(
        &self,
        conversation: &Conversation,
        message: &Message,
        bells: &[Notification],
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let (pk, sk) = conversation_key(&conversation.study_id, &conversation.id);
        let (counter, condition) = match message.author {
            Author::Team { .. } => ("team_messages", "attribute_exists(pk)"),
            // Acceptance is checked in the same write, so a reply can never land on a
            // conversation the participant has not accepted.
            Author::Participant => (
                "participant_messages",
                "attribute_exists(pk) AND accepted = :true",
            ),
        };
        let mut update = ItemUpdate::new(
            pk,
            sk,
            format!("ADD {counter} :one SET last_message_at = :at"),
        )
        .condition(condition)
        .value(":one", n(1))
        .value(":at", s(message.sent_at.to_rfc3339()));
        if matches!(message.author, Author::Participant) {
            update = update.value(":true", b(true));
        }
        let mut items = vec![
            transact::update(&self.table, update)?,
            transact::put_new(&self.table, message_item(message))?,
        ];
        for bell in bells {
            items.push(bell_put(&self.table, bell)?);
        }
        self.transact(items, idempotency).await
    }

    async fn accept_conversation(&self, conversation: &Conversation) -> Result<(), StoreError> {
        let (pk, sk) = conversation_key(&conversation.study_id, &conversation.id);
        self.update_if(
            pk,
            sk,
            "SET accepted = :true",
            "attribute_exists(pk)",
            &[(":true", b(true))],
        )
        .await
        .map(|_| ())
    }

    async fn list_messages(
        &self,
        conversation_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Message>, StoreError> {
        let query = KeyQuery::main(thread_pk(conversation_id))
            .prefix(MESSAGE)
            .descending();
        self.query_page_as(&query, page).await
    }

    async fn member_seen(
        &self,
        conversation_ids: &[String],
        member_id: &str,
    ) -> Result<HashMap<String, i64>, StoreError> {
        let keys: Vec<(String, String)> = conversation_ids
            .iter()
            .map(|cid| (thread_pk(cid), format!("SEEN#{member_id}")))
            .collect();
        let mut seen = HashMap::new();
        for item in self.batch_get(&keys).await?.into_iter().flatten() {
            seen.insert(get_s(&item, "conversation_id")?, get_i64(&item, "seen")?);
        }
        Ok(seen)
    }

    async fn set_member_seen(
        &self,
        conversation_id: &str,
        member_id: &str,
        seen: i64,
    ) -> Result<(), StoreError> {
        // Only ever forward: a slow, older read cannot mark fewer messages read.
        self.update_if(
            thread_pk(conversation_id),
            format!("SEEN#{member_id}"),
            "SET seen = :seen, conversation_id = :cid, member_id = :member",
            "attribute_not_exists(seen) OR seen < :seen",
            &[
                (":seen", n(seen)),
                (":cid", s(conversation_id)),
                (":member", s(member_id)),
            ],
        )
        .await
        .map(|_| ())
    }

    async fn set_participant_seen(
        &self,
        conversation: &Conversation,
        seen: i64,
    ) -> Result<(), StoreError> {
        let (pk, sk) = conversation_key(&conversation.study_id, &conversation.id);
        self.update_if(
            pk,
            sk,
            "SET participant_seen = :seen, email_pending = :false",
            "attribute_exists(pk) AND participant_seen <= :seen",
            &[(":seen", n(seen)), (":false", b(false))],
        )
        .await
        .map(|_| ())
    }

    async fn claim_email(&self, conversation: &Conversation) -> Result<bool, StoreError> {
        let (pk, sk) = conversation_key(&conversation.study_id, &conversation.id);
        self.update_if(
            pk,
            sk,
            "SET email_pending = :true",
            "attribute_exists(pk) AND email_pending = :false",
            &[(":true", b(true)), (":false", b(false))],
        )
        .await
    }

    async fn release_email(&self, conversation: &Conversation) -> Result<(), StoreError> {
        let (pk, sk) = conversation_key(&conversation.study_id, &conversation.id);
        self.update_if(
            pk,
            sk,
            "SET email_pending = :false",
            "attribute_exists(pk)",
            &[(":false", b(false))],
        )
        .await
        .map(|_| ())
    }

    async fn record_email_unconfirmed(
        &self,
        conversation: &Conversation,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (pk, sk) = conversation_key(&conversation.study_id, &conversation.id);
        self.update_if(
            pk,
            sk,
            "SET email_unconfirmed_at = :at",
            "attribute_exists(pk)",
            &[(":at", s(at.to_rfc3339()))],
        )
        .await
        .map(|_| ())
    }

    async fn list_notifications(
        &self,
        email: &str,
        page: &PageRequest,
    ) -> Result<Page<Notification>, StoreError> {
        let query = KeyQuery::main(notifications_pk(email))
            .prefix(NOTIFICATION)
            .descending();
        self.query_page_as(&query, page).await
    }

    async fn mark_notification_read(
        &self,
        email: &str,
        notification_id: &str,
    ) -> Result<(), StoreError> {
        let found = self
            .update_if(
                notifications_pk(email),
                format!("{NOTIFICATION}{notification_id}"),
                "SET is_read = :true",
                "attribute_exists(pk)",
                &[(":true", b(true))],
            )
            .await;
        match found {
            Ok(true) => Ok(()),
            Ok(false) => Err(StoreError::ConditionFailed),
            Err(e) => Err(e),
        }
    }
}
