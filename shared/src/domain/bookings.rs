//! Public booking through a study's share link, with SMS consent capture, and the
//! participant's manage link. A refused booking writes nothing at all.
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::consent::{self, ClientInfo, ConsentAction, ConsentRecord, ConsentSource};
use super::destinations::SmsDestinations;
use super::enums::string_enum;
use super::idempotency::{self, IdempotencyKey};
use super::limits::{self, Quota, Scope, SmsLimits, Window};
use super::participants::{participant_id, Participant, ParticipantStatus};
use super::sms::{reminder_lead, SmsIntent, SmsKind};
use super::studies::{Study, StudyKind};
use super::{ids, phone, validation, DomainError, FieldError};
use crate::ports::{
    BookingStore, EventPublisher, IdempotencyStore, ParticipantStore, RateLimitStore, StoreError,
    StudyStore, WorkspaceStore,
};

/// How far ahead an interview may be booked.
pub const MAX_BOOKING_AHEAD_DAYS: i64 = 730;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Cancelled,
}
string_enum!(BookingStatus { Booked => "booked", Cancelled => "cancelled" });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub id: String,
    pub study_id: String,
    pub workspace_id: String,
    pub participant_id: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub status: BookingStatus,
    /// The number texts for this booking go to; only ever set with consent.
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The token of the manage link, which every text carries. (Lookups go by its
    /// hash; the booking keeps the token itself so later texts can link to it.)
    pub manage_token: String,
    /// Bumped by every change, so concurrent changes cannot both win.
    pub version: i64,
    /// The pending reminder's intent, so a reschedule or cancellation can drop it.
    pub reminder: Option<IntentRef>,
}

/// Where an intent is filed: its minute bucket and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntentRef {
    pub bucket: String,
    pub id: String,
}

impl From<&SmsIntent> for IntentRef {
    fn from(intent: &SmsIntent) -> Self {
        Self {
            bucket: intent.bucket(),
            id: intent.id.clone(),
        }
    }
}

/// Everything a booking writes, in one transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct BookingWrite {
    /// The person booking. Written only when new to the study (`participant_exists`
    /// false, and only if still absent): a public booking never changes the name or
    /// phone the team holds for a participant; its phone and consent are its own.
    pub participant: Participant,
    pub participant_exists: bool,
    pub booking: Booking,
    pub manage_token_hash: String,
    pub consent: Option<ConsentRecord>,
    /// The texts the booking calls for (confirmation, reminder), filed with it.
    pub intents: Vec<SmsIntent>,
}

