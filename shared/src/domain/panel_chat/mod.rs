//! Chat with participants recruited from the external panel (`respondent` studies).
//! Only study owners and teammates holding the external-panel permission see it;
//! for everyone else it does not exist (404). Only approved panel participants can be
//! messaged. Every message, both ways, stays in the study's record. Outbound messages
//! are relayed to the panel's API by an event consumer that records delivery; replies
//! arrive on the signed panel webhook, once per panel `message_id`.
pub mod signature;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::enums::string_enum;
use super::events::PanelMessagePosted;
use super::ids::new_id;
use super::messaging::team_notice::{self, ReplyThread};
use super::messaging::{checked_body, Messenger};
use super::pagination::{Page, PageRequest};
use super::participants::{Participant, ParticipantFilter, ParticipantStatus};
use super::studies::{require_team, Recruitment, Study};
use super::{Asked, Caller, DomainError};
use crate::ports::{
    EmailSuppressionStore, EventPublisher, IdempotencyStore, Mailer, PanelApi, PanelChatStore,
    PanelError, ParticipantStore, StudyStore, TeamNoticeStore,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the study team to the panel participant.
    ToParticipant,
    /// A reply from the panel participant.
    FromParticipant,
}
string_enum!(Direction { ToParticipant => "to_participant", FromParticipant => "from_participant" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for the relay.
    Pending,
    Delivered,
    /// The panel refused it, or every retry failed; a person must look (DLQ / log).
    Failed,
    /// The relay was never told (the event bus refused it); shown so a person resends.
    NotQueued,
}
string_enum!(DeliveryStatus {
    Pending => "pending",
    Delivered => "delivered",
    Failed => "failed",
    NotQueued => "not_queued",
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelMessage {
    pub id: String,
    pub study_id: String,
    pub participant_id: String,
    pub panel_participant_id: String,
    pub direction: Direction,
    pub body: String,
    /// The team member who wrote it (outbound only).
    pub author_id: Option<String>,
    pub sent_at: DateTime<Utc>,
    /// Outbound only.
    pub delivery_status: Option<DeliveryStatus>,
    pub delivery_attempts: i64,
    /// The panel's own id (inbound only): a redelivery with it is recorded once.
    pub panel_message_id: Option<String>,
}

/// What the relay posts to the panel's API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PanelDelivery {
    pub message_id: String,
    pub study_id: String,
    pub panel_participant_id: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ThreadView {
    pub participant_id: String,
    pub panel_participant_id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PanelMessageView {
    pub message_id: String,
    pub direction: Direction,
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    pub sent_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_status: Option<DeliveryStatus>,
}

crate::from_fields!(|m: PanelMessage| PanelMessageView {
    direction, body, author_id, sent_at, delivery_status;
    message_id: m.id,
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PanelMessageCreated {
    pub message_id: String,
    pub delivery_status: DeliveryStatus,
}

/// The study, if it recruits from the panel and the caller may chat there; otherwise
/// the chat is not there at all (404).
async fn require_panel_chat<S: StudyStore>(
    store: &S,
    study_id: &str,
    caller: &Caller,
) -> Result<Study, DomainError> {
    let (study, member) = require_team(store, study_id, caller).await?;
    if study.recruitment != Recruitment::Respondent || !member.external_panel {
        return Err(DomainError::NotFound("study"));
    }
    Ok(study)
}

/// The participant, if they came from the panel into this study.
async fn panel_participant<S: ParticipantStore>(
    store: &S,
    study_id: &str,
    participant_id: &str,
) -> Result<(Participant, String), DomainError> {
    let participant = store
        .get_participant(study_id, participant_id)
        .await?
        .filter(|p| p.source == Recruitment::Respondent)
        .ok_or(DomainError::NotFound("participant"))?;
    let panel_id = participant
        .panel_participant_id
        .clone()
        .ok_or(DomainError::NotFound("participant"))?;
    Ok((participant, panel_id))
}

/// `GET /studies/{sid}/chat`: one thread per approved panel participant.
pub async fn list_threads<S: StudyStore + PanelChatStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    page: &PageRequest,
) -> Result<Page<ThreadView>, DomainError> {
    let study = require_panel_chat(store, study_id, caller).await?;
    let chatting = ParticipantFilter {
        status: Some(ParticipantStatus::Approved),
        source: Some(Recruitment::Respondent),
        panel_only: true,
    };
    let participants = store
        .list_study_participants(&study.id, &chatting, page)
        .await?;
    Ok(participants.map(|p| ThreadView {
        panel_participant_id: p.panel_participant_id.unwrap_or_default(),
        participant_id: p.id,
        name: p.name,
    }))
}

/// `POST /studies/{sid}/chat/{pid}/messages`: records the message and hands it to the
/// relay through the event bus.
pub async fn post_message<S, E>(
    store: &S,
    events: &E,
    asked: Asked<'_>,
    study_id: &str,
    participant_id: &str,
    body: &str,
) -> Result<PanelMessageCreated, DomainError>
where
    S: StudyStore + ParticipantStore + PanelChatStore + IdempotencyStore,
    E: EventPublisher,
{
    let (caller, now, once) = (asked.caller, asked.now, asked.once());
    let study = require_panel_chat(store, study_id, caller).await?;
    if let Some(first) = once.replay(store).await? {
        return Ok(first);
    }
    let body = checked_body(body)?;
    let (participant, panel_id) = panel_participant(store, &study.id, participant_id).await?;
    if participant.status != ParticipantStatus::Approved {
        return Err(DomainError::conflict(
            "participant_not_approved",
            "only approved panel participants can be messaged",
        ));
    }
    let message = PanelMessage {
        id: new_id("pm"),
        study_id: study.id.clone(),
        participant_id: participant.id.clone(),
        panel_participant_id: panel_id,
        direction: Direction::ToParticipant,
        body,
        author_id: Some(caller.user_id.clone()),
        sent_at: now,
        delivery_status: Some(DeliveryStatus::Pending),
        delivery_attempts: 0,
        panel_message_id: None,
    };
    let created = PanelMessageCreated {
        message_id: message.id.clone(),
        delivery_status: DeliveryStatus::Pending,
    };
    let record = once.record(&created);
    let written = store.save_panel_message(&message, record.as_ref()).await;
    if let Some(first) = once.settle(store, written, DomainError::from).await? {
        return Ok(first);
    }
    if !events.panel_message_posted(&message).await {
        // The record shows it, so a person can resend; never silently lost.
        store
            .record_delivery(&message, DeliveryStatus::NotQueued, 0)
            .await?;
        tracing::error!(message_id = %message.id, study_id = %study.id, "panel message not queued for the relay");
        return Ok(PanelMessageCreated {
            message_id: message.id,
            delivery_status: DeliveryStatus::NotQueued,
        });
    }
    Ok(created)
}

/// `GET /studies/{sid}/chat/{pid}/messages`: the study's record, newest first.
pub async fn list_messages<S: StudyStore + ParticipantStore + PanelChatStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    participant_id: &str,
    page: &PageRequest,
) -> Result<Page<PanelMessageView>, DomainError> {
    let study = require_panel_chat(store, study_id, caller).await?;
    let (participant, _) = panel_participant(store, &study.id, participant_id).await?;
    Ok(store
        .list_panel_messages(&study.id, &participant.id, page)
        .await?
        .map(PanelMessageView::from))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RelayReport {
    pub outcome: &'static str,
    pub attempts: i64,
}

/// How hard the relay tries within one invocation before giving the event back to
/// Lambda (which retries twice more, then sends it to the dead-letter queue).
#[derive(Clone, Debug)]
pub struct RelayPolicy {
    pub attempts: u32,
    pub first_backoff: Duration,
}

impl Default for RelayPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            first_backoff: Duration::from_millis(200),
        }
    }
}

/// The relay: delivers one outbound message to the panel, at most once as far as we
/// can tell (the panel also gets our message id to drop duplicates).
pub async fn relay_message<S: PanelChatStore, P: PanelApi>(
    store: &S,
    panel: &P,
    policy: &RelayPolicy,
    posted: &PanelMessagePosted,
    now: DateTime<Utc>,
) -> Result<RelayReport, DomainError> {
    let (study_id, participant_id, message_id, sent_at) = (
        posted.study_id.as_str(),
        posted.participant_id.as_str(),
        posted.message_id.as_str(),
        posted.sent_at,
    );
    let Some(message) = store
        .get_panel_message(study_id, participant_id, sent_at, message_id)
        .await?
    else {
        tracing::warn!(message_id, "panel message to relay not found; ignored");
        return Ok(RelayReport {
            outcome: "not_found",
            attempts: 0,
        });
    };
    if message.delivery_status == Some(DeliveryStatus::Delivered) {
        return Ok(RelayReport {
            outcome: "already_delivered",
            attempts: message.delivery_attempts,
        });
    }
    if !store.claim_delivery(&message, now).await? {
        return Ok(RelayReport {
            outcome: "being_delivered",
            attempts: message.delivery_attempts,
        });
    }
    let delivery = PanelDelivery {
        message_id: message.id.clone(),
        study_id: message.study_id.clone(),
        panel_participant_id: message.panel_participant_id.clone(),
        body: message.body.clone(),
    };
    let mut attempts = message.delivery_attempts;
    let mut backoff = policy.first_backoff;
    for attempt in 1..=policy.attempts {
        attempts += 1;
        match panel.deliver(&delivery).await {
            Ok(()) => {
                store
                    .record_delivery(&message, DeliveryStatus::Delivered, attempts)
                    .await?;
                tracing::info!(message_id = %message.id, attempts, "panel message delivered");
                return Ok(RelayReport {
                    outcome: "delivered",
                    attempts,
                });
            }
            Err(PanelError::Rejected(why)) => {
                store
                    .record_delivery(&message, DeliveryStatus::Failed, attempts)
                    .await?;
                tracing::error!(message_id = %message.id, reason = %why, "the panel refused a message");
                return Ok(RelayReport {
                    outcome: "rejected",
                    attempts,
                });
            }
            Err(PanelError::Unavailable(why)) => {
                tracing::warn!(message_id = %message.id, attempt, reason = %why, "panel API unavailable");
                if attempt < policy.attempts {
                    // Exponential backoff with jitter.
                    let jitter = Duration::from_millis(uuid::Uuid::new_v4().as_u128() as u64 % 50);
                    tokio::time::sleep(backoff + jitter).await;
                    backoff *= 4;
                }
            }
        }
    }
    store
        .record_delivery(&message, DeliveryStatus::Failed, attempts)
        .await?;
    Err(DomainError::DeliveryUnavailable(format!(
        "panel API unavailable after {attempts} attempts for message {}",
        message.id
    )))
}

/// A reply from the panel, already signature-checked.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub struct PanelReply {
    pub message_id: String,
    pub study_id: String,
    pub panel_participant_id: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ReplyReceived {
    pub message_id: String,
    pub duplicate: bool,
}

/// `POST /webhooks/panel`: records a participant's reply once per panel message id,
/// with a bell for every teammate with the panel permission, and emails them
/// (`messaging::team_notice`).
pub async fn receive_reply<S, M>(
    messenger: &Messenger<'_, S, M>,
    reply: &PanelReply,
    now: DateTime<Utc>,
) -> Result<ReplyReceived, DomainError>
where
    S: PanelChatStore + StudyStore + TeamNoticeStore + EmailSuppressionStore,
    M: Mailer,
{
    let store = messenger.store;
    let study = store
        .get_study(&reply.study_id)
        .await?
        .filter(|s| s.recruitment == Recruitment::Respondent)
        .ok_or(DomainError::NotFound("study"))?;
    let participant = store
        .find_participant_by_panel_id(&study.id, &reply.panel_participant_id)
        .await?
        .ok_or(DomainError::NotFound("participant"))?;
    if participant.status != ParticipantStatus::Approved {
        return Err(DomainError::conflict(
            "participant_not_approved",
            "replies are accepted from approved panel participants only",
        ));
    }
    let body = checked_body(&reply.body)?;
    let message = PanelMessage {
        id: new_id("pm"),
        study_id: study.id.clone(),
        participant_id: participant.id.clone(),
        panel_participant_id: reply.panel_participant_id.clone(),
        direction: Direction::FromParticipant,
        body,
        author_id: None,
        sent_at: now,
        delivery_status: None,
        delivery_attempts: 0,
        panel_message_id: Some(reply.message_id.clone()),
    };
    let thread = ReplyThread::PanelChat {
        study_id: &study.id,
        participant_id: &participant.id,
    };
    let (team, bells) = team_notice::notified(store, &thread, &study.workspace_id, now).await?;
    let fresh = store
        .save_panel_reply(&message, &reply.message_id, &bells)
        .await?;
    if fresh {
        messenger.email_team(&team, &thread, now).await;
        tracing::info!(study_id = %study.id, participant_id = %participant.id, "panel reply recorded");
    }
    Ok(ReplyReceived {
        message_id: reply.message_id.clone(),
        duplicate: !fresh,
    })
}
