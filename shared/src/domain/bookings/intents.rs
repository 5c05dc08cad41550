//! The texts a booking calls for: a confirmation now and a reminder before the start.
use chrono::{DateTime, Utc};

use crate::domain::sms::{reminder_lead, SmsIntent, SmsKind};
use crate::domain::studies::{Study, StudyKind};
use crate::domain::DomainError;
use crate::ports::WorkspaceStore;

/// Whether the study's workspace sends SMS at all, and whether this study sends
/// interview reminders.
pub(super) struct SmsSwitches {
    pub(super) workspace_sms: bool,
    pub(super) interview_reminder: bool,
}

impl SmsSwitches {
    /// SMS consent is required when the workspace has SMS on and the interview study
    /// keeps its reminder on.
    pub(super) fn consent_required(&self) -> bool {
        self.workspace_sms && self.interview_reminder
    }
}

pub(super) async fn sms_switches<S: WorkspaceStore>(
    store: &S,
    study: &Study,
) -> Result<SmsSwitches, DomainError> {
    let workspace = store
        .get_workspace(&study.workspace_id)
        .await?
        .ok_or(DomainError::NotFound("study"))?;
    Ok(SmsSwitches {
        workspace_sms: workspace.sms_enabled,
        interview_reminder: study.kind == StudyKind::Interview && study.interview_reminder,
    })
}

/// The texts a new booking calls for: a confirmation now and, where reminders are on
/// and there is still time, a reminder 15 minutes before the start.
pub fn booking_intents(
    booking_id: &str,
    starts_at: DateTime<Utc>,
    reminder_on: bool,
    now: DateTime<Utc>,
) -> (SmsIntent, Option<SmsIntent>) {
    let confirmation = SmsIntent::new(booking_id, SmsKind::Confirmation, now, starts_at);
    let reminder = reminder_intent(booking_id, starts_at, reminder_on, now);
    (confirmation, reminder)
}

pub fn reminder_intent(
    booking_id: &str,
    starts_at: DateTime<Utc>,
    reminder_on: bool,
    now: DateTime<Utc>,
) -> Option<SmsIntent> {
    let due = starts_at - reminder_lead();
    (reminder_on && due > now)
        .then(|| SmsIntent::new(booking_id, SmsKind::Reminder, due, starts_at))
}
