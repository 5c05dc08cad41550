//! The public routes cannot be used to pump SMS: texts go only to the allowed countries
//! (US and CA by default) and never to our own number, and bookings and verification
//! codes are counted per share link, source address, phone and user. This suite's stack
//! keeps the template's default limits; each test books from its own loopback address.
use std::net::{IpAddr, Ipv4Addr};

use chrono::{DateTime, Duration, Timelike, Utc};
use serde_json::{json, Value};
use shared::adapters::dynamodb::DynamoStore;
use shared::adapters::sns::SnsSmsSender;
use shared::domain::destinations::SmsDestinations;
use shared::domain::limits::SmsLimits;
use shared::domain::phone_verification::{self, CodeSettings};
use shared::domain::{Caller, DomainError};
use system_tests::{booking_body, count_participants, unique_phone, Api, BookableStudy, Reply};

/// The local stack's sender number (`SenderNumber` in local-stack's parameters).
const OUR_NUMBER: &str = "+16175550100";

fn api(last_octet: u8) -> Api {
    system_tests::keep_template_limits();
    Api::from_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last_octet)))
}

/// Limits count in clock hours and UTC days: a test that counts to a limit starts at
/// least a minute before the window's end, so the window cannot turn under it.
async fn clear_of_window_edges() {
    let now = Utc::now();
    let left_in_hour = 3600 - i64::from(now.minute() * 60 + now.second());
    if left_in_hour < 60 {
        tokio::time::sleep(std::time::Duration::from_secs(left_in_hour as u64 + 1)).await;
    }
}

fn body_for(n: usize, phone: Option<&str>) -> Value {
    let mut body = booking_body(phone, phone.map(|_| true));
    body["email"] = json!(format!(
        "p{n}-{}@example.org",
        uuid::Uuid::new_v4().simple()
    ));
    body
}

/// `from` books `s` as the `n`th booker (`body_for`) with `phone`, and the phone is
/// texted its confirmation.
async fn booked_and_texted(from: &Api, s: &BookableStudy, n: usize, phone: &str) {
    from.book(s, body_for(n, Some(phone))).await;
    assert_eq!(from.wait_for_texts(phone, 1).await.len(), 1);
}

/// Once clear of the windows' edges (`clear_of_window_edges`): a client from
/// 127.0.0.`last_octet` (`api`) and a new SMS-enabled study.
async fn sms_study_from(last_octet: u8) -> (Api, BookableStudy) {
    clear_of_window_edges().await;
    let client = api(last_octet);
    let s = client.bookable_study(true).await;
    (client, s)
}

fn assert_rate_limited(reply: &Reply, says: &str) -> i64 {
    let problem = reply.problem(429);
    assert_eq!(problem["code"], "rate_limited", "{reply:?}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains(says),
        "{reply:?}"
    );
    let retry_after: i64 = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {reply:?}"));
    retry_after
}

/// Gives asynchronous sends time to happen, then the texts `phone` received.
async fn texts_after_a_while(api: &Api, phone: &str) -> Vec<String> {
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    api.texts_to(phone).await
}

#[tokio::test]
async fn a_phone_abroad_or_our_own_is_refused_on_every_route_that_takes_one() {
    let api = api(10);
    let s = api.bookable_study(true).await;
    let participant = api.user("participant").await;
    // France, China, the Dominican Republic and Jamaica (inside +1), and our own number.
    let refused = [
        "+33612345678",
        "+8613812345678",
        "+18095550123",
        "+18765550123",
        OUR_NUMBER,
    ];
    for phone in refused {
        let reply = api.post_booking(&s, body_for(0, Some(phone))).await;
        assert_eq!(reply.error_fields(), ["phone"], "booking with {phone}");
        let added = api
            .post(
                &format!("/studies/{}/participants", s.study_id),
                &s.admin,
                json!({"email": "p@example.org", "name": "P", "phone": phone, "source": "direct"}),
            )
            .await;
        assert_eq!(added.error_fields(), ["phone"], "participant with {phone}");
        let code = api.ask_for_code(&participant, phone).await;
        assert_eq!(code.error_fields(), ["phone"], "code to {phone}");
    }
    let message = api
        .post_booking(&s, body_for(0, Some("+33612345678")))
        .await
        .problem(422)["errors"][0]["message"]
        .clone();
    assert_eq!(
        message,
        "must be a mobile number in US or CA: texts are not sent to other countries"
    );
    assert_eq!(count_participants(&s).await, 0);
    for phone in refused {
        assert_eq!(texts_after_a_while(&api, phone).await, Vec::<String>::new());
    }
    // A Canadian mobile is a destination like a US one.
    let toronto = "+14165550142";
    booked_and_texted(&api, &s, 1, toronto).await;
}

#[tokio::test]
async fn one_source_gets_twenty_bookings_an_hour_and_nothing_more() {
    let (flood, s) = sms_study_from(20).await;
    let phones: Vec<String> = (0..21).map(|_| unique_phone()).collect();
    for (n, phone) in phones.iter().take(20).enumerate() {
        flood.book(&s, body_for(n, Some(phone))).await;
    }
    let last = &phones[20];
    let refused = flood.post_booking(&s, body_for(20, Some(last))).await;
    let retry_after = assert_rate_limited(&refused, "from your network");
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    // Nothing written, nothing texted for the refused booking.
    assert_eq!(count_participants(&s).await, 20);
    assert_eq!(
        texts_after_a_while(&flood, last).await,
        Vec::<String>::new()
    );
    assert_eq!(flood.wait_for_texts(&phones[0], 1).await.len(), 1);
    // Someone else, on another network, books at once.
    let neighbour = api(21);
    booked_and_texted(&neighbour, &s, 21, last).await;
}

