//! The share link: the public study view and booking through it, with SMS consent.
use crate::domain::phone::Phone;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::domain::consent::{self, ClientInfo, ConsentAction, ConsentRecord, ConsentSource};
use crate::domain::destinations::SmsDestinations;
use crate::domain::limits::{self, Quota, Scope, SmsLimits, Window};
use crate::domain::participants::{participant_id, Participant, ParticipantStatus};
use crate::domain::studies::Study;
use crate::domain::{ids, phone, validation, Asked, DomainError, FieldError};
use crate::ports::{
    BookingStore, EventPublisher, IdempotencyStore, ParticipantStore, RateLimitStore, StoreError,
    StudyStore, WorkspaceStore,
};

use super::intents::*;
use super::*;

async fn study_for_token<S: StudyStore>(
    store: &S,
    share_token: &str,
) -> Result<Study, DomainError> {
    store
        .find_study_by_share_token(share_token)
        .await?
        .ok_or(DomainError::NotFound("study"))
}

pub async fn public_study<S: WorkspaceStore + StudyStore>(
    store: &S,
    settings: &PublicSettings<'_>,
    share_token: &str,
) -> Result<PublicStudyView, DomainError> {
    let study = study_for_token(store, share_token).await?;
    Ok(PublicStudyView {
        kind: study.kind,
        sms: PublicSms {
            required: sms_switches(store, &study).await?.consent_required(),
            consent_text: consent::disclosure_text(settings.product_name),
            disclosure_version: consent::DISCLOSURE_VERSION,
        },
    })
}

pub(super) struct CheckedBooking {
    name: String,
    email: String,
    starts_at: DateTime<Utc>,
    time_zone: Tz,
    /// Kept only with consent.
    pub(super) phone: Option<Phone>,
}

pub(super) fn check_booking(
    new: &NewBooking,
    sms_required: bool,
    destinations: &SmsDestinations,
    now: DateTime<Utc>,
) -> Result<CheckedBooking, DomainError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let name = validation::display_name("name", &new.name, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let email = validation::email("email", &new.email)
        .map_err(|e| errors.push(e))
        .ok();
    let starts_at = match DateTime::parse_from_rfc3339(&new.starts_at) {
        Err(_) => {
            errors.push(FieldError::new(
                "starts_at",
                "must be an RFC 3339 time, e.g. 2026-12-01T15:00:00Z",
            ));
            None
        }
        Ok(t) => {
            let t = t.with_timezone(&Utc);
            if t <= now {
                errors.push(FieldError::new("starts_at", "must be in the future"));
                None
            } else if t > now + Duration::days(MAX_BOOKING_AHEAD_DAYS) {
                errors.push(FieldError::new("starts_at", "must be within two years"));
                None
            } else {
                Some(t)
            }
        }
    };
    let time_zone = match new.time_zone.parse::<Tz>() {
        Ok(tz) => Some(tz),
        Err(_) => {
            errors.push(FieldError::new(
                "time_zone",
                "must be an IANA time zone, e.g. America/New_York",
            ));
            None
        }
    };
    let consent = new.sms_consent == Some(true);
    let phone = match new
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None if sms_required => {
            errors.push(FieldError::new(
                "phone",
                "is required: this study sends interview reminders by SMS",
            ));
            None
        }
        None => None,
        Some(raw) => phone::parse_mobile("phone", raw)
            .and_then(|p| destinations.check_field("phone", &p).map(|()| p))
            .map_err(|e| errors.push(e))
            .ok(),
    };
    if sms_required && !consent {
        errors.push(FieldError::new(
            "sms_consent",
            "must be true: this study sends interview reminders by SMS",
        ));
    }
    match (name, email, starts_at, time_zone) {
        (Some(name), Some(email), Some(starts_at), Some(time_zone)) if errors.is_empty() => {
            Ok(CheckedBooking {
                name,
                email,
                starts_at,
                time_zone,
                // A number given without consent is not kept: nothing may be sent to it.
                phone: phone.filter(|_| consent),
            })
        }
        _ => Err(DomainError::Validation(errors)),
    }
}

/// Books an interview through a share link. When SMS consent is required, a valid
/// mobile number and `sms_consent: true` are too, and a `granted` record is written in
/// the same transaction as the booking.
pub async fn book<
    S: WorkspaceStore
        + StudyStore
        + BookingStore
        + ParticipantStore
        + IdempotencyStore
        + RateLimitStore,
    E: EventPublisher,
