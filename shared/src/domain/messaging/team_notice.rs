//! Telling the study team a participant replied: a bell notification for every member
//! (each with their own read state), written with the reply, and an email to each
//! member who has not turned reply emails off, at most one per thread per member in
//! any 15 minutes. The email names no participant, study or content: fixed words, the
//! product name, and a link made of ids.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::email::Email;
use super::{notification_id, MessagingSettings, Messenger, Notification, NotificationSubject};
use crate::domain::{Caller, DomainError};
use crate::ports::{EmailSuppressionStore, Mailer, SendError, StoreError, TeamNoticeStore};

/// The quiet period: a member gets at most one reply email per thread in this time.
pub const QUIET_SECONDS: i64 = 15 * 60;

/// A member of the study team a reply notifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: String,
    /// From the workspace membership; a member without one gets no bell or email.
    pub email: Option<String>,
    /// The member's own setting (`PUT /me/settings/notifications`), on by default.
    pub reply_emails: bool,
}

/// A user's notification settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NotificationSettings {
    /// Email me when a participant replies (at most once per thread per 15 minutes).
    pub reply_emails: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self { reply_emails: true }
    }
}

/// Where a reply landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyThread<'a> {
    Conversation {
        study_id: &'a str,
        conversation_id: &'a str,
    },
    PanelChat {
        study_id: &'a str,
        participant_id: &'a str,
    },
}

impl ReplyThread<'_> {
    /// The thread's key for the quiet period (`conversation:<cid>`, `panel:<sid>:<pid>`).
    pub fn key(&self) -> String {
        match self {
            Self::Conversation {
                conversation_id, ..
            } => format!("conversation:{conversation_id}"),
            Self::PanelChat {
                study_id,
                participant_id,
            } => format!("panel:{study_id}:{participant_id}"),
        }
    }

    fn subject(&self) -> NotificationSubject {
        match *self {
            Self::Conversation {
                study_id,
                conversation_id,
            } => NotificationSubject::ParticipantReply {
                study_id: study_id.to_owned(),
                conversation_id: conversation_id.to_owned(),
            },
            Self::PanelChat {
                study_id,
                participant_id,
            } => NotificationSubject::PanelReply {
                study_id: study_id.to_owned(),
                participant_id: participant_id.to_owned(),
            },
        }
    }

    /// The researcher app's page for the thread: ids only.
    fn link(&self, app_url: &str) -> String {
        let base = app_url.trim_end_matches('/');
        match self {
            Self::Conversation {
                study_id,
                conversation_id,
            } => format!("{base}/studies/{study_id}/conversations/{conversation_id}"),
            Self::PanelChat {
                study_id,
                participant_id,
            } => format!("{base}/studies/{study_id}/chat/{participant_id}"),
        }
    }
}

/// Who a reply in `thread` (of a study in `workspace_id`) notifies, and their bells: a
/// panel chat's replies go to those with the panel permission only.
pub async fn notified<S: TeamNoticeStore>(
    store: &S,
    thread: &ReplyThread<'_>,
    workspace_id: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<Recipient>, Vec<Notification>), StoreError> {
    let (study_id, panel_only) = match *thread {
        ReplyThread::Conversation { study_id, .. } => (study_id, false),
        ReplyThread::PanelChat { study_id, .. } => (study_id, true),
    };
    let team = store
        .reply_recipients(study_id, workspace_id, panel_only)
        .await?;
    let bells = bells(&team, thread, now);
    Ok((team, bells))
}

/// One bell per member who has an email to be found by.
fn bells(team: &[Recipient], thread: &ReplyThread<'_>, now: DateTime<Utc>) -> Vec<Notification> {
    team.iter()
        .filter_map(|member| member.email.as_deref())
        .map(|email| Notification {
            id: notification_id(now),
            user_email: email.trim().to_lowercase(),
            subject: thread.subject(),
            created_at: now,
            read: false,
        })
        .collect()
}

/// The reply email (`templates/team_reply.*` in the layout): only fixed words, the
/// product name, the thread's link and platform support's contact.
pub fn reply_email(settings: &MessagingSettings, link: &str) -> Email {
    let product = settings.product_name.as_str();
    super::render::render(
        &super::render::TEAM_REPLY,
        &super::render::Content {
            product,
            subject: format!("{product} | A participant replied"),
            preheader: "A participant replied. Sign in to read it.",
            heading: "A participant replied",
            reason: &format!(
                "You are getting this email because you are on a study team on {product} with reply emails on. You can turn them off in your notification settings."
            ),
            support: settings.support_contact.as_deref(),
            button: Some(("View the conversation", link)),
            values: Vec::new(),
        },
    )
}

