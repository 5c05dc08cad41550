//! Secure messaging between a study team and a participant. Only the team starts a
//! conversation; the participant answers once they have accepted it. Messages go to
//! the team, not a person: every owner and teammate sees the same thread, and the
//! participant sees the team's messages as from "the study team" while the record
//! keeps which member wrote each. Each new team message rings the participant's bell
//! and, at most once until they read the conversation, sends a discreet email.
pub mod email;
pub mod reachability;
pub mod render;
pub mod team_notice;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::idempotency::{self, IdempotencyKey};
use super::ids::new_id;
use super::pagination::{Page, PageRequest};
use super::studies::require_team;
use super::{Caller, DomainError};
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

impl NotificationSubject {
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
    fn for_team(m: Message) -> Self {
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

    fn for_participant(m: Message) -> Self {
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
        let kind = n.subject.kind();
        let (conversation_id, study_id, participant_id) = match n.subject {
            NotificationSubject::NewMessage { conversation_id } => {
                (Some(conversation_id), None, None)
            }
            NotificationSubject::ParticipantReply {
                study_id,
                conversation_id,
            } => (Some(conversation_id), Some(study_id), None),
            NotificationSubject::PanelReply {
                study_id,
                participant_id,
            } => (None, Some(study_id), Some(participant_id)),
        };
        Self {
            notification_id: n.id,
            kind,
            conversation_id,
            study_id,
            participant_id,
            created_at: n.created_at,
            read: n.read,
        }
    }
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

fn bell(conversation: &Conversation, now: DateTime<Utc>) -> Notification {
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
fn participant_email(caller: &Caller) -> Option<String> {
    caller
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
}

/// Emails the participant that the team wrote, unless an email for this conversation
/// is already waiting to be read. A failed email never undoes the message.
async fn notify_by_email<S, M>(
    store: &S,
    mailer: &M,
    settings: &MessagingSettings,
    conversation: &Conversation,
    contact_phone: Option<&str>,
    secrets: &[&str],
    now: DateTime<Utc>,
) where
    S: ConversationStore + EmailSuppressionStore,
    M: Mailer,
{
    match store
        .email_problems(std::slice::from_ref(&conversation.participant_email))
        .await
    {
        Ok(problems) if !problems.is_empty() => {
            tracing::info!(conversation_id = %conversation.id, "participant's address bounced or complained; not emailed");
            return;
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(conversation_id = %conversation.id, error = %e, "could not check the address; emailing")
        }
    }
    let notice = NewMessageNotice {
        product_name: &settings.product_name,
        app_url: &settings.app_url,
        conversation_id: &conversation.id,
        contact_phone,
        support_contact: settings.support_contact.as_deref(),
    };
    if ensure_discreet(&notice, secrets).is_err() {
        tracing::error!(conversation_id = %conversation.id, "notification email withheld: its link or contact phone would reveal the study or the message");
        return;
    }
    let email = new_message_email(&notice);
    match store.claim_email(conversation).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(conversation_id = %conversation.id, "participant has an unread email already; not emailing again");
            return;
        }
        Err(e) => {
            tracing::warn!(conversation_id = %conversation.id, error = %e, "could not claim the notification email");
            return;
        }
    }
    match mailer
        .send_email(&conversation.participant_email, &email)
        .await
    {
        Ok(()) => tracing::info!(conversation_id = %conversation.id, "notification email sent"),
        // It may have gone out: the claim stays (no second email until the participant
        // reads), and the conversation records it.
        Err(SendError::Unconfirmed(why)) => {
            tracing::error!(conversation_id = %conversation.id, error = %why, unconfirmed = true, "notification email unconfirmed; not resent");
            if let Err(e) = store.record_email_unconfirmed(conversation, now).await {
                tracing::warn!(conversation_id = %conversation.id, error = %e, "could not record the unconfirmed email");
            }
        }
        Err(e) => {
            tracing::error!(conversation_id = %conversation.id, error = %e, "notification email failed");
            if let Err(e) = store.release_email(conversation).await {
                tracing::warn!(conversation_id = %conversation.id, error = %e, "could not release the email claim");
            }
        }
    }
}

/// The study team starts a conversation with one of the study's participants.
#[allow(clippy::too_many_arguments)]
pub async fn start_conversation<S, M>(
    store: &S,
    mailer: &M,
    settings: &MessagingSettings,
    caller: &Caller,
    study_id: &str,
    participant_id: &str,
    body: &str,
    idempotency_key: Option<IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<ConversationCreated, DomainError>
where
    S: StudyStore + ParticipantStore + ConversationStore + IdempotencyStore + EmailSuppressionStore,
    M: Mailer,
{
    let (study, _) = require_team(store, study_id, caller).await?;
    let key = idempotency_key.as_ref();
    if let Some(first) = idempotency::replay(store, key, now.timestamp()).await? {
        return Ok(first);
    }
    let body = checked_body(body)?;
    let participant = store
        .get_participant(&study.id, participant_id)
        .await?
        .ok_or(DomainError::NotFound("participant"))?;
    let conversation = Conversation {
        id: new_id("cv"),
        study_id: study.id.clone(),
        workspace_id: study.workspace_id.clone(),
        participant_id: participant.id.clone(),
        participant_email: participant.email.to_lowercase(),
        accepted: false,
        created_by: caller.user_id.clone(),
        created_at: now,
        last_message_at: now,
        team_messages: 1,
        participant_messages: 0,
        participant_seen: 0,
    };
    let message = Message {
        id: new_id("msg"),
        conversation_id: conversation.id.clone(),
        author: Author::Team {
            member_id: caller.user_id.clone(),
        },
        body,
        sent_at: now,
    };
    let created = ConversationCreated {
        conversation_id: conversation.id.clone(),
        message_id: message.id.clone(),
    };
    let record = key.map(|k| k.record(&created, now.timestamp()));
    match store
        .create_conversation(
            &conversation,
            &message,
            &bell(&conversation, now),
            record.as_ref(),
        )
        .await
    {
        Ok(()) => {}
        Err(StoreError::IdempotencyKeyTaken) => {
            return idempotency::replay_after_race(store, key, now.timestamp()).await
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(conversation_id = %conversation.id, study_id = %study.id, "conversation started");
    notify_by_email(
        store,
        mailer,
        settings,
        &conversation,
        study.contact_phone.as_deref(),
        &[&study.name, &message.body],
        now,
    )
    .await;
    Ok(created)
}

async fn team_conversation<S: StudyStore + ConversationStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    conversation_id: &str,
) -> Result<(super::studies::Study, Conversation), DomainError> {
    let (study, _) = require_team(store, study_id, caller).await?;
    let conversation = store
        .get_conversation(&study.id, conversation_id)
        .await?
        .ok_or(DomainError::NotFound("conversation"))?;
    Ok((study, conversation))
}

/// Any member of the study team writes in an existing conversation.
#[allow(clippy::too_many_arguments)]
pub async fn post_team_message<S, M>(
    store: &S,
    mailer: &M,
    settings: &MessagingSettings,
    caller: &Caller,
    study_id: &str,
    conversation_id: &str,
    body: &str,
    idempotency_key: Option<IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<MessageCreated, DomainError>
where
    S: StudyStore + ConversationStore + IdempotencyStore + EmailSuppressionStore,
    M: Mailer,
{
    let (study, conversation) = team_conversation(store, caller, study_id, conversation_id).await?;
    let key = idempotency_key.as_ref();
    if let Some(first) = idempotency::replay(store, key, now.timestamp()).await? {
        return Ok(first);
    }
    let body = checked_body(body)?;
    let message = Message {
        id: new_id("msg"),
        conversation_id: conversation.id.clone(),
        author: Author::Team {
            member_id: caller.user_id.clone(),
        },
        body,
        sent_at: now,
    };
    let created = MessageCreated {
        message_id: message.id.clone(),
        sent_at: now,
    };
    let record = key.map(|k| k.record(&created, now.timestamp()));
    match store
        .append_message(
            &conversation,
            &message,
            &[bell(&conversation, now)],
            record.as_ref(),
        )
        .await
    {
        Ok(()) => {}
        Err(StoreError::IdempotencyKeyTaken) => {
            return idempotency::replay_after_race(store, key, now.timestamp()).await
        }
        Err(StoreError::ConditionFailed) => return Err(DomainError::NotFound("conversation")),
        Err(e) => return Err(e.into()),
    }
    notify_by_email(
        store,
        mailer,
        settings,
        &conversation,
        study.contact_phone.as_deref(),
        &[&study.name, &message.body],
        now,
    )
    .await;
    Ok(created)
}

/// The study's conversations, with what the calling member has not read.
pub async fn list_team_conversations<S>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    page: &PageRequest,
) -> Result<Page<TeamConversationView>, DomainError>
where
    S: StudyStore + ConversationStore + EmailSuppressionStore,
{
    let (study, _) = require_team(store, study_id, caller).await?;
    let conversations = store.list_study_conversations(&study.id, page).await?;
    let ids: Vec<String> = conversations.items.iter().map(|c| c.id.clone()).collect();
    let seen = store.member_seen(&ids, &caller.user_id).await?;
    let addresses: Vec<String> = conversations
        .items
        .iter()
        .map(|c| c.participant_email.clone())
        .collect();
    let problems = store.email_problems(&addresses).await?;
    Ok(conversations.map(|c| TeamConversationView {
        email_status: problems.get(&c.participant_email).copied().into(),
        unread: (c.participant_messages - seen.get(&c.id).copied().unwrap_or(0)).max(0),
        conversation_id: c.id,
        participant_id: c.participant_id,
        accepted: c.accepted,
        created_at: c.created_at,
        last_message_at: c.last_message_at,
    }))
}

/// The thread, newest first; reading it marks the participant's messages read for the
/// calling member.
pub async fn team_messages<S: StudyStore + ConversationStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    conversation_id: &str,
    page: &PageRequest,
) -> Result<Page<MessageView>, DomainError> {
    let (_, conversation) = team_conversation(store, caller, study_id, conversation_id).await?;
    let messages = store.list_messages(&conversation.id, page).await?;
    store
        .set_member_seen(
            &conversation.id,
            &caller.user_id,
            conversation.participant_messages,
        )
        .await?;
    Ok(messages.map(MessageView::for_team))
}

/// The conversation, if the caller is its participant; 404 for everyone else.
async fn own_conversation<S: ConversationStore>(
    store: &S,
    caller: &Caller,
    conversation_id: &str,
) -> Result<Conversation, DomainError> {
    let email = participant_email(caller).ok_or(DomainError::NotFound("conversation"))?;
    store
        .find_participant_conversation(&email, conversation_id)
        .await?
        .ok_or(DomainError::NotFound("conversation"))
}

fn require_accepted(conversation: &Conversation) -> Result<(), DomainError> {
    if conversation.accepted {
        Ok(())
    } else {
        Err(DomainError::conflict(
            "conversation_not_accepted",
            "accept the conversation first",
        ))
    }
}

pub async fn my_conversations<S: ConversationStore>(
    store: &S,
    caller: &Caller,
    page: &PageRequest,
) -> Result<Page<MyConversationView>, DomainError> {
    let Some(email) = participant_email(caller) else {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    };
    Ok(store
        .list_participant_conversations(&email, page)
        .await?
        .map(|c| MyConversationView {
            unread: (c.team_messages - c.participant_seen).max(0),
            conversation_id: c.id,
            accepted: c.accepted,
            created_at: c.created_at,
            last_message_at: c.last_message_at,
        }))
}

/// Accepting opens the thread. Where the workspace asks for it, the participant must
/// first have verified a phone number by SMS code (`/me/phone`).
pub async fn accept_conversation<S>(
    store: &S,
    caller: &Caller,
    conversation_id: &str,
) -> Result<MyConversationView, DomainError>
where
    S: ConversationStore + WorkspaceStore + PhoneVerificationStore,
{
    let conversation = own_conversation(store, caller, conversation_id).await?;
    if !conversation.accepted {
        let workspace = store
            .get_workspace(&conversation.workspace_id)
            .await?
            .ok_or(DomainError::NotFound("conversation"))?;
        if workspace.require_phone_verification
            && store.verified_phone(&caller.user_id).await?.is_none()
        {
            return Err(DomainError::conflict(
                "phone_verification_required",
                "verify a phone number (POST /me/phone) before accepting",
            ));
        }
        store.accept_conversation(&conversation).await?;
    }
    Ok(MyConversationView {
        unread: (conversation.team_messages - conversation.participant_seen).max(0),
        conversation_id: conversation.id,
        accepted: true,
        created_at: conversation.created_at,
        last_message_at: conversation.last_message_at,
    })
}

/// The thread as the participant sees it; reading it marks the team's messages read
/// (and lets the next team message email them again).
pub async fn my_messages<S: ConversationStore>(
    store: &S,
    caller: &Caller,
    conversation_id: &str,
    page: &PageRequest,
) -> Result<Page<MessageView>, DomainError> {
    let conversation = own_conversation(store, caller, conversation_id).await?;
    require_accepted(&conversation)?;
    let messages = store.list_messages(&conversation.id, page).await?;
    store
        .set_participant_seen(&conversation, conversation.team_messages)
        .await?;
    Ok(messages.map(MessageView::for_participant))
}

/// The participant replies. Every member of the study team gets a bell notification
/// with the reply, in the same write, and an email (`team_notice`).
#[allow(clippy::too_many_arguments)]
pub async fn post_participant_message<S, M>(
    store: &S,
    mailer: &M,
    settings: &MessagingSettings,
    caller: &Caller,
    conversation_id: &str,
    body: &str,
    idempotency_key: Option<IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<MessageCreated, DomainError>
where
    S: ConversationStore + IdempotencyStore + TeamNoticeStore + EmailSuppressionStore,
    M: Mailer,
{
    let conversation = own_conversation(store, caller, conversation_id).await?;
    require_accepted(&conversation)?;
    let key = idempotency_key.as_ref();
    if let Some(first) = idempotency::replay(store, key, now.timestamp()).await? {
        return Ok(first);
    }
    let message = Message {
        id: new_id("msg"),
        conversation_id: conversation.id.clone(),
        author: Author::Participant,
        body: checked_body(body)?,
        sent_at: now,
    };
    let created = MessageCreated {
        message_id: message.id.clone(),
        sent_at: now,
    };
    let thread = ReplyThread::Conversation {
        study_id: &conversation.study_id,
        conversation_id: &conversation.id,
    };
    let team = store
        .reply_recipients(&conversation.study_id, &conversation.workspace_id, false)
        .await?;
    let bells = team_notice::bells(&team, &thread, now);
    let record = key.map(|k| k.record(&created, now.timestamp()));
    match store
        .append_message(&conversation, &message, &bells, record.as_ref())
        .await
    {
        Ok(()) => {}
        Err(StoreError::IdempotencyKeyTaken) => {
            return idempotency::replay_after_race(store, key, now.timestamp()).await
        }
        Err(StoreError::ConditionFailed) => {
            return Err(DomainError::conflict(
                "conversation_not_accepted",
                "accept the conversation first",
            ))
        }
        Err(e) => return Err(e.into()),
    }
    team_notice::email_team(store, mailer, settings, &team, &thread, now).await;
    Ok(created)
}

pub async fn my_notifications<S: ConversationStore>(
    store: &S,
    caller: &Caller,
    page: &PageRequest,
) -> Result<Page<NotificationView>, DomainError> {
    let Some(email) = participant_email(caller) else {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    };
    Ok(store
        .list_notifications(&email, page)
        .await?
        .map(NotificationView::from))
}

/// The answer to marking a notification read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NotificationRead {
    pub notification_id: String,
    pub read: bool,
}

pub async fn read_notification<S: ConversationStore>(
    store: &S,
    caller: &Caller,
    notification_id: &str,
) -> Result<NotificationRead, DomainError> {
    let email = participant_email(caller).ok_or(DomainError::NotFound("notification"))?;
    match store.mark_notification_read(&email, notification_id).await {
        Ok(()) => Ok(NotificationRead {
            notification_id: notification_id.to_owned(),
            read: true,
        }),
        Err(StoreError::ConditionFailed) => Err(DomainError::NotFound("notification")),
        Err(e) => Err(e.into()),
    }
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
