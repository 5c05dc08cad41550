//! The participant's side: their conversations (found by their verified email), accept,
//! read, reply, and their bell.
use super::*;

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
        return Ok(Page::empty());
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

pub async fn my_notifications<S: ConversationStore>(
    store: &S,
    caller: &Caller,
    page: &PageRequest,
) -> Result<Page<NotificationView>, DomainError> {
    let Some(email) = participant_email(caller) else {
        return Ok(Page::empty());
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

impl<S, M> Messenger<'_, S, M>
where
    S: ConversationStore + IdempotencyStore + TeamNoticeStore + EmailSuppressionStore,
    M: Mailer,
{
    /// The participant replies. Every member of the study team gets a bell notification
    /// with the reply, in the same write, and an email (`team_notice`).
    pub async fn post_participant_message(
        &self,
        asked: Asked<'_>,
        conversation_id: &str,
        body: &str,
    ) -> Result<MessageCreated, DomainError> {
        let store = self.store;
        let (caller, now, once) = (asked.caller, asked.now, asked.once());
        let conversation = own_conversation(store, caller, conversation_id).await?;
        require_accepted(&conversation)?;
        if let Some(first) = once.replay(store).await? {
            return Ok(first);
        }
        let message = Message::new(&conversation, Author::Participant, checked_body(body)?, now);
        let created = message.created();
        let thread = ReplyThread::Conversation {
            study_id: &conversation.study_id,
            conversation_id: &conversation.id,
        };
        let (team, bells) =
            team_notice::notified(store, &thread, &conversation.workspace_id, now).await?;
        let record = once.record(&created);
        let written = store
            .append_message(&conversation, &message, &bells, record.as_ref())
            .await;
        let refused = |e| match e {
            StoreError::ConditionFailed => {
                DomainError::conflict("conversation_not_accepted", "accept the conversation first")
            }
            e => e.into(),
        };
        if let Some(first) = once.settle(store, written, refused).await? {
            return Ok(first);
        }
        self.email_team(&team, &thread, now).await;
        Ok(created)
    }
}
