//! Secure messaging between a study team and a participant. Only the team starts a
//! conversation; the participant answers once they have accepted it. Messages go to
//! the team, not a person: every owner and teammate sees the same thread, and the
//! participant sees the team's messages as from "the study team" while the record
//! keeps which member wrote each. Each new team message rings the participant's bell
//! and, at most once until they read the conversation, sends a discreet email.
pub mod email;
mod participant;
pub mod reachability;
pub mod render;
mod team;
pub mod team_notice;
mod views;

pub use participant::{
    accept_conversation, my_conversations, my_messages, my_notifications, read_notification,
    NotificationRead,
};
pub use team::{list_team_conversations, team_messages};
pub use views::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::new_id;
use super::pagination::{Page, PageRequest};
use super::studies::{require_team, team_find};
use super::{Asked, Caller, DomainError, TeamAsk};
use crate::ports::{
    ConversationStore, EmailSuppressionStore, IdempotencyStore, Mailer, ParticipantStore,
    PhoneVerificationStore, SendError, StoreError, StudyStore, TeamNoticeStore, WorkspaceStore,
};
use email::{ensure_discreet, new_message_email, NewMessageNotice};
use reachability::EmailStatus;
use team_notice::ReplyThread;

/// The longest message body, in characters (a long letter; SES and clients cope).
pub const BODY_MAX_CHARS: usize = 5_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    pub id: String,
    pub study_id: String,
    pub workspace_id: String,
    pub participant_id: String,
    /// Lower-cased: the participant's account meets it by verified email.
    pub participant_email: String,
    pub accepted: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    /// Messages written by the team, and by the participant, so far.
    pub team_messages: i64,
    pub participant_messages: i64,
    /// How many of the team's messages the participant has read.
    pub participant_seen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Author {
    /// A member of the study team; the participant never learns which.
    Team {
        member_id: String,
    },
    Participant,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub author: Author,
    /// Stored exactly as given; escaped wherever it is rendered.
    pub body: String,
    pub sent_at: DateTime<Utc>,
}

impl Message {
    /// A new message in the conversation, with a new id.
    pub fn new(
        conversation: &Conversation,
        author: Author,
        body: String,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: new_id("msg"),
            conversation_id: conversation.id.clone(),
            author,
            body,
            sent_at: now,
        }
    }

    /// What answers its create.
    pub fn created(&self) -> MessageCreated {
        MessageCreated {
            message_id: self.id.clone(),
            sent_at: self.sent_at,
        }
    }
}

/// A bell notification: says that something happened, never what. Kept per person
/// (by their email), so each team member has their own read state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: String,
    pub user_email: String,
    pub subject: NotificationSubject,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// What a notification points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotificationSubject {
    /// To a participant: the study team wrote in this conversation.
    NewMessage { conversation_id: String },
    /// To a team member: the participant replied in this conversation.
    ParticipantReply {
        study_id: String,
        conversation_id: String,
    },
    /// To a teammate with the panel permission: a panel participant replied in the
    /// panel chat.
    PanelReply {
        study_id: String,
        participant_id: String,
    },
}

/// The ids a notification's subject names: its conversation, study and participant.
pub struct SubjectIds<'a> {
    pub conversation_id: Option<&'a str>,
    pub study_id: Option<&'a str>,
    pub participant_id: Option<&'a str>,
}

impl NotificationSubject {
    pub fn ids(&self) -> SubjectIds<'_> {
        let (conversation_id, study_id, participant_id) = match self {
            Self::NewMessage { conversation_id } => (Some(conversation_id), None, None),
            Self::ParticipantReply {
                study_id,
                conversation_id,
            } => (Some(conversation_id), Some(study_id), None),
            Self::PanelReply {
                study_id,
                participant_id,
            } => (None, Some(study_id), Some(participant_id)),
        };
        SubjectIds {
            conversation_id: conversation_id.map(String::as_str),
            study_id: study_id.map(String::as_str),
            participant_id: participant_id.map(String::as_str),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::NewMessage { .. } => "new_message",
            Self::ParticipantReply { .. } => "participant_reply",
            Self::PanelReply { .. } => "panel_reply",
        }
    }
}

/// What messaging needs from the deployment.
#[derive(Clone, Debug)]
pub struct MessagingSettings {
    pub product_name: String,
    pub app_url: String,
    /// Platform support, named in every email's "Contact Us" line.
    pub support_contact: Option<String>,
}

/// What a write that may email someone goes through: the store it is written to, the
/// mailer, and the settings its emails are written with. Those writes are its methods
/// (`team`, `participant`, `team_notice`).
pub struct Messenger<'a, S, M> {
    pub store: &'a S,
    pub mailer: &'a M,
    pub settings: &'a MessagingSettings,
}

/// A message body: not blank, at most `BODY_MAX_CHARS`, kept exactly as written.
pub fn checked_body(raw: &str) -> Result<String, DomainError> {
    if raw.trim().is_empty() {
        return Err(DomainError::invalid("body", "must not be empty"));
    }
    if raw.chars().count() > BODY_MAX_CHARS {
        return Err(DomainError::invalid(
            "body",
            &format!("must be at most {BODY_MAX_CHARS} characters"),
        ));
    }
    Ok(raw.to_owned())
}

/// Notification ids sort by time, so the bell lists newest first.
pub(crate) fn notification_id(now: DateTime<Utc>) -> String {
    format!(
        "nt_{:013}{}",
        now.timestamp_millis(),
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

pub(super) fn bell(conversation: &Conversation, now: DateTime<Utc>) -> Notification {
    Notification {
        id: notification_id(now),
        user_email: conversation.participant_email.clone(),
        subject: NotificationSubject::NewMessage {
            conversation_id: conversation.id.clone(),
        },
        created_at: now,
        read: false,
    }
}

/// The signed-in participant's email, as conversations are keyed by it.
pub(super) fn participant_email(caller: &Caller) -> Option<String> {
    caller
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_kept_as_written_within_limits() {
        assert_eq!(checked_body("  <b>hi</b>\n").unwrap(), "  <b>hi</b>\n");
        assert!(checked_body("   \n ").is_err());
        assert!(checked_body(&"x".repeat(BODY_MAX_CHARS)).is_ok());
        assert!(checked_body(&"x".repeat(BODY_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn participants_see_the_team_not_the_member() {
        let m = Message {
            id: "msg_1".into(),
            conversation_id: "cv_1".into(),
            author: Author::Team {
                member_id: "researcher-7".into(),
            },
            body: "hello".into(),
            sent_at: Utc::now(),
        };
        let seen = serde_json::to_value(MessageView::for_participant(m.clone())).unwrap();
        assert_eq!(seen["sender"], "study_team");
        assert!(seen.get("author_id").is_none());
        assert!(!seen.to_string().contains("researcher-7"));
        let team = serde_json::to_value(MessageView::for_team(m)).unwrap();
        assert_eq!(team["author_id"], "researcher-7");
    }

    #[test]
    fn notification_ids_sort_by_time() {
        let earlier = notification_id(DateTime::from_timestamp(1_700_000_000, 0).unwrap());
        let later = notification_id(DateTime::from_timestamp(1_800_000_000, 0).unwrap());
        assert!(earlier < later);
    }
}