>(
    store: &S,
    events: &E,
    settings: &PublicSettings<'_>,
    share_token: &str,
    new: NewBooking,
    client: ClientInfo,
    asked: Asked<'_>,
) -> Result<BookingCreated, DomainError> {
    let (now, once) = (asked.now, asked.once());
    let study = study_for_token(store, share_token).await?;
    if let Some(first) = once.replay(store).await? {
        return Ok(first);
    }
    let switches = sms_switches(store, &study).await?;
    let checked = check_booking(
        &new,
        switches.consent_required(),
        settings.destinations,
        now,
    )?;
    limits::take(
        store,
        &booking_quotas(
            settings.limits,
            share_token,
            &client,
            checked.phone.as_deref(),
            now,
        ),
        now,
    )
    .await?;

    let pid = participant_id(&study.id, &checked.email);
    // Anyone with the link may book under any email: a participant already in the study
    // keeps the name and phone the team knows.
    let existing = store.get_participant(&study.id, &pid).await?;
    let participant_exists = existing.is_some();
    let participant = Participant {
        id: pid,
        study_id: study.id.clone(),
        workspace_id: study.workspace_id.clone(),
        email: checked.email,
        name: checked.name,
        phone: checked.phone.clone(),
        source: study.recruitment,
        panel_participant_id: None,
        // Booking through the team's own link is the team's invitation accepted.
        status: ParticipantStatus::Approved,
        created_at: now,
    };
    let token = ids::new_token();
    let booking_id = ids::new_id("bk");
    let (confirmation, reminder) = booking_intents(
        &booking_id,
        checked.starts_at,
        switches.interview_reminder,
        now,
    );
    let texts_on = switches.workspace_sms && checked.phone.is_some();
    let booking = Booking {
        id: booking_id,
        study_id: study.id.clone(),
        workspace_id: study.workspace_id.clone(),
        participant_id: participant.id.clone(),
        starts_at: checked.starts_at,
        time_zone: checked.time_zone,
        status: BookingStatus::Booked,
        phone: checked.phone.clone(),
        created_at: now,
        manage_token: token.clone(),
        version: 1,
        reminder: reminder.as_ref().filter(|_| texts_on).map(IntentRef::from),
    };
    let consent = checked.phone.as_ref().map(|phone| {
        let mut record = ConsentRecord::new(
            ConsentAction::Granted,
            ConsentSource::SignupForm,
            phone,
            &study.workspace_id,
            now,
        );
        record.person = Some(participant.id.clone());
        record.study_id = Some(study.id.clone());
        record.booking_id = Some(booking.id.clone());
        record.disclosure_version = Some(consent::DISCLOSURE_VERSION.to_owned());
        record.ip = client.ip.clone();
        record.user_agent = client.user_agent.clone();
        record
    });
    let created = BookingCreated {
        booking_id: booking.id.clone(),
        participant_id: participant.id.clone(),
        manage_url: manage_url(settings.public_base_url, &token),
        manage_token: token.clone(),
    };
    let mut write = BookingWrite {
        participant,
        participant_exists,
        booking,
        manage_token_hash: manage_token_hash(&token),
        consent,
        intents: if texts_on {
            std::iter::once(confirmation.clone())
                .chain(reminder)
                .collect()
        } else {
            Vec::new()
        },
    };
    let record = once.record(&created);
    let mut result = store.create_booking(&write, record.as_ref()).await;
    if matches!(result, Err(StoreError::ConditionFailed)) && !write.participant_exists {
        // The same person's other booking created the participant meanwhile: book
        // against it, as if it had been there.
        write.participant_exists = true;
        result = store.create_booking(&write, record.as_ref()).await;
    }
    if let Some(first) = once.settle(store, result, DomainError::from).await? {
        return Ok(first);
    }
    if texts_on {
        events
            .sms_requested(std::slice::from_ref(&confirmation))
            .await;
    }
    Ok(created)
}

/// What a public booking counts against: its share link, its source address and, when
/// it keeps a phone (and so texts it), that phone.
pub(super) fn booking_quotas(
    limits: &SmsLimits,
    share_token: &str,
    client: &ClientInfo,
    phone: Option<&str>,
    now: DateTime<Utc>,
) -> Vec<Quota> {
    let mut quotas = vec![Quota::new(
        Scope::BookingsPerShareLink,
        share_token,
        limits.bookings_per_share_link_per_hour,
        Window::Hour,
        now,
    )];
    if let Some(ip) = client.ip.as_deref().filter(|ip| !ip.is_empty()) {
        quotas.push(Quota::new(
            Scope::BookingsPerSourceIp,
            &limits::source_subject(ip),
            limits.bookings_per_source_ip_per_hour,
            Window::Hour,
            now,
        ));
    }
    if let Some(phone) = phone {
        quotas.push(Quota::new(
            Scope::BookingTextsPerPhone,
            phone,
            limits.booking_texts_per_phone_per_day,
            Window::Day,
            now,
        ));
    }
    quotas
}