impl<S, M> Messenger<'_, S, M>
where
    S: TeamNoticeStore + EmailSuppressionStore,
    M: Mailer,
{
    /// Emails each member who wants reply emails, unless they had one for this thread
    /// in the quiet period. A failed email never undoes the reply; one SES surely did
    /// not take frees the quiet period again, one that may have gone out keeps it
    /// (never sent twice).
    pub async fn email_team(
        &self,
        team: &[Recipient],
        thread: &ReplyThread<'_>,
        now: DateTime<Utc>,
    ) {
        let Self {
            store,
            mailer,
            settings,
        } = *self;
        let key = thread.key();
        let addresses: Vec<String> = team
            .iter()
            .filter_map(|m| m.email.as_deref().map(super::reachability::normalise))
            .collect();
        let suppressed = store.email_problems(&addresses).await.unwrap_or_else(|e| {
            tracing::warn!(thread = %key, error = %e, "could not check the team's addresses; emailing");
            Default::default()
        });
        let email = reply_email(settings, &thread.link(&settings.app_url));
        for member in team.iter().filter(|m| m.reply_emails) {
            let Some(address) = member.email.as_deref() else {
                continue;
            };
            if suppressed.contains_key(&super::reachability::normalise(address)) {
                tracing::info!(user_id = %member.user_id, thread = %key, "member's address bounced or complained; not emailed");
                continue;
            }
            match store
                .claim_reply_email(&member.user_id, &key, now, QUIET_SECONDS)
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    tracing::info!(user_id = %member.user_id, thread = %key, "reply email skipped: one went out in the quiet period");
                    continue;
                }
                Err(e) => {
                    tracing::warn!(user_id = %member.user_id, thread = %key, error = %e, "could not claim the reply email");
                    continue;
                }
            }
            match mailer.send_email(address, &email).await {
                Ok(()) => {
                    tracing::info!(user_id = %member.user_id, thread = %key, "reply email sent")
                }
                Err(SendError::Unconfirmed(why)) => {
                    tracing::error!(user_id = %member.user_id, thread = %key, error = %why, "reply email unconfirmed; not resent");
                }
                Err(e) => {
                    tracing::error!(user_id = %member.user_id, thread = %key, error = %e, "reply email failed");
                    if let Err(e) = store.release_reply_email(&member.user_id, &key, now).await {
                        tracing::warn!(user_id = %member.user_id, thread = %key, error = %e, "could not release the reply email claim");
                    }
                }
            }
        }
    }
}

/// `GET /me/settings/notifications`.
pub async fn my_settings<S: TeamNoticeStore>(
    store: &S,
    caller: &Caller,
) -> Result<NotificationSettings, DomainError> {
    Ok(store.notification_settings(&caller.user_id).await?)
}

/// `PUT /me/settings/notifications`.
pub async fn set_my_settings<S: TeamNoticeStore>(
    store: &S,
    caller: &Caller,
    settings: NotificationSettings,
) -> Result<NotificationSettings, DomainError> {
    store
        .put_notification_settings(&caller.user_id, &settings)
        .await?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, email: Option<&str>, on: bool) -> Recipient {
        Recipient {
            user_id: id.into(),
            email: email.map(str::to_owned),
            reply_emails: on,
        }
    }

    #[test]
    fn every_member_with_an_email_gets_their_own_bell() {
        let thread = ReplyThread::Conversation {
            study_id: "st_1",
            conversation_id: "cv_1",
        };
        let team = [
            member("u1", Some("Owner@Example.org"), true),
            member("u2", Some("mate@example.org"), false),
            member("u3", None, true),
        ];
        let bells = bells(&team, &thread, Utc::now());
        let to: Vec<&str> = bells.iter().map(|b| b.user_email.as_str()).collect();
        assert_eq!(to, ["owner@example.org", "mate@example.org"]);
        assert!(bells.iter().all(|b| !b.read
            && b.subject
                == NotificationSubject::ParticipantReply {
                    study_id: "st_1".into(),
                    conversation_id: "cv_1".into()
                }));
    }

    #[test]
    fn the_reply_email_names_nothing_but_the_product_and_links_by_id() {
        let thread = ReplyThread::PanelChat {
            study_id: "st_9",
            participant_id: "pt_4",
        };
        let settings = MessagingSettings {
            product_name: "Rally".into(),
            app_url: "https://app.example.com/".into(),
            support_contact: Some("support@rally.example".into()),
        };
        let email = reply_email(&settings, &thread.link(&settings.app_url));
        assert_eq!(email.subject, "Rally | A participant replied");
        assert!(email
            .text
            .contains("View the conversation: https://app.example.com/studies/st_9/chat/pt_4"));
        assert!(email
            .html
            .contains("href=\"https://app.example.com/studies/st_9/chat/pt_4\""));
        assert!(email.html.contains(">View the conversation</a>"));
        for part in [&email.html, &email.text] {
            assert!(part.contains("Contact Us"), "{part}");
            assert!(
                part.contains("You are getting this email because"),
                "{part}"
            );
        }
        assert_eq!(thread.key(), "panel:st_9:pt_4");
    }
}
