//! Studies and their teams. A study belongs to one workspace; only its team (owners and
//! teammates) sees it. Everyone else gets 404, workspace colleagues included.

use crate::domain::phone::Phone;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::enums::string_enum;
use super::pagination::{Page, PageRequest};
use super::workspaces::require_member;
use super::{ids, phone, validation, Asked, Caller, DomainError, FieldError, TeamAsk};
use crate::ports::{
    AccessStore, IdempotencyStore, MemberDirectory, Removal, StoreError, StudyStore, WorkspaceStore,
};
use std::future::Future;

pub const NAME_MAX_CHARS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StudyKind {
    Interview,
    Survey,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recruitment {
    Direct,
    Respondent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    Owner,
    Teammate,
}

string_enum!(StudyKind { Interview => "interview", Survey => "survey" });
string_enum!(Recruitment { Direct => "direct", Respondent => "respondent" });
string_enum!(TeamRole { Owner => "owner", Teammate => "teammate" });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Study {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub kind: StudyKind,
    pub recruitment: Recruitment,
    /// The team's contact phone, shown to participants in notifications.
    pub contact_phone: Option<Phone>,
    /// The unguessable token of the study's public sign-up link.
    pub share_token: String,
    pub interview_reminder: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    pub study_id: String,
    pub user_id: String,
    pub role: TeamRole,
    /// May chat with participants recruited from the external panel.
    pub external_panel: bool,
}

/// What a client asks for when it creates a study, already type-checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStudy {
    pub name: String,
    pub kind: StudyKind,
    pub recruitment: Recruitment,
    pub contact_phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StudySms {
    pub interview_reminder: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StudyView {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub kind: StudyKind,
    pub recruitment: Recruitment,
    pub contact_phone: Option<Phone>,
    pub share_token: String,
    pub sms: StudySms,
}

crate::from_fields!(|s: &Study| StudyView {
    id, workspace_id, name, kind, recruitment, contact_phone, share_token;
    sms: StudySms { interview_reminder: s.interview_reminder },
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TeamMemberView {
    pub study_id: String,
    pub user_id: String,
    pub role: TeamRole,
    pub external_panel: bool,
}

crate::from_fields!(|m: TeamMember| TeamMemberView {
    study_id,
    user_id,
    role,
    external_panel
});

/// Interview studies remind participants by default; surveys have no interview to
/// remind of.
pub fn default_interview_reminder(kind: StudyKind) -> bool {
    kind == StudyKind::Interview
}

/// The study and the caller's place on its team, or 404 for anyone not on it, and for
/// anyone taken off the study's workspace (their team entries stay, unused).
pub async fn require_team<S: StudyStore>(
    store: &S,
    study_id: &str,
    caller: &Caller,
) -> Result<(Study, TeamMember), DomainError> {
    let (member, study) = futures::try_join!(
        store.get_team_member(study_id, &caller.user_id),
        store.get_study(study_id)
    )?;
    let (Some(member), Some(study)) = (member, study) else {
        return Err(DomainError::NotFound("study"));
    };
    store
        .get_membership(&study.workspace_id, &caller.user_id)
        .await?
        .ok_or(DomainError::NotFound("study"))?;
    Ok((study, member))
}

/// The study a team member asks about and what `find` finds in it (`find` runs only
/// once the caller is known to be on the team): 404 naming `what` when it finds nothing.
pub async fn team_find<S: StudyStore, T>(
    store: &S,
    ask: TeamAsk<'_>,
    what: &'static str,
    find: impl Future<Output = Result<Option<T>, StoreError>>,
) -> Result<(Study, T), DomainError> {
    let (study, _) = require_team(store, ask.study_id, ask.caller).await?;
    let found = find.await?.ok_or(DomainError::NotFound(what))?;
    Ok((study, found))
}

pub async fn create_study<S>(
    store: &S,
    asked: Asked<'_>,
    workspace_id: &str,
    new: NewStudy,
) -> Result<StudyView, DomainError>
where
    S: WorkspaceStore + StudyStore + IdempotencyStore,
{
    let (caller, now, once) = (asked.caller, asked.now, asked.once());
    require_member(store, workspace_id, caller).await?;
    if let Some(first) = once.replay(store).await? {
        return Ok(first);
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let name = validation::display_name("name", &new.name, NAME_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    let contact_phone = match new.contact_phone.as_deref() {
        None => None,
        Some(raw) => phone::parse_e164("contact_phone", raw)
            .map_err(|e| errors.push(e))
            .ok(),
    };
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(DomainError::Validation(errors));
    };
    let study = Study {
        id: ids::new_id("st"),
        workspace_id: workspace_id.to_owned(),
        name,
        kind: new.kind,
        recruitment: new.recruitment,
        contact_phone,
        share_token: ids::new_token(),
        interview_reminder: default_interview_reminder(new.kind),
        created_by: caller.user_id.clone(),
        created_at: now,
    };
    let owner = TeamMember {
        study_id: study.id.clone(),
        user_id: caller.user_id.clone(),
        role: TeamRole::Owner,
        // The creator of a panel-recruited study can chat with its panel from the
        // start; they can drop the permission like any other.
        external_panel: study.recruitment == Recruitment::Respondent,
    };
    let view = StudyView::from(&study);
    let record = once.record(&view);
    let written = store.create_study(&study, &owner, record.as_ref()).await;
    let first = once
        .settle(store, written, |e| match e {
            // The creator's membership vanished between the check and the write.
            StoreError::ConditionFailed => DomainError::NotFound("workspace"),
            e => e.into(),
        })
        .await?;
    Ok(first.unwrap_or(view))
}

/// `GET /workspaces/{ws}/studies`: the workspace's studies the caller may see, those
/// whose team they are on. A non-member sees no workspace (404).
pub async fn list_studies<S: WorkspaceStore + MemberDirectory>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    page: &PageRequest,
) -> Result<Page<StudyView>, DomainError> {
    require_member(store, workspace_id, caller).await?;
    let page = store
        .list_user_studies(&caller.user_id, workspace_id, page)
        .await?;
    Ok(page.map(|study| StudyView::from(&study)))
}

pub async fn get_study<S: StudyStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
) -> Result<StudyView, DomainError> {
    let (study, _) = require_team(store, study_id, caller).await?;
    Ok(StudyView::from(&study))
}

/// Puts a user on the study team or changes their role and panel permission. Only
/// owners may; the user must be a member of the study's workspace (422 otherwise), and
/// the last owner cannot step down (409).
pub async fn set_team_member<S: StudyStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    user_id: &str,
    role: TeamRole,
    external_panel: bool,
) -> Result<TeamMemberView, DomainError> {
    let (study, me) = require_team(store, study_id, caller).await?;
    if me.role != TeamRole::Owner {
        return Err(DomainError::Forbidden(
            "only a study owner may change the team",
        ));
    }
    let previous = store
        .get_team_member(study_id, user_id)
        .await?
        .map(|m| m.role);
    let member = TeamMember {
        study_id: study_id.to_owned(),
        user_id: user_id.to_owned(),
        role,
        external_panel,
    };
    match store.put_team_member(&study, &member, previous).await {
        Ok(()) => Ok(member.into()),
        Err(StoreError::ConditionFailed) => Err(team_write_conflict(previous, role)),
        Err(e) => Err(e.into()),
    }
}

/// Takes a user off the study team. Only owners may; from then on the study answers
/// them 404. The last owner cannot be removed (409).
pub async fn remove_team_member<S: StudyStore + AccessStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    user_id: &str,
) -> Result<(), DomainError> {
    let (_, me) = require_team(store, study_id, caller).await?;
    if me.role != TeamRole::Owner {
        return Err(DomainError::Forbidden(
            "only a study owner may change the team",
        ));
    }
    let member = store
        .get_team_member(study_id, user_id)
        .await?
        .ok_or(DomainError::NotFound("team member"))?;
    match store.remove_team_member(&member).await? {
        Removal::Removed => Ok(()),
        Removal::LastOne => Err(DomainError::conflict(
            "last_owner",
            "a study must keep at least one owner",
        )),
        Removal::Changed => Err(DomainError::conflict(
            "concurrent_change",
            "the team changed while this request ran; retry",
        )),
    }
}

fn team_write_conflict(previous: Option<TeamRole>, role: TeamRole) -> DomainError {
    match previous {
        None => DomainError::invalid("user_id", "must be a member of the study's workspace"),
        Some(TeamRole::Owner) if role != TeamRole::Owner => {
            DomainError::conflict("last_owner", "a study must keep at least one owner")
        }
        Some(_) => DomainError::conflict(
            "concurrent_change",
            "the team changed while this request ran; retry",
        ),
    }
}

pub async fn list_team<S: StudyStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    page: &PageRequest,
) -> Result<Page<TeamMemberView>, DomainError> {
    require_team(store, study_id, caller).await?;
    let page = store.list_team(study_id, page).await?;
    Ok(page.map(TeamMemberView::from))
}