#[tokio::test]
async fn one_phone_gets_five_bookings_a_day() {
    // (A UTC day ends with an hour, so this also keeps clear of midnight.)
    let (a, s) = sms_study_from(30).await;
    let phone = unique_phone();
    for n in 0..5 {
        // From several addresses: it is the phone that is counted.
        api(31 + n as u8).book(&s, body_for(n, Some(&phone))).await;
    }
    let refused = api(36).post_booking(&s, body_for(5, Some(&phone))).await;
    let retry_after = assert_rate_limited(&refused, "for this phone number");
    assert!((1..=86_400).contains(&retry_after), "{retry_after}");
    assert_eq!(a.wait_for_texts(&phone, 5).await.len(), 5);
    assert_eq!(texts_after_a_while(&a, &phone).await.len(), 5);
    // Another phone, from the same addresses, is not held back.
    let other = unique_phone();
    api(31).book(&s, body_for(6, Some(&other))).await;
}

#[tokio::test]
async fn one_share_link_takes_two_hundred_bookings_an_hour() {
    clear_of_window_edges().await;
    // A study that texts nothing (SMS off): its bookings need no phone.
    let s = api(40).bookable_study(false).await;
    let study = &s;
    let batches = (0..10u8).map(|source| async move {
        let client = api(41 + source);
        for n in 0..20 {
            client
                .book(study, body_for(usize::from(source) * 20 + n, None))
                .await;
        }
    });
    futures::future::join_all(batches).await;
    let refused = api(51).post_booking(&s, body_for(200, None)).await;
    assert_rate_limited(&refused, "booking link");
    assert_eq!(count_participants(&s).await, 200);
    // Another study's link is counted on its own.
    let other = api(52).bookable_study(false).await;
    api(52).book(&other, body_for(0, None)).await;
}

#[tokio::test]
async fn one_phone_is_texted_ten_codes_a_day_whoever_asks() {
    clear_of_window_edges().await;
    let api = api(60);
    let phone = unique_phone();
    for _ in 0..10 {
        let user = api.user("asker").await;
        api.ask_for_code(&user, &phone).await.ok(202);
    }
    let eleventh = api.user("asker").await;
    let refused = api.ask_for_code(&eleventh, &phone).await;
    assert_rate_limited(&refused, "to this phone number");
    assert_eq!(api.wait_for_texts(&phone, 10).await.len(), 10);
    assert_eq!(texts_after_a_while(&api, &phone).await.len(), 10);
}

/// The per-user limit, through the domain function and the real table (the route's
/// one-minute resend rule would make five sends take four minutes): the sixth code in
/// an hour is refused, whatever the phone, and the next hour sends again.
#[tokio::test]
async fn one_user_is_sent_five_codes_an_hour() {
    system_tests::keep_template_limits();
    let stack = system_tests::stack();
    let sdk = shared::aws::emulator_sdk_config(&stack.emulator_url).await;
    let store = DynamoStore::new(
        aws_sdk_dynamodb::Client::new(&sdk),
        format!("{}MainTable", stack.prefix),
        format!("{}ConsentTable", stack.prefix),
    );
    let sender = SnsSmsSender::from_sdk(&sdk);
    let destinations = SmsDestinations::new("US,CA", [OUR_NUMBER]);
    let limits = SmsLimits::default();
    let settings = CodeSettings {
        product_name: "Rally",
        sender_number: Some(OUR_NUMBER),
        destinations: &destinations,
        limits: &limits,
    };
    let caller = Caller {
        user_id: format!("user-{}", uuid::Uuid::new_v4().simple()),
        email: None,
    };
    let start: DateTime<Utc> = "2026-12-02T10:00:05Z".parse().unwrap();
    for n in 0..5 {
        let at = start + Duration::seconds(61 * n);
        phone_verification::request_code(&store, &sender, &settings, &caller, &unique_phone(), at)
            .await
            .unwrap_or_else(|e| panic!("code {n}: {e}"));
    }
    let sixth_at = start + Duration::seconds(61 * 5);
    let sixth_phone = unique_phone();
    match phone_verification::request_code(
        &store,
        &sender,
        &settings,
        &caller,
        &sixth_phone,
        sixth_at,
    )
    .await
    {
        Err(DomainError::RateLimited {
            retry_after_seconds,
            ..
        }) => assert_eq!(retry_after_seconds, 3600 - 5 - 61 * 5),
        other => panic!("sixth code: {other:?}"),
    }
    let api = api(61);
    assert_eq!(
        texts_after_a_while(&api, &sixth_phone).await,
        Vec::<String>::new()
    );
    let next_hour: DateTime<Utc> = "2026-12-02T11:00:00Z".parse().unwrap();
    phone_verification::request_code(&store, &sender, &settings, &caller, &sixth_phone, next_hour)
        .await
        .expect("a new hour sends again");
}
