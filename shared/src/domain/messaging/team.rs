//! The study team's side of a conversation: start it, write in it, list and read the
//! study's conversations; each team message rings the participant's bell and, at most
//! once until they read, emails them.
use super::*;
use crate::domain::studies::Study;

/// The team member `caller` as a message's author.
fn team(caller: &Caller) -> Author {
    Author::Team {
        member_id: caller.user_id.clone(),
    }
}

impl<S, M> Messenger<'_, S, M>
where
    S: StudyStore + ParticipantStore + ConversationStore + IdempotencyStore + EmailSuppressionStore,
    M: Mailer,
{
    /// Emails the participant that the team wrote, unless an email for this conversation
    /// is already waiting to be read. A failed email never undoes the message.
    async fn notify_by_email(&self, study: &Study, conversation: &Conversation, message: &Message) {
        let Self {
            store,
            mailer,
            settings,
        } = *self;
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
            contact_phone: study.contact_phone.as_deref(),
            support_contact: settings.support_contact.as_deref(),
        };
        if ensure_discreet(&notice, &[&study.name, &message.body]).is_err() {
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
                if let Err(e) = store
                    .record_email_unconfirmed(conversation, message.sent_at)
                    .await
                {
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
    pub async fn start_conversation(
        &self,
        asked: Asked<'_>,
        study_id: &str,
        participant_id: &str,
        body: &str,
    ) -> Result<ConversationCreated, DomainError> {
        let store = self.store;
        let (caller, now, once) = (asked.caller, asked.now, asked.once());
        let (study, _) = require_team(store, study_id, caller).await?;
        if let Some(first) = once.replay(store).await? {
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
        let message = Message::new(&conversation, team(caller), body, now);
        let created = ConversationCreated {
            conversation_id: conversation.id.clone(),
            message_id: message.id.clone(),
        };
        let record = once.record(&created);
        let notice = bell(&conversation, now);
        let written = store
            .create_conversation(&conversation, &message, &notice, record.as_ref())
            .await;
        if let Some(first) = once.settle(store, written, DomainError::from).await? {
            return Ok(first);
        }
        tracing::info!(conversation_id = %conversation.id, study_id = %study.id, "conversation started");
        self.notify_by_email(&study, &conversation, &message).await;
        Ok(created)
    }

    /// Any member of the study team writes in an existing conversation.
    pub async fn post_team_message(
        &self,
        asked: Asked<'_>,
        study_id: &str,
        conversation_id: &str,
        body: &str,
    ) -> Result<MessageCreated, DomainError> {
        let store = self.store;
        let (caller, now, once) = (asked.caller, asked.now, asked.once());
        let ask = TeamAsk {
            caller,
            study_id,
            id: conversation_id,
            now,
        };
        let (study, conversation) = team_conversation(store, ask).await?;
        if let Some(first) = once.replay(store).await? {
            return Ok(first);
        }
        let message = Message::new(&conversation, team(caller), checked_body(body)?, now);
        let created = message.created();
        let record = once.record(&created);
        let bells = [bell(&conversation, now)];
        let written = store
            .append_message(&conversation, &message, &bells, record.as_ref())
            .await;
        let refused = |e| match e {
            StoreError::ConditionFailed => DomainError::NotFound("conversation"),
            e => e.into(),
        };
        if let Some(first) = once.settle(store, written, refused).await? {
            return Ok(first);
        }
        self.notify_by_email(&study, &conversation, &message).await;
        Ok(created)
    }
}

/// The conversation, if it is in this study and the caller is on the study's team.
async fn team_conversation<S: StudyStore + ConversationStore>(
    store: &S,
    ask: TeamAsk<'_>,
) -> Result<(Study, Conversation), DomainError> {
    team_find(
        store,
        ask,
        "conversation",
        store.get_conversation(ask.study_id, ask.id),
    )
    .await
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
    ask: TeamAsk<'_>,
    page: &PageRequest,
) -> Result<Page<MessageView>, DomainError> {
    let (_, conversation) = team_conversation(store, ask).await?;
    let messages = store.list_messages(&conversation.id, page).await?;
    store
        .set_member_seen(
            &conversation.id,
            &ask.caller.user_id,
            conversation.participant_messages,
        )
        .await?;
    Ok(messages.map(MessageView::for_team))
}
