use super::public::*;
use super::*;
use crate::domain::consent::ClientInfo;
use crate::domain::limits::Scope;
use crate::domain::DomainError;

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
