//! Carrier outcomes: AWS End User Messaging SMS's delivery events (in the shape AWS
//! documents, `tests/fixtures/carrier-events/`) put on the emulator's default
//! EventBridge bus, delivered by the template's rule to `sms-delivery-status`. A text's
//! log entry carries SNS's message id; the event finds it by that id and records
//! delivered or failed with the carrier's reason; a carrier opt-out or block becomes the
//! platform-wide opt-out that every later send's claim checks.
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::{json, Value};
use system_tests::{unique_phone, Api, BookableStudy};

fn start_in_days(days: i64) -> DateTime<Utc> {
    (Utc::now() + Duration::days(days))
        .duration_trunc(Duration::minutes(1))
        .unwrap()
}

async fn book(api: &Api, s: &BookableStudy, phone: &str, starts_at: DateTime<Utc>) -> String {
    let body = json!({
        "name": "Ann Example",
        "email": format!("{}@example.org", &phone[1..]),
        "starts_at": starts_at.to_rfc3339(),
        "time_zone": "America/New_York",
        "phone": phone,
        "sms_consent": true,
    });
    api.public(
        "POST",
        &format!("/public/studies/{}/bookings", s.share_token),
        Some(body),
    )
    .await
    .ok(201)["booking_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn log_entry(api: &Api, s: &BookableStudy, bid: &str, kind: &str) -> Option<Value> {
    api.get(
        &format!("/studies/{}/bookings/{bid}/sms", s.study_id),
        &s.admin,
    )
    .await
    .ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == kind)
        .cloned()
}