/// What the product needs to know to run the public pages.
#[derive(Clone, Debug)]
pub struct PublicSettings<'a> {
    pub product_name: &'a str,
    /// Where this API is reachable by participants (manage links point here).
    pub public_base_url: &'a str,
    /// Where texts may go.
    pub destinations: &'a SmsDestinations,
    /// How many bookings a share link, a source and a phone may make.
    pub limits: &'a SmsLimits,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PublicSms {
    pub required: bool,
    pub consent_text: String,
    pub disclosure_version: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PublicStudyView {
    pub kind: StudyKind,
    pub sms: PublicSms,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBooking {
    pub name: String,
    pub email: String,
    pub starts_at: String,
    pub time_zone: String,
    pub phone: Option<String>,
    pub sms_consent: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BookingCreated {
    pub booking_id: String,
    pub participant_id: String,
    pub manage_token: String,
    pub manage_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ManageView {
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub status: BookingStatus,
    pub phone_last4: Option<String>,
}

/// The manage link's lookup item is keyed by this hash, so no key or index holds a token.
/// The booking itself keeps the token, because every text to the participant carries
/// the manage link (see docs/dynamodb.md).
pub fn manage_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn manage_url(public_base_url: &str, token: &str) -> String {
    format!("{}/b/{token}", public_base_url.trim_end_matches('/'))
}

/// Whether the study's workspace sends SMS at all, and whether this study sends
/// interview reminders.
struct SmsSwitches {
    workspace_sms: bool,
    interview_reminder: bool,
}

impl SmsSwitches {
    /// SMS consent is required when the workspace has SMS on and the interview study
    /// keeps its reminder on.
    fn consent_required(&self) -> bool {
        self.workspace_sms && self.interview_reminder
    }
}

async fn sms_switches<S: WorkspaceStore>(
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

struct CheckedBooking {
    name: String,
    email: String,
    starts_at: DateTime<Utc>,
    time_zone: Tz,
    /// Kept only with consent.
    phone: Option<String>,
}

fn check_booking(
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
#[allow(clippy::too_many_arguments)]
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
    idempotency_key: Option<IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<BookingCreated, DomainError> {
    let study = study_for_token(store, share_token).await?;
    let key = idempotency_key.as_ref();
    if let Some(first) = idempotency::replay(store, key, now.timestamp()).await? {
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
    let consent = checked.phone.as_deref().map(|phone| {
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
    let record = key.map(|k| k.record(&created, now.timestamp()));
    let mut result = store.create_booking(&write, record.as_ref()).await;
    if matches!(result, Err(StoreError::ConditionFailed)) && !write.participant_exists {
        // The same person's other booking created the participant meanwhile: book
        // against it, as if it had been there.
        write.participant_exists = true;
        result = store.create_booking(&write, record.as_ref()).await;
    }
    match result {
        Ok(()) => {
            if texts_on {
                events
                    .sms_requested(std::slice::from_ref(&confirmation))
                    .await;
            }
            Ok(created)
        }
        Err(StoreError::IdempotencyKeyTaken) => {
            idempotency::replay_after_race(store, key, now.timestamp()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What a public booking counts against: its share link, its source address and, when
/// it keeps a phone (and so texts it), that phone.
fn booking_quotas(
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

async fn booking_for_token<S: BookingStore>(
    store: &S,
    token: &str,
) -> Result<Booking, DomainError> {
    store
        .find_booking_by_manage_token(&manage_token_hash(token))
        .await?
        .ok_or(DomainError::NotFound("booking"))
}

pub async fn manage_view<S: BookingStore>(
    store: &S,
    token: &str,
) -> Result<(Booking, ManageView), DomainError> {
    let booking = booking_for_token(store, token).await?;
    let view = ManageView {
        starts_at: booking.starts_at,
        time_zone: booking.time_zone.name().to_owned(),
        status: booking.status,
        phone_last4: booking.phone.as_deref().map(crate::telemetry::phone_last4),
    };
    Ok((booking, view))
}

/// The holder of the manage link removes the phone from the booking: the workspace's
/// consent for it is revoked and recorded, and no further text goes out for it.
/// Removing a number that is already gone changes nothing.
pub async fn remove_phone<S: BookingStore>(
    store: &S,
    token: &str,
    client: ClientInfo,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let booking = booking_for_token(store, token).await?;
    let Some(phone) = booking.phone.clone() else {
        return Ok(());
    };
    let mut record = ConsentRecord::new(
        ConsentAction::Revoked,
        ConsentSource::ManageLink,
        &phone,
        &booking.workspace_id,
        now,
    );
    record.person = Some(booking.participant_id.clone());
    record.study_id = Some(booking.study_id.clone());
    record.booking_id = Some(booking.id.clone());
    record.ip = client.ip;
    record.user_agent = client.user_agent;
    match store.remove_booking_phone(&booking, &phone, &record).await {
        Ok(()) => {
            tracing::info!(booking_id = %booking.id, source = "manage_link", "opt-out recorded");
            Ok(())
        }
        // A concurrent removal got there first: the number is gone either way.
        Err(StoreError::ConditionFailed) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_booking() -> NewBooking {
        NewBooking {
            name: "Ann".into(),
            email: "ann@example.org".into(),
            starts_at: "2026-12-01T15:00:00Z".into(),
            time_zone: "America/New_York".into(),
            phone: Some("+16175550123".into()),
            sms_consent: Some(true),
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-25T12:00:00Z".parse().unwrap()
    }

    fn us_ca() -> SmsDestinations {
        SmsDestinations::new("US,CA", ["+18445550100"])
    }

    fn fields(err: DomainError) -> Vec<String> {
        match err {
            DomainError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected validation, got {other:?}"),
        }
    }

    #[test]
    fn required_sms_needs_a_mobile_and_consent() {
        assert!(check_booking(&new_booking(), true, &us_ca(), now()).is_ok());
        let no_phone = NewBooking {
            phone: None,
            ..new_booking()
        };
        assert_eq!(
            fields(
                check_booking(&no_phone, true, &us_ca(), now())
                    .err()
                    .unwrap()
            ),
            ["phone"]
        );
        let unticked = NewBooking {
            sms_consent: Some(false),
            ..new_booking()
        };
        assert_eq!(
            fields(
                check_booking(&unticked, true, &us_ca(), now())
                    .err()
                    .unwrap()
            ),
            ["sms_consent"]
        );
        let landline = NewBooking {
            phone: Some("+18005550199".into()),
            ..new_booking()
        };
        assert_eq!(
            fields(
                check_booking(&landline, true, &us_ca(), now())
                    .err()
                    .unwrap()
            ),
            ["phone"]
        );
    }

    #[test]
    fn a_phone_abroad_or_our_own_is_refused_whatever_the_consent() {
        for phone in [
            "+33612345678",
            "+8613812345678",
            "+18095550123",
            "+18445550100",
        ] {
            for (required, consent) in [(true, Some(true)), (false, None)] {
                let booking = NewBooking {
                    phone: Some(phone.into()),
                    sms_consent: consent,
                    ..new_booking()
                };
                assert_eq!(
                    fields(
                        check_booking(&booking, required, &us_ca(), now())
                            .err()
                            .unwrap()
                    ),
                    ["phone"],
                    "{phone}"
                );
            }
        }
    }

    #[test]
    fn a_booking_counts_against_its_link_its_source_and_its_phone() {
        let limits = SmsLimits::default();
        let client = ClientInfo {
            ip: Some("203.0.113.7".into()),
            user_agent: None,
        };
        let scopes = |client: &ClientInfo, phone| {
            booking_quotas(&limits, "tok", client, phone, now())
                .into_iter()
                .map(|q| (q.scope, q.limit))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            scopes(&client, Some("+16175550123")),
            [
                (Scope::BookingsPerShareLink, 200),
                (Scope::BookingsPerSourceIp, 20),
                (Scope::BookingTextsPerPhone, 5)
            ]
        );
        assert_eq!(
            scopes(&ClientInfo::default(), None),
            [(Scope::BookingsPerShareLink, 200)]
        );
    }

    #[test]
    fn a_phone_without_consent_is_not_kept_when_sms_is_optional() {
        let unticked = NewBooking {
            sms_consent: None,
            ..new_booking()
        };
        assert_eq!(
            check_booking(&unticked, false, &us_ca(), now())
                .ok()
                .unwrap()
                .phone,
            None
        );
        assert_eq!(
            check_booking(&new_booking(), false, &us_ca(), now())
                .ok()
                .unwrap()
                .phone
                .as_deref(),
            Some("+16175550123")
        );
    }

    #[test]
    fn times_and_zones_are_checked() {
        let past = NewBooking {
            starts_at: "2026-11-25T11:59:00Z".into(),
            ..new_booking()
        };
        assert_eq!(
            fields(check_booking(&past, false, &us_ca(), now()).err().unwrap()),
            ["starts_at"]
        );
        let garbled = NewBooking {
            starts_at: "tomorrow".into(),
            time_zone: "Mars/Olympus".into(),
            ..new_booking()
        };
        assert_eq!(
            fields(
                check_booking(&garbled, false, &us_ca(), now())
                    .err()
                    .unwrap()
            ),
            ["starts_at", "time_zone"]
        );
    }

    #[test]
    fn manage_links_hash_their_token() {
        assert_eq!(
            manage_url("https://x.example/", "tok"),
            "https://x.example/b/tok"
        );
        assert_ne!(manage_token_hash("tok"), "tok");
        assert_eq!(manage_token_hash("tok").len(), 64);
    }
}
