//! The study team's changes to a booking: reschedule, cancel, a fixed day-of update,
//! and the booking's SMS delivery log. Each change files the texts it calls for in the
//! same transaction; whether they may still go out is decided again at send time.
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::bookings::{reminder_intent, Booking, BookingStatus, MAX_BOOKING_AHEAD_DAYS};
use super::sms::{send_deadline, too_late, DayOfUpdate, SmsIntent, SmsKind, SmsLogEntry};
use super::studies::{team_find, Study, StudyKind};
use super::{DomainError, TeamAsk};
use crate::ports::{
    BookingStore, ConsentStore, EventPublisher, SmsStore, StoreError, StudyStore, WorkspaceStore,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TeamBookingView {
    pub booking_id: String,
    pub participant_id: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub status: BookingStatus,
    pub phone_last4: Option<String>,
}

crate::from_fields!(|b: &Booking| TeamBookingView {
    participant_id, starts_at, status;
    booking_id: b.id.clone(),
    time_zone: b.time_zone.name().to_owned(),
    phone_last4: b.phone.as_deref().map(crate::telemetry::phone_last4),
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SmsLog {
    pub items: Vec<SmsLogEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DayOfQueued {
    /// False when no text can go out (no phone on the booking, or SMS off).
    pub queued: bool,
}

/// The booking, if it belongs to this study and the caller is on the study's team.
async fn team_booking<S>(store: &S, ask: TeamAsk<'_>) -> Result<(Study, Booking), DomainError>
where
    S: StudyStore + BookingStore,
{
    let in_study = |b: &Booking| b.study_id == ask.study_id;
    let booking = async { Ok(store.get_booking(ask.id).await?.filter(in_study)) };
    team_find(store, ask, "booking", booking).await
}

fn require_booked(booking: &Booking) -> Result<(), DomainError> {
    if booking.status == BookingStatus::Cancelled {
        return Err(DomainError::conflict(
            "booking_cancelled",
            "the booking is cancelled",
        ));
    }
    Ok(())
}

/// Whether texts can go to this booking at all: a phone given with consent, and the
/// workspace's SMS on.
async fn texts_on<S: WorkspaceStore>(store: &S, booking: &Booking) -> Result<bool, DomainError> {
    if booking.phone.is_none() {
        return Ok(false);
    }
    Ok(store
        .get_workspace(&booking.workspace_id)
        .await?
        .is_some_and(|w| w.sms_enabled))
}

fn concurrent_change(e: StoreError) -> DomainError {
    match e {
        StoreError::ConditionFailed => DomainError::conflict(
            "concurrent_change",
            "the booking changed while this request ran; reload it and retry",
        ),
        other => other.into(),
    }
}

fn parse_new_start(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, DomainError> {
    let starts_at = DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            DomainError::invalid(
                "starts_at",
                "must be an RFC 3339 time, e.g. 2026-12-01T15:00:00Z",
            )
        })?;
    if starts_at <= now {
        return Err(DomainError::invalid("starts_at", "must be in the future"));
    }
    if starts_at > now + Duration::days(MAX_BOOKING_AHEAD_DAYS) {
        return Err(DomainError::invalid(
            "starts_at",
            "must be within two years",
        ));
    }
    Ok(starts_at)
}

pub async fn reschedule<S, E>(
    store: &S,
    events: &E,
    ask: TeamAsk<'_>,
    starts_at: &str,
) -> Result<TeamBookingView, DomainError>
where
    S: StudyStore + WorkspaceStore + BookingStore,
    E: EventPublisher,
{
    let now = ask.now;
    let (study, booking) = team_booking(store, ask).await?;
    require_booked(&booking)?;
    let new_start = parse_new_start(starts_at, now)?;
    if new_start == booking.starts_at {
        return Ok(TeamBookingView::from(&booking));
    }
    let mut intents = Vec::new();
    let mut change = None;
    if texts_on(store, &booking).await? {
        let notice = SmsIntent::new(&booking.id, SmsKind::ScheduleChange, now, new_start);
        change = Some(notice.clone());
        intents.push(notice);
        let reminders = study.kind == StudyKind::Interview && study.interview_reminder;
        intents.extend(reminder_intent(&booking.id, new_start, reminders, now));
    }
    store
        .reschedule_booking(&booking, new_start, &intents)
        .await
        .map_err(concurrent_change)?;
    if let Some(notice) = change {
        events.sms_requested(&[notice]).await;
    }
    let mut moved = booking;
    moved.starts_at = new_start;
    Ok(TeamBookingView::from(&moved))
}

pub async fn cancel<S, E>(
    store: &S,
    events: &E,
    ask: TeamAsk<'_>,
) -> Result<TeamBookingView, DomainError>
where
    S: StudyStore + WorkspaceStore + BookingStore,
    E: EventPublisher,
{
    let (_, booking) = team_booking(store, ask).await?;
    require_booked(&booking)?;
    let notice = SmsIntent::new(
        &booking.id,
        SmsKind::Cancellation,
        ask.now,
        booking.starts_at,
    );
    let on = texts_on(store, &booking).await?;
    let intents: Vec<SmsIntent> = if on { vec![notice.clone()] } else { Vec::new() };
    store
        .cancel_booking(&booking, &intents)
        .await
        .map_err(concurrent_change)?;
    if on {
        events.sms_requested(&[notice]).await;
    }
    let mut cancelled = booking;
    cancelled.status = BookingStatus::Cancelled;
    Ok(TeamBookingView::from(&cancelled))
}

/// A day-of update is accepted exactly when it will be sent: before the send deadline
/// the dispatcher applies (`sms::send_deadline`, an hour after the start), to a phone
/// that has not opted out. Otherwise 409 problem+json, never a 202 for a text that
/// would only be suppressed.
pub async fn day_of_update<S, E>(
    store: &S,
    events: &E,
    ask: TeamAsk<'_>,
    update: DayOfUpdate,
) -> Result<DayOfQueued, DomainError>
where
    S: StudyStore + WorkspaceStore + BookingStore + ConsentStore,
    E: EventPublisher,
{
    let now = ask.now;
    let (_, booking) = team_booking(store, ask).await?;
    require_booked(&booking)?;
    if too_late(SmsKind::DayOfUpdate, booking.starts_at, now) {
        let deadline = send_deadline(SmsKind::DayOfUpdate, booking.starts_at);
        return Err(DomainError::conflict(
            "interview_over",
            format!(
                "a day-of update can only be sent until an hour after the start ({}); it would not go out",
                deadline.to_rfc3339()
            ),
        ));
    }
    if !texts_on(store, &booking).await? {
        return Ok(DayOfQueued { queued: false });
    }
    if let Some(phone) = booking.phone.as_ref() {
        if store.is_opted_out(phone).await? {
            return Err(DomainError::conflict(
                "opted_out",
                "the participant replied STOP; no text can go to this number",
            ));
        }
    }
    let mut intent = SmsIntent::new(&booking.id, SmsKind::DayOfUpdate, now, booking.starts_at);
    intent.day_of_update = Some(update);
    store
        .file_intents(&booking, std::slice::from_ref(&intent))
        .await
        .map_err(concurrent_change)?;
    events.sms_requested(&[intent]).await;
    Ok(DayOfQueued { queued: true })
}

pub async fn sms_log<S>(store: &S, ask: TeamAsk<'_>) -> Result<SmsLog, DomainError>
where
    S: StudyStore + BookingStore + SmsStore,
{
    let (_, booking) = team_booking(store, ask).await?;
    Ok(SmsLog {
        items: store.sms_log(&booking.id).await?,
    })
}

pub async fn get_booking<S>(store: &S, ask: TeamAsk<'_>) -> Result<TeamBookingView, DomainError>
where
    S: StudyStore + BookingStore,
{
    let (_, booking) = team_booking(store, ask).await?;
    Ok(TeamBookingView::from(&booking))
}
