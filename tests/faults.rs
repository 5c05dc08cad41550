//! Single, exactly placed faults between the stack's AWS SDK and the emulator
//! (`infra/emulator/fault_proxy.py`): a write that is applied but whose answer never
//! reaches the caller, which the SDK then retries. Each case must end as if nothing
//! had happened. (`make soak` injects every kind of fault at random; these pin the
//! cases it found.)
use chrono::{DurationRound, TimeDelta, Utc};
use serde_json::json;
use system_tests::{fault_proxy, unique_phone, Api};

fn booking_at(phone: &str, starts_at: chrono::DateTime<Utc>) -> serde_json::Value {
    json!({
        "name": "Ann Example",
        "email": "ann@example.org",
        "starts_at": starts_at.format("%Y-%m-%dT%H:%M:00Z").to_string(),
        "time_zone": "America/New_York",
        "phone": phone,
        "sms_consent": true,
    })
}

#[tokio::test]
async fn a_booking_whose_transaction_answer_is_lost_is_made_once_and_answered_201() {
    let proxy = fault_proxy();
    let api = Api::new();
    let _one_at_a_time = proxy.exclusive.lock().await;
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let starts_at = Utc::now() + TimeDelta::days(3);
    // No Idempotency-Key: only the SDK's retry (same ClientRequestToken) can save it.
    proxy
        .set(json!({"rate": 1, "kinds": ["drop_after"],
                    "operations": ["DynamoDB.TransactWriteItems"], "limit": 1}))
        .await;
    let reply = api
        .public(
            "POST",
            &format!("/public/studies/{}/bookings", s.share_token),
            Some(booking_at(&phone, starts_at)),
        )
        .await;
    let injected = proxy.injected().await;
    proxy.set(json!({"rate": 0})).await;
    assert_eq!(injected["drop_after"], 1, "the fault was not injected");
    reply.ok(201);
    let records = api
        .get(
            &format!(
                "/workspaces/{}/sms-consent/records?phone={}",
                s.workspace_id,
                phone.replace('+', "%2B")
            ),
            &s.admin,
        )
        .await;
    let granted = records.ok(200)["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|r| r["action"] == "granted")
        .count();
    assert_eq!(granted, 1);
    let texts = api.wait_for_texts(&phone, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(api.texts_to(&phone).await.len(), 1, "{texts:?}");
}

#[tokio::test]
async fn a_reminder_whose_claim_answer_is_lost_is_still_sent_once() {
    let proxy = fault_proxy();
    let api = Api::new();
    let _one_at_a_time = proxy.exclusive.lock().await;
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let start = (Utc::now() + TimeDelta::minutes(30))
        .duration_trunc(TimeDelta::minutes(1))
        .unwrap();
    let booked = api
        .public(
            "POST",
            &format!("/public/studies/{}/bookings", s.share_token),
            Some(booking_at(&phone, start)),
        )
        .await;
    let bid = booked.ok(201)["booking_id"].as_str().unwrap().to_owned();
    api.wait_for_texts(&phone, 1).await; // the confirmation
                                         // The tick's first transaction is the reminder's claim: applied, answer lost.
    proxy
        .set(json!({"rate": 1, "kinds": ["drop_after"],
                    "operations": ["DynamoDB.TransactWriteItems"], "limit": 1}))
        .await;
    let ran = api.tick(start - TimeDelta::minutes(15)).await;
    let injected = proxy.injected().await;
    proxy.set(json!({"rate": 0})).await;
    assert_eq!(
        injected["drop_after"], 1,
        "the fault was not injected: {ran}"
    );
    let texts = api.texts_to(&phone).await;
    let reminders = texts.iter().filter(|t| t.contains("Reminder:")).count();
    assert_eq!(reminders, 1, "{ran}");
    // A later run finds nothing left to send.
    api.tick(start - TimeDelta::minutes(14)).await;
    assert_eq!(api.texts_to(&phone).await.len(), 2);
    let log = api
        .get(
            &format!("/studies/{}/bookings/{bid}/sms", s.study_id),
            &s.admin,
        )
        .await;
    let reminder = log.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "reminder")
        .cloned()
        .expect("a reminder log entry");
    assert_eq!(reminder["status"], "sent", "{log:?}");
}

#[tokio::test]
async fn a_stop_whose_reply_claim_answer_is_lost_still_gets_its_one_reply() {
    let proxy = fault_proxy();
    let api = Api::new();
    let _one_at_a_time = proxy.exclusive.lock().await;
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    api.public(
        "POST",
        &format!("/public/studies/{}/bookings", s.share_token),
        Some(booking_at(&phone, Utc::now() + TimeDelta::days(2))),
    )
    .await
    .ok(201);
    api.wait_for_texts(&phone, 1).await; // the confirmation
                                         // The STOP's only PutItem before its reply is the reply's claim
                                         // (`INBOUND#<id>/REPLY`): applied, answer lost, retried by the SDK.
    proxy
        .set(json!({"rate": 1, "kinds": ["drop_after"],
                    "operations": ["DynamoDB.PutItem"], "limit": 1}))
        .await;
    api.text_in(&phone, "STOP").await;
    let injected = proxy.injected().await;
    proxy.set(json!({"rate": 0})).await;
    assert_eq!(injected["drop_after"], 1, "the fault was not injected");
    let texts = api.wait_for_texts(&phone, 2).await;
    let replies = texts
        .iter()
        .filter(|t| t.contains("You are unsubscribed"))
        .count();
    assert_eq!(replies, 1, "{} texts", texts.len());
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
    assert_eq!(status.ok(200)["opted_out"], true);
}

#[tokio::test]
async fn a_reminder_claim_that_commits_while_every_attempt_errs_is_still_sent_once() {
    let proxy = fault_proxy();
    let api = Api::new();
    let _one_at_a_time = proxy.exclusive.lock().await;
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let start = (Utc::now() + TimeDelta::minutes(40))
        .duration_trunc(TimeDelta::minutes(1))
        .unwrap();
    let booked = api
        .public(
            "POST",
            &format!("/public/studies/{}/bookings", s.share_token),
            Some(booking_at(&phone, start)),
        )
        .await;
    let bid = booked.ok(201)["booking_id"].as_str().unwrap().to_owned();
    api.wait_for_texts(&phone, 1).await; // the confirmation
                                         // The claim commits but its answer is lost, and the SDK's two retries fail too
                                         // (3 attempts): the dispatcher hears an error for a claim that is its own.
    proxy
        .set(
            json!({"rate": 1, "operations": ["DynamoDB.TransactWriteItems"],
                    "sequence": ["drop_after", "http500", "http500"]}),
        )
        .await;
    let ran = api.tick(start - TimeDelta::minutes(15)).await;
    let injected = proxy.injected().await;
    proxy.set(json!({"rate": 0})).await;
    assert_eq!(injected["drop_after"], 1, "{injected} {ran}");
    assert_eq!(injected["http500"], 2, "{injected} {ran}");
    api.tick(start - TimeDelta::minutes(14)).await;
    let texts = api.texts_to(&phone).await;
    let reminders = texts.iter().filter(|t| t.contains("Reminder:")).count();
    assert_eq!(reminders, 1, "{ran}");
    let log = api
        .get(
            &format!("/studies/{}/bookings/{bid}/sms", s.study_id),
            &s.admin,
        )
        .await;
    let statuses: Vec<_> = log.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "reminder")
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("sent")], "{log:?}");
}