/// The per-study "Interview Reminder" switch; owners and teammates may flip it.
pub async fn set_study_sms<S: StudyStore>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    interview_reminder: bool,
) -> Result<StudySms, DomainError> {
    let (study, _) = require_team(store, study_id, caller).await?;
    if interview_reminder && study.kind != StudyKind::Interview {
        return Err(DomainError::invalid(
            "interview_reminder",
            "interview reminders apply only to interview studies",
        ));
    }
    match store
        .set_interview_reminder(study_id, interview_reminder)
        .await
    {
        Ok(()) => Ok(StudySms { interview_reminder }),
        // Deleted between the read and the write: gone, not unavailable.
        Err(StoreError::ConditionFailed) => Err(DomainError::NotFound("study")),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_interview_studies_remind_by_default() {
        assert!(default_interview_reminder(StudyKind::Interview));
        assert!(!default_interview_reminder(StudyKind::Survey));
    }

    #[test]
    fn enum_names_round_trip() {
        for name in StudyKind::NAMES {
            assert_eq!(StudyKind::parse(name).unwrap().as_str(), *name);
        }
        assert_eq!(
            Recruitment::parse("respondent"),
            Some(Recruitment::Respondent)
        );
        assert_eq!(TeamRole::parse("boss"), None);
    }

    #[test]
    fn a_failed_team_write_explains_itself() {
        assert!(matches!(
            team_write_conflict(None, TeamRole::Teammate),
            DomainError::Validation(_)
        ));
        assert!(matches!(
            team_write_conflict(Some(TeamRole::Owner), TeamRole::Teammate),
            DomainError::Conflict {
                code: "last_owner",
                ..
            }
        ));
    }
}
