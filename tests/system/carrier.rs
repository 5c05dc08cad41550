//! Carrier outcomes on the path AWS documents for texts sent with SNS Publish: SNS's SMS
//! delivery-status records, handed by CloudWatch Logs (the `awslogs` event) to
//! `sms-delivery-status` through the template's subscription filters. Locally the
//! carrier reports every text the stack sends (`delivered`, or what
//! `POST /_dev/sms/carrier` set for the number), in SNS's record shape
//! (`tests/fixtures/sns-sms-delivery/`). A text's log entry carries SNS's message id; the
//! record finds it by that id and records delivered or failed with SNS's reason; only
//! "Phone number is opted out" becomes the platform-wide opt-out (consent source
//! `carrier`) that every later send's claim checks.
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use system_tests::{booking_at, unique_phone, Api, BookableStudy};

/// A minute-aligned start `days` into this module's block of days
/// (`system_tests::days`).
fn start_in_days(days: i64) -> DateTime<Utc> {
    system_tests::start_in_days(system_tests::days::CARRIER + days)
}

async fn book(api: &Api, s: &BookableStudy, phone: &str, starts_at: DateTime<Utc>) -> String {
    api.book(s, booking_at(phone, starts_at)).await["booking_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Waits (up to 20 s; the contract promises 5 for an outcome, the rest is a busy
/// machine's slack) for the log entry of `kind` to satisfy `done`.
async fn wait_for_entry(
    api: &Api,
    s: &BookableStudy,
    bid: &str,
    kind: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let entry = api.sms_log_entry(s, bid, kind).await;
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

/// Waits for the log entry of `kind` to carry the carrier's `delivery_status`.
async fn wait_for_delivery(
    api: &Api,
    s: &BookableStudy,
    bid: &str,
    kind: &str,
    delivery_status: &str,
) -> Value {
    wait_for_entry(api, s, bid, kind, |e| {
        e["delivery_status"] == delivery_status
    })
    .await
}

/// From now on the local carrier reports `outcome` for texts to `phone`.
async fn carrier_reports(api: &Api, phone: &str, outcome: &str) {
    api.public(
        "POST",
        "/_dev/sms/carrier",
        Some(json!({"phone": phone, "outcome": outcome})),
    )
    .await
    .ok(204);
}

/// A failure the local carrier reports when `POST /_dev/sms/carrier` sets the outcome,
/// with SNS's reason for it.
struct Failure {
    outcome: &'static str,
    reason: &'static str,
}

const UNREACHABLE: Failure = Failure {
    outcome: "unreachable",
    reason: "Phone is currently unreachable/unavailable",
};

const BLOCKED: Failure = Failure {
    outcome: "blocked",
    reason: "Phone carrier has blocked this message",
};

/// With the carrier reporting `failure` for a fresh phone, books that phone `days` into
/// this module's block and asserts that the confirmation fails with SNS's reason;
/// returns the phone.
async fn confirmation_fails(api: &Api, s: &BookableStudy, days: i64, failure: Failure) -> String {
    let phone = unique_phone();
    carrier_reports(api, &phone, failure.outcome).await;
    let bid = book(api, s, &phone, start_in_days(days)).await;
    let entry = wait_for_delivery(api, s, &bid, "confirmation", "failed").await;
    assert_eq!(entry["delivery_reason"], failure.reason, "{entry}");
    phone
}

#[tokio::test]
async fn every_text_gets_its_outcome_and_an_unreachable_one_fails_with_the_reason() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    // Nothing set: the carrier reports the text delivered.
    let phone = unique_phone();
    let bid = book(&api, &s, &phone, start_in_days(20)).await;
    let entry = wait_for_delivery(&api, &s, &bid, "confirmation", "delivered").await;
    assert_eq!(entry["status"], "sent", "{entry}");
    assert!(entry["message_id"].is_string(), "{entry}");
    assert!(entry["delivery_updated_at"].is_string(), "{entry}");
    assert!(entry["delivery_reason"].is_null(), "{entry}");

    let other = confirmation_fails(&api, &s, 20, UNREACHABLE).await;
    // Unreachable is no opt-out.
    assert!(!api.opted_out(&s, &other).await);
}

#[tokio::test]
async fn an_opt_out_aws_reports_blocks_every_later_send_platform_wide() {
    let api = Api::new();
    let (first, second, phone) = api.two_workspaces_and_a_phone().await;
    let start = start_in_days(21);
    let bid = book(&api, &first, &phone, start).await;
    wait_for_delivery(&api, &first, &bid, "confirmation", "delivered").await;
    // The same person booked with another workspace's study too.
    let other_bid = book(&api, &second, &phone, start + Duration::hours(2)).await;
    wait_for_delivery(&api, &second, &other_bid, "confirmation", "delivered").await;

    // The number is now on the account's opt-out list: SNS reports the next text to it
    // as not delivered, "Phone number is opted out".
    carrier_reports(&api, &phone, "opted_out").await;
    api.reschedule(&first, &bid, start + Duration::hours(1))
        .await
        .ok(200);
    let change = wait_for_delivery(&api, &first, &bid, "schedule_change", "failed").await;
    assert_eq!(
        change["delivery_reason"], "Phone number is opted out",
        "{change}"
    );
    let before = api.texts_to(&phone).await.len();
    assert_eq!(before, 3, "two confirmations and the change");
    for s in [&first, &second] {
        assert!(api.opted_out(s, &phone).await, "{}", s.workspace_id);
        // Written into each workspace's evidence, as a STOP would be, naming the source.
        let records = api.consent_records(s, Some(&phone)).await;
        let carrier: Vec<&Value> = records
            .iter()
            .filter(|r| r["action"] == "opted_out")
            .collect();
        assert_eq!(carrier.len(), 1, "{records:?}");
        assert_eq!(carrier[0]["source"], "carrier", "{records:?}");
        assert_eq!(
            carrier[0]["note"], "Phone number is opted out",
            "{records:?}"
        );
    }

    // Every later text to that number, in either workspace, is suppressed at its claim.
    api.reschedule(&second, &other_bid, start + Duration::hours(3))
        .await
        .ok(200);
    let change = wait_for_entry(&api, &second, &other_bid, "schedule_change", |e| {
        e["status"] != "sending"
    })
    .await;
    assert_eq!(change["status"], "suppressed", "{change}");
    assert_eq!(change["reason"], "opted_out", "{change}");
    api.tick(start + Duration::hours(1) - Duration::minutes(15))
        .await;
    let reminder =
        wait_for_entry(&api, &first, &bid, "reminder", |e| e["status"] != "sending").await;
    assert_eq!(reminder["status"], "suppressed", "{reminder}");
    assert_eq!(reminder["reason"], "opted_out", "{reminder}");
    assert_eq!(
        api.texts_to(&phone).await.len(),
        before,
        "a text went out after AWS reported the opt-out"
    );
}

#[tokio::test]
async fn a_carrier_block_is_not_delivered_and_changes_no_consent() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let phone = confirmation_fails(&api, &s, 22, BLOCKED).await;
    // The phone or its carrier blocks texts: not the person's wish, so no opt-out and
    // no consent record beyond the signup.
    assert!(!api.opted_out(&s, &phone).await);
    let records = api.consent_records(&s, Some(&phone)).await;
    assert!(
        records.iter().all(|r| r["action"] == "granted"),
        "{records:?}"
    );
}

#[tokio::test]
async fn the_local_carrier_route_takes_only_what_the_contract_lists() {
    let api = Api::new();
    let reply = api
        .public(
            "POST",
            "/_dev/sms/carrier",
            Some(json!({"phone": unique_phone(), "outcome": "lost"})),
        )
        .await;
    assert_eq!(reply.error_fields(), vec!["outcome"]);
    let reply = api
        .public(
            "POST",
            "/_dev/sms/carrier",
            Some(json!({"phone": "not a phone", "outcome": "delivered"})),
        )
        .await;
    assert_eq!(reply.error_fields(), vec!["phone"]);
    let reply = api.send("POST", "/_dev/sms/carrier", None, None, &[]).await;
    assert_eq!(reply.status, 400, "{reply:?}");
}