/// Waits (up to 20 s) for the log entry of `kind` to satisfy `done`.
async fn wait_for_entry(
    api: &Api,
    s: &BookableStudy,
    bid: &str,
    kind: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let entry = log_entry(api, s, bid, kind).await;
        if let Some(entry) = entry.as_ref().filter(|e| done(e)) {
            return entry.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the {kind} entry never got there: {entry:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// A documented event with this text's message id and number, as AWS would put it on
/// the account's default bus.
async fn carrier_event(fixture: &str, message_id: &str, phone: &str) {
    let mut event = system_tests::fixture(&format!("carrier-events/{fixture}.json"));
    event["detail"]["messageId"] = json!(message_id);
    event["detail"]["destinationPhoneNumber"] = json!(phone);
    event["detail"]["eventTimestamp"] = json!(Utc::now().timestamp_millis());
    system_tests::put_on_default_bus(&event).await;
}

/// A booking whose confirmation went out; its log entry's message id.
async fn confirmed(
    api: &Api,
    s: &BookableStudy,
    phone: &str,
    start: DateTime<Utc>,
) -> (String, String) {
    let bid = book(api, s, phone, start).await;
    let entry = wait_for_entry(api, s, &bid, "confirmation", |e| e["status"] == "sent").await;
    let message_id = entry["message_id"]
        .as_str()
        .expect("a sent text's entry names its message id")
        .to_owned();
    assert!(entry["delivery_status"].is_null(), "{entry}");
    (bid, message_id)
}

#[tokio::test]
async fn a_delivered_text_shows_delivered_and_an_unreachable_one_failed_with_the_reason() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let (bid, message_id) = confirmed(&api, &s, &phone, start_in_days(20)).await;
    carrier_event("delivered", &message_id, &phone).await;
    let entry = wait_for_entry(&api, &s, &bid, "confirmation", |e| {
        e["delivery_status"] == "delivered"
    })
    .await;
    assert_eq!(entry["status"], "sent", "{entry}");
    assert!(entry["delivery_updated_at"].is_string(), "{entry}");
    assert!(entry["delivery_reason"].is_null(), "{entry}");

    let other = unique_phone();
    let (bid, message_id) = confirmed(&api, &s, &other, start_in_days(20)).await;
    carrier_event("unreachable", &message_id, &other).await;
    let entry = wait_for_entry(&api, &s, &bid, "confirmation", |e| {
        e["delivery_status"] == "failed"
    })
    .await;
    assert_eq!(
        entry["delivery_reason"], "TEXT_CARRIER_UNREACHABLE: CARRIER_UNREACHABLE",
        "{entry}"
    );
    // Unreachable is no opt-out: the next text still goes out.
    let status = api
        .get(
            &format!(
                "/workspaces/{}/sms-consent/status?phone={}",
                s.workspace_id,
                other.replace('+', "%2B")
            ),
            &s.admin,
        )
        .await;
    assert_eq!(status.ok(200)["opted_out"], false);
}

#[tokio::test]
async fn a_carrier_opt_out_blocks_every_later_send_platform_wide() {
    let api = Api::new();
    let first = api.bookable_study(true).await;
    let second = api.bookable_study(true).await;
    let phone = unique_phone();
    let start = start_in_days(21);
    let (bid, message_id) = confirmed(&api, &first, &phone, start).await;
    // The same person booked with another workspace's study too.
    let (other_bid, _) = confirmed(&api, &second, &phone, start + Duration::hours(2)).await;
    let before = api.texts_to(&phone).await.len();
    assert_eq!(before, 2);

    // The person texted STOP to a toll-free number: the carrier answered it and now
    // blocks texts; End User Messaging reports the opt-out on the next event.
    carrier_event("opted-out", &message_id, &phone).await;
    let entry = wait_for_entry(&api, &first, &bid, "confirmation", |e| {
        e["delivery_status"] == "failed"
    })
    .await;
    assert_eq!(
        entry["delivery_reason"], "TEXT_OPTED_OUT: OPTED_OUT",
        "{entry}"
    );
    for s in [&first, &second] {
        let status = api
            .get(
                &format!(
                    "/workspaces/{}/sms-consent/status?phone={}",
                    s.workspace_id,
                    phone.replace('+', "%2B")
                ),
                &s.admin,
            )
            .await;
        assert_eq!(status.ok(200)["opted_out"], true, "{:?}", status.body);
    }

    // Every later text to that number, in either workspace, is suppressed at its claim.
    api.send(
        "PATCH",
        &format!("/studies/{}/bookings/{other_bid}", second.study_id),
        Some(&second.admin),
        Some(json!({"starts_at": (start + Duration::hours(3)).to_rfc3339()})),
        &[],
    )
    .await
    .ok(200);
    let change = wait_for_entry(&api, &second, &other_bid, "schedule_change", |e| {
        e["status"] != "sending"
    })
    .await;
    assert_eq!(change["status"], "suppressed", "{change}");
    assert_eq!(change["reason"], "opted_out", "{change}");
    api.tick(start - Duration::minutes(15)).await;
    let reminder =
        wait_for_entry(&api, &first, &bid, "reminder", |e| e["status"] != "sending").await;
    assert_eq!(reminder["status"], "suppressed", "{reminder}");
    assert_eq!(reminder["reason"], "opted_out", "{reminder}");
    assert_eq!(
        api.texts_to(&phone).await.len(),
        before,
        "a text went out after the carrier opt-out"
    );
}

#[tokio::test]
async fn a_carrier_block_is_not_delivered_and_changes_no_consent() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let (bid, message_id) = confirmed(&api, &s, &phone, start_in_days(22)).await;
    carrier_event("blocked", &message_id, &phone).await;
    let entry = wait_for_entry(&api, &s, &bid, "confirmation", |e| {
        e["delivery_status"] == "failed"
    })
    .await;
    assert_eq!(entry["delivery_reason"], "TEXT_BLOCKED: BLOCKED", "{entry}");
    let status = api
        .get(
            &format!(
                "/workspaces/{}/sms-consent/status?phone={}",
                s.workspace_id,
                phone.replace('+', "%2B")
            ),
            &s.admin,
        )
        .await;
    // The device or carrier blocks texts: not the person's wish, so no opt-out.
    assert_eq!(status.ok(200)["opted_out"], false);
    // An event for a message no intent sent (a reply, a code) is taken without error.
    carrier_event("delivered", "no-such-message", &phone).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let again = log_entry(&api, &s, &bid, "confirmation").await.unwrap();
    assert_eq!(again["delivery_status"], "failed", "{again}");
}
