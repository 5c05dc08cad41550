//! What the messaging routes answer: the created ids, a conversation as the team and as
//! its participant list it, a message and a notification as their readers see them.
use super::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConversationCreated {
    pub conversation_id: String,
    pub message_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MessageCreated {
    pub message_id: String,
    pub sent_at: DateTime<Utc>,
}

/// A conversation as the study team lists it; `unread` counts the participant's
/// messages the calling member has not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TeamConversationView {
    pub conversation_id: String,
    pub participant_id: String,
    pub accepted: bool,
    pub unread: i64,
    /// Whether email reaches the participant (`bounced` / `complained`: it does not, and
    /// no email is sent; the study's phone is the way left).
    pub email_status: EmailStatus,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
}

/// A conversation as its participant lists it: nothing names the study.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MyConversationView {
    pub conversation_id: String,
    pub accepted: bool,
    pub unread: i64,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    StudyTeam,
    Participant,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MessageView {
    pub message_id: String,
    pub sender: Sender,
    /// Which team member wrote it: shown to the team only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    pub body: String,
    pub sent_at: DateTime<Utc>,
}

impl MessageView {
    pub(super) fn for_team(m: Message) -> Self {
        let (sender, author_id) = match m.author {
            Author::Team { member_id } => (Sender::StudyTeam, Some(member_id)),
            Author::Participant => (Sender::Participant, None),
        };
        Self {
            message_id: m.id,
            sender,
            author_id,
            body: m.body,
            sent_at: m.sent_at,
        }
    }

    pub(super) fn for_participant(m: Message) -> Self {
        let sender = match m.author {
            Author::Team { .. } => Sender::StudyTeam,
            Author::Participant => Sender::Participant,
        };
        Self {
            message_id: m.id,
            sender,
            author_id: None,
            body: m.body,
            sent_at: m.sent_at,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NotificationView {
    pub notification_id: String,
    /// `new_message` (to a participant), `participant_reply`, `panel_reply` (to a team
    /// member).
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// Where the reply is, for a team member (never shown to a participant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub study_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl From<Notification> for NotificationView {
    fn from(n: Notification) -> Self {
        let ids = n.subject.ids();
        Self {
            kind: n.subject.kind(),
            conversation_id: ids.conversation_id.map(str::to_owned),
            study_id: ids.study_id.map(str::to_owned),
            participant_id: ids.participant_id.map(str::to_owned),
            notification_id: n.id,
            created_at: n.created_at,
            read: n.read,
        }
    }
}
