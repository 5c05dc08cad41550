//! What the study team sees of its participants: the list (newest first, by status)
//! and one participant's profile, with their bookings and the consent history of their
//! phone in the study's workspace.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::booking_changes::TeamBookingView;
use super::consent::{ConsentAction, ConsentRecord, ConsentSource, ConsentState};
use super::messaging::reachability::{normalise, EmailStatus};
use super::pagination::{Page, PageRequest};
use super::participants::{Participant, ParticipantFilter, ParticipantStatus};
use super::studies::{require_team, team_find, Recruitment, Study};
use super::{Caller, DomainError, TeamAsk};
use crate::ports::{
    ConsentStore, EmailSuppressionStore, ParticipantStore, StudyDirectory, StudyStore,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ParticipantView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub status: ParticipantStatus,
    pub source: Recruitment,
    pub panel_participant_id: Option<String>,
    pub phone_last4: Option<String>,
    pub created_at: DateTime<Utc>,
}

crate::from_fields!(|p: &Participant| ParticipantView {
    id, email, name, status, source, panel_participant_id, created_at;
    phone_last4: p.phone.as_deref().map(crate::telemetry::phone_last4),
});

/// One event of a phone's consent history, as the study team sees it: the evidence
/// of where a request came from (address, browser) stays with the admins' export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ConsentHistoryEntry {
    pub at: DateTime<Utc>,
    pub action: ConsentAction,
    pub source: ConsentSource,
    pub study_id: Option<String>,
    pub booking_id: Option<String>,
    pub actor: Option<String>,
    pub disclosure_version: Option<String>,
    pub keyword: Option<String>,
    pub note: Option<String>,
}

crate::from_fields!(|r: ConsentRecord| ConsentHistoryEntry {
    at,
    action,
    source,
    study_id,
    booking_id,
    actor,
    disclosure_version,
    keyword,
    note,
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProfileSms {
    /// The workspace's consent for the participant's phone.
    pub consent: ConsentState,
    /// The platform-wide opt-out of that phone.
    pub opted_out: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ParticipantProfile {
    #[serde(flatten)]
    pub participant: ParticipantView,
    pub sms: ProfileSms,
    /// Whether email reaches the participant (`bounced` / `complained`: it does not, and
    /// nothing is emailed to them; the study's phone is the way left).
    pub email_status: EmailStatus,
    /// The first page; `next` continues at `GET .../participants/{pid}/bookings`.
    pub bookings: Page<TeamBookingView>,
    /// The first page, oldest first; `next` continues at
    /// `GET .../participants/{pid}/consent-records`.
    pub consent_records: Page<ConsentHistoryEntry>,
}

/// `GET /studies/{sid}/participants?status=`: newest first.
pub async fn list_participants<S: StudyStore + StudyDirectory>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    status: Option<&str>,
    page: &PageRequest,
) -> Result<Page<ParticipantView>, DomainError> {
    let (study, _) = require_team(store, study_id, caller).await?;
    let status = match status {
        None => None,
        Some(raw) => Some(ParticipantStatus::parse(raw).ok_or_else(|| {
            DomainError::invalid(
                "status",
                &format!("must be one of {}", ParticipantStatus::NAMES.join(", ")),
            )
        })?),
    };
    let filter = ParticipantFilter {
        status,
        ..ParticipantFilter::default()
    };
    let page = store.list_participants(&study.id, &filter, page).await?;
    Ok(page.map(|p| ParticipantView::from(&p)))
}

/// The participant, if they are in this study and the caller is on the study's team.
async fn team_participant<S: StudyStore + ParticipantStore>(
    store: &S,
    ask: TeamAsk<'_>,
) -> Result<(Study, Participant), DomainError> {
    team_find(
        store,
        ask,
        "participant",
        store.get_participant(ask.study_id, ask.id),
    )
    .await
}

async fn bookings_page<S: StudyDirectory>(
    store: &S,
    participant: &Participant,
    page: &PageRequest,
) -> Result<Page<TeamBookingView>, DomainError> {
    let page = store
        .list_participant_bookings(&participant.study_id, &participant.id, page)
        .await?;
    Ok(page.map(|b| TeamBookingView::from(&b)))
}

async fn history_page<S: ConsentStore>(
    store: &S,
    participant: &Participant,
    page: &PageRequest,
) -> Result<Page<ConsentHistoryEntry>, DomainError> {
    let Some(phone) = participant.phone.as_ref() else {
        return Ok(Page::empty());
    };
    let page = store
        .list_consent_records(&participant.workspace_id, Some(phone), page)
        .await?;
    Ok(page.map(ConsentHistoryEntry::from))
}

/// `GET /studies/{sid}/participants/{pid}`: who they are, their phone's SMS state in
/// the workspace, and the first page of their bookings and of that phone's consent
/// history (`page.limit` each).
pub async fn participant_profile<S>(
    store: &S,
    ask: TeamAsk<'_>,
    page: &PageRequest,
) -> Result<ParticipantProfile, DomainError>
where
    S: StudyStore + ParticipantStore + StudyDirectory + ConsentStore + EmailSuppressionStore,
{
    let (_, participant) = team_participant(store, ask).await?;
    let address = normalise(&participant.email);
    let first = PageRequest::first(page.limit);
    let sms = async {
        let Some(phone) = participant.phone.as_ref() else {
            return Ok(ProfileSms {
                consent: ConsentState::None,
                opted_out: false,
            });
        };
        let (consent, opted_out) = futures::try_join!(
            store.consent_state(&participant.workspace_id, phone),
            store.is_opted_out(phone)
        )?;
        Ok::<_, DomainError>(ProfileSms { consent, opted_out })
    };
    let email =
        async { Ok::<_, DomainError>(store.email_problems(std::slice::from_ref(&address)).await?) };
    let (sms, email, bookings, consent_records) = futures::try_join!(
        sms,
        email,
        bookings_page(store, &participant, &first),
        history_page(store, &participant, &first)
    )?;
    Ok(ParticipantProfile {
        participant: ParticipantView::from(&participant),
        sms,
        email_status: email.get(&address).copied().into(),
        bookings,
        consent_records,
    })
}

/// `GET /studies/{sid}/participants/{pid}/bookings`: newest first.
pub async fn participant_bookings<S: StudyStore + ParticipantStore + StudyDirectory>(
    store: &S,
    ask: TeamAsk<'_>,
    page: &PageRequest,
) -> Result<Page<TeamBookingView>, DomainError> {
    let (_, participant) = team_participant(store, ask).await?;
    bookings_page(store, &participant, page).await
}

/// `GET /studies/{sid}/participants/{pid}/consent-records`: the consent history of
/// the participant's phone in the study's workspace, oldest first.
pub async fn participant_consent_records<S: StudyStore + ParticipantStore + ConsentStore>(
    store: &S,
    ask: TeamAsk<'_>,
    page: &PageRequest,
) -> Result<Page<ConsentHistoryEntry>, DomainError> {
    let (_, participant) = team_participant(store, ask).await?;
    history_page(store, &participant, page).await
}
