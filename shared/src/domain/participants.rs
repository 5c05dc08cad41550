//! Study participants: one record per person per study, keyed by their email (an
//! account meets its study records by verified email, case-insensitively).
use crate::domain::phone::Phone;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::destinations::SmsDestinations;
use super::enums::string_enum;
use super::studies::{require_team, Recruitment};
use super::{phone, validation, Asked, Caller, DomainError, FieldError};
use crate::ports::{IdempotencyStore, ParticipantStore, StoreError, StudyStore};

pub const NAME_MAX_CHARS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantStatus {
    Applied,
    Approved,
}
string_enum!(ParticipantStatus { Applied => "applied", Approved => "approved" });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub id: String,
    pub study_id: String,
    pub workspace_id: String,
    pub email: String,
    pub name: String,
    pub phone: Option<Phone>,
    pub source: Recruitment,
    pub panel_participant_id: Option<String>,
    pub status: ParticipantStatus,
    pub created_at: DateTime<Utc>,
}

/// Which of a study's participants a list shows (`None`: any).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParticipantFilter {
    pub status: Option<ParticipantStatus>,
    pub source: Option<Recruitment>,
    /// Only those the external panel knows (with a panel participant id).
    pub panel_only: bool,
}

/// The participant id for this email in this study: the same person signing up twice
/// meets their own record instead of making a second one.
pub fn participant_id(study_id: &str, email: &str) -> String {
    let digest = hex::encode(Sha256::digest(format!(
        "{study_id}\n{}",
        email.to_lowercase()
    )));
    format!("pt_{}", &digest[..24])
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewParticipant {
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub source: Recruitment,
    pub panel_participant_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParticipantCreated {
    pub id: String,
    pub status: ParticipantStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParticipantApproved {
    pub status: ParticipantStatus,
}

/// The study team adds a participant (an applicant, until approved). A phone number
/// entered by staff is kept for contact; it carries no SMS consent.
pub async fn add_participant<S: StudyStore + ParticipantStore + IdempotencyStore>(
    store: &S,
    destinations: &SmsDestinations,
    asked: Asked<'_>,
    study_id: &str,
    new: NewParticipant,
) -> Result<ParticipantCreated, DomainError> {
    let (caller, now, once) = (asked.caller, asked.now, asked.once());
    let (study, _) = require_team(store, study_id, caller).await?;
    if let Some(first) = once.replay(store).await? {
        return Ok(first);
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let email = validation::email("email", &new.email)
        .map_err(|e| errors.push(e))
        .ok();
    let name = validation::display_name("name", &new.name, NAME_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    let phone = match new.phone.as_deref() {
        // Staff may later record consent for it, so it must be a number texts may go to.
        Some(raw) => phone::parse_e164("phone", raw)
            .and_then(|p| destinations.check_field("phone", &p).map(|()| p))
            .map_err(|e| errors.push(e))
            .ok(),
        None => None,
    };
    if new.source != study.recruitment {
        errors.push(FieldError::new(
            "source",
            format!(
                "must match the study's recruitment ({})",
                study.recruitment.as_str()
            ),
        ));
    }
    let panel_id = new
        .panel_participant_id
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if new.source == Recruitment::Respondent && panel_id.is_none() {
        errors.push(FieldError::new(
            "panel_participant_id",
            "is required for panel participants",
        ));
    }
    let (Some(email), Some(name)) = (email, name) else {
        return Err(DomainError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let participant = Participant {
        id: participant_id(&study.id, &email),
        study_id: study.id.clone(),
        workspace_id: study.workspace_id.clone(),
        email,
        name,
        phone,
        source: new.source,
        panel_participant_id: panel_id,
        status: ParticipantStatus::Applied,
        created_at: now,
    };
    let created = ParticipantCreated {
        id: participant.id.clone(),
        status: participant.status,
    };
    let record = once.record(&created);
    let written = store
        .create_participant(&participant, record.as_ref())
        .await;
    let first = once
        .settle(store, written, |e| match e {
            StoreError::ConditionFailed => DomainError::conflict(
                "participant_exists",
                "a participant with this email (or panel id) is already in the study",
            ),
            e => e.into(),
        })
        .await?;
    Ok(first.unwrap_or(created))
}

pub async fn approve_participant<S: StudyStore + ParticipantStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    participant_id: &str,
) -> Result<ParticipantApproved, DomainError> {
    require_team(store, study_id, caller).await?;
    match store.approve_participant(study_id, participant_id).await {
        Ok(()) => Ok(ParticipantApproved {
            status: ParticipantStatus::Approved,
        }),
        Err(StoreError::ConditionFailed) => Err(DomainError::NotFound("participant")),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn participant_ids_ignore_email_case_and_differ_per_study() {
        let a = super::participant_id("st_1", "Ann@Example.org");
        assert_eq!(a, super::participant_id("st_1", "ann@example.org"));
        assert_ne!(a, super::participant_id("st_2", "ann@example.org"));
        assert!(a.starts_with("pt_"));
    }
}
