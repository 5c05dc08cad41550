//! Single, exactly placed faults between the stack's AWS SDK and the emulator
//! (`infra/emulator/fault_proxy.py`): a write that is applied but whose answer never
//! reaches the caller, which the SDK then retries, and one that lands after its caller
//! heard an error and gave up. Each case must end as if nothing had happened, or (the
//! late claim) with the text marked `failed` and reported, never sent twice. (`make
//! soak` injects every kind of fault at random; these pin the cases it found.)
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde_json::{json, Value};
use system_tests::{fault_proxy, items, stack, unique_phone, Api, BookableStudy, FaultProxy};
use tokio::sync::MutexGuard;

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

/// One fault test's hold on the stack: the fault proxy, taken for the test's whole run
/// (keep the guard: while it is held no other test sets faults), a client, a study
/// ready for booking and a fresh phone.
type Exclusive = (
    &'static FaultProxy,
    MutexGuard<'static, ()>,
    Api,
    BookableStudy,
    String,
);

async fn exclusive() -> Exclusive {
    let proxy = fault_proxy();
    let api = Api::new();
    let one_at_a_time = proxy.exclusive.lock().await;
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    (proxy, one_at_a_time, api, s, phone)
}

/// A minute-aligned time `minutes` from now.
fn minutes_ahead(minutes: i64) -> DateTime<Utc> {
    (Utc::now() + TimeDelta::minutes(minutes))
        .duration_trunc(TimeDelta::minutes(1))
        .unwrap()
}

/// How many of `texts` are reminders.
fn reminders(texts: &[String]) -> usize {
    texts.iter().filter(|t| t.contains("Reminder:")).count()
}

/// Sets `faults`, runs `action`, turns faults off; returns the action's result and
/// what the proxy injected meanwhile.
async fn with_faults<T>(
    proxy: &FaultProxy,
    faults: Value,
    action: impl std::future::Future<Output = T>,
) -> (T, Value) {
    proxy.set(faults).await;
    let out = action.await;
    let injected = proxy.injected().await;
    proxy.set(json!({"rate": 0})).await;
    (out, injected)
}

/// A booking with phone and consent at `start`; returns its id once its confirmation
/// went out and its log entry says `sent` (so no write of the confirmation's is still
/// in flight when a test sets faults).
async fn booked_and_confirmed(
    api: &Api,
    s: &BookableStudy,
    phone: &str,
    start: DateTime<Utc>,
) -> String {
    let booked = api.post_booking(s, booking_at(phone, start)).await;
    let bid = booked.ok(201)["booking_id"].as_str().unwrap().to_owned();
    let texts = api.wait_for_texts(phone, 1).await;
    assert_eq!(texts.len(), 1, "no confirmation");
    let sent = wait_for_log(api, s, &bid, "confirmation", |e| e["status"] == "sent").await;
    assert!(
        sent.is_some(),
        "the confirmation's log entry never said sent"
    );
    bid
}

/// A booking of `s` by `phone` at `minutes` from now, confirmed (`booked_and_confirmed`),
/// whose reminder's first dispatch run (15 minutes before the start) meets `faults`: the
/// booking's id, its start, the run's result and what the proxy injected.
async fn reminder_run_with_faults(
    proxy: &FaultProxy,
    api: &Api,
    s: &BookableStudy,
    phone: &str,
    minutes: i64,
    faults: Value,
) -> (String, DateTime<Utc>, Value, Value) {
    let start = minutes_ahead(minutes);
    let bid = booked_and_confirmed(api, s, phone, start).await;
    let (ran, injected) =
        with_faults(proxy, faults, api.tick(start - TimeDelta::minutes(15))).await;
    (bid, start, ran, injected)
}

/// The SMS failure queue's new messages about one booking (each message is read once).
async fn failure_reports(bid: &str) -> Vec<Value> {
    let queue = format!("{}SmsFailureQueue", stack().prefix);
    local_stack::inspect::receive_all(&stack().emulator_url, &queue, 600)
        .await
        .expect("the failure queue")
        .into_iter()
        .filter_map(|body| serde_json::from_str::<Value>(&body).ok())
        .filter(|r| r["booking_id"] == bid)
        .collect()
}

/// Waits (up to 15 s) for a log entry of `kind` that satisfies `done`.
async fn wait_for_log(
    api: &Api,
    s: &BookableStudy,
    bid: &str,
    kind: &str,
    done: impl Fn(&Value) -> bool,
) -> Option<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if let Some(entry) = api
            .sms_log_entries(s, bid, kind)
            .await
            .into_iter()
            .find(&done)
        {
            return Some(entry);
        }
        if std::time::Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_booking_whose_transaction_answer_is_lost_is_made_once_and_answered_201() {
    let (proxy, _one_at_a_time, api, s, phone) = exclusive().await;
    let starts_at = Utc::now() + TimeDelta::days(3);
    // No Idempotency-Key: only the SDK's retry (same ClientRequestToken) can save it.
    let (reply, injected) = with_faults(
        proxy,
        json!({"rate": 1, "kinds": ["drop_after"],
               "operations": ["DynamoDB.TransactWriteItems"], "limit": 1}),
        api.post_booking(&s, booking_at(&phone, starts_at)),
    )
    .await;
    assert_eq!(injected["drop_after"], 1, "the fault was not injected");
    reply.ok(201);
    let granted = api
        .consent_records(&s, Some(&phone))
        .await
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
    let (proxy, _one_at_a_time, api, s, phone) = exclusive().await;
    // The tick's first transaction is the reminder's claim: applied, answer lost.
    let faults = json!({"rate": 1, "kinds": ["drop_after"],
                        "operations": ["DynamoDB.TransactWriteItems"], "limit": 1});
    let (bid, start, ran, injected) =
        reminder_run_with_faults(proxy, &api, &s, &phone, 30, faults).await;
    assert_eq!(
        injected["drop_after"], 1,
        "the fault was not injected: {ran}"
    );
    assert_eq!(reminders(&api.texts_to(&phone).await), 1, "{ran}");
    // A later run finds nothing left to send.
    api.tick(start - TimeDelta::minutes(14)).await;
    assert_eq!(api.texts_to(&phone).await.len(), 2);
    let log = api.sms_log_entries(&s, &bid, "reminder").await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["status"], "sent", "{log:?}");
}

#[tokio::test]
async fn a_stop_whose_reply_claim_answer_is_lost_still_gets_its_one_reply() {
    let (proxy, _one_at_a_time, api, s, phone) = exclusive().await;
    api.book(&s, booking_at(&phone, Utc::now() + TimeDelta::days(2)))
        .await;
    // The confirmation.
    api.wait_for_texts(&phone, 1).await;
    // The STOP's only PutItem before its reply is the reply's claim
    // (`INBOUND#<id>/REPLY`): applied, answer lost, retried by the SDK.
    let (_, injected) = with_faults(
        proxy,
        json!({"rate": 1, "kinds": ["drop_after"],
               "operations": ["DynamoDB.PutItem"], "limit": 1}),
        api.text_in(&phone, "STOP"),
    )
    .await;
    assert_eq!(injected["drop_after"], 1, "the fault was not injected");
    let texts = api.wait_for_texts(&phone, 2).await;
    let replies = texts
        .iter()
        .filter(|t| t.contains("You are unsubscribed"))
        .count();
    assert_eq!(replies, 1, "{} texts", texts.len());
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], true);
}

#[tokio::test]
async fn a_reminder_claim_that_commits_while_every_attempt_errs_is_still_sent_once() {
    let (proxy, _one_at_a_time, api, s, phone) = exclusive().await;
    // The claim commits but its answer is lost, and the SDK's two retries fail too
    // (3 attempts): the dispatcher hears an error for a claim that is its own.
    let faults = json!({"rate": 1, "operations": ["DynamoDB.TransactWriteItems"],
                        "sequence": ["drop_after", "http500", "http500"]});
    let (bid, start, ran, injected) =
        reminder_run_with_faults(proxy, &api, &s, &phone, 40, faults).await;
    assert_eq!(injected["drop_after"], 1, "{injected} {ran}");
    assert_eq!(injected["http500"], 2, "{injected} {ran}");
    api.tick(start - TimeDelta::minutes(14)).await;
    assert_eq!(reminders(&api.texts_to(&phone).await), 1, "{ran}");
    let statuses: Vec<_> = api
        .sms_log_entries(&s, &bid, "reminder")
        .await
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("sent")]);
}

/// The soak's open finding (docs/reliability.md): the claim transaction is applied
/// *after* its caller gave up. Its first attempt is answered 500 and held by the proxy;
/// the SDK's two retries get 500 too; the dispatcher reads back no claim of its own and
/// reports an error; then the held attempt lands. The intent is gone, the log entry
/// says `sending`, nothing was sent. The dispatcher's sweep, once the claim is 15
/// minutes old, marks it `failed` (`unconfirmed`) and reports it once; nothing is
/// resent.
#[tokio::test]
async fn a_reminder_claim_applied_after_its_caller_gave_up_is_marked_failed_and_reported_once() {
    let (proxy, _one_at_a_time, api, s, phone) = exclusive().await;
    let start = minutes_ahead(30);
    let bid = booked_and_confirmed(&api, &s, &phone, start).await;
    let claimed_at = start - TimeDelta::minutes(15);
    // Held 6 s: longer than the SDK's three attempts with their backoff (at most 1 s +
    // 2 s) and the read-back after them.
    let (ran, injected) = with_faults(
        proxy,
        json!({"rate": 1, "operations": ["DynamoDB.TransactWriteItems"],
               "sequence": ["apply_late", "http500", "http500"], "delay_seconds": 6}),
        api.public(
            "POST",
            "/_dev/tick",
            Some(json!({"now": claimed_at.to_rfc3339()})),
        ),
    )
    .await;
    assert_eq!(injected["apply_late"], 1, "{injected}");
    assert_eq!(injected["http500"], 2, "{injected}");
    let ran = ran.ok(200).clone();
    let dispatcher = ran["ran"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["function"] == "ReminderDispatcherFunction")
        .cloned()
        .expect("the dispatcher ran");
    assert!(
        dispatcher.get("error").is_some(),
        "the claim's caller must have heard an error: {dispatcher}"
    );
    // Then the held claim lands: the stuck state of the finding.
    let stuck = wait_for_log(&api, &s, &bid, "reminder", |e| e["status"] == "sending").await;
    assert!(stuck.is_some(), "the late claim never landed");
    let intent_id = items(&format!("BOOKING#{bid}"), "SMS#")
        .await
        .into_iter()
        .find(|e| e.get("kind").map(String::as_str) == Some("reminder"))
        .and_then(|e| e.get("intent_id").cloned())
        .expect("the reminder's log item");
    let claim_hour = claimed_at.format("%Y-%m-%dT%H").to_string();
    let watch_partition = format!("SENDING#{}", claimed_at.format("%Y-%m-%d"));
    let watches = |all: Vec<std::collections::HashMap<String, String>>| {
        all.into_iter()
            .filter(|w| w.get("intent_id") == Some(&intent_id))
            .count()
    };
    assert_eq!(
        watches(items(&watch_partition, &claim_hour).await),
        1,
        "the claim's watch"
    );
    let mut reports: Vec<Value> = Vec::new();

    // 14 minutes on, a live send could still be running: left alone.
    api.tick(claimed_at + TimeDelta::minutes(14)).await;
    let entry = api.sms_log_entries(&s, &bid, "reminder").await;
    assert_eq!(entry[0]["status"], "sending", "{entry:?}");
    reports.extend(failure_reports(&bid).await);
    assert!(reports.is_empty(), "{reports:?}");

    // 16 minutes on: marked failed, reported once, the watch gone.
    let ran = api.tick(claimed_at + TimeDelta::minutes(16)).await;
    let entry = api.sms_log_entries(&s, &bid, "reminder").await;
    assert_eq!(entry.len(), 1, "{entry:?}");
    assert_eq!(entry[0]["status"], "failed", "{entry:?} {ran}");
    assert_eq!(entry[0]["reason"], "unconfirmed", "{entry:?}");
    assert_eq!(watches(items(&watch_partition, &claim_hour).await), 0);
    // Later runs change nothing and report nothing more.
    api.tick(claimed_at + TimeDelta::minutes(17)).await;
    reports.extend(failure_reports(&bid).await);
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0]["intent_id"], intent_id.as_str());
    assert_eq!(reports[0]["kind"], "reminder");
    assert!(
        reports[0]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("unconfirmed")),
        "{reports:?}"
    );
    assert_eq!(
        api.sms_log_entries(&s, &bid, "reminder").await[0]["status"],
        "failed"
    );
    // Never resent: the confirmation only.
    let texts = api.texts_to(&phone).await;
    assert_eq!(reminders(&texts), 0, "{} texts", texts.len());
    assert_eq!(texts.len(), 1);
}

/// A reminder due now whose `Publish` gets `faults`: the tick's result, what was
/// injected, the texts to the phone, the reminder's log entries and its failure reports.
async fn reminder_with_publish_faults(
    faults: Value,
) -> (Value, Value, Vec<String>, Vec<Value>, Vec<Value>) {
    let (proxy, _one_at_a_time, api, s, phone) = exclusive().await;
    let (bid, start, ran, injected) =
        reminder_run_with_faults(proxy, &api, &s, &phone, 30, faults).await;
    // A held publish lands after its caller gave up; then a later run must not resend.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    api.tick(start - TimeDelta::minutes(14)).await;
    let texts: Vec<String> = api
        .texts_to(&phone)
        .await
        .into_iter()
        .filter(|t| t.contains("Reminder:"))
        .collect();
    let log = api.sms_log_entries(&s, &bid, "reminder").await;
    let reports = failure_reports(&bid).await;
    (ran, injected, texts, log, reports)
}

/// Faults that inject one fault of `kind` into the next `Publish`.
fn one_publish_fault(kind: &str) -> Value {
    json!({"rate": 1, "kinds": [kind], "operations": ["SNS.Publish"], "limit": 1})
}

/// A reminder whose `Publish` meets `faults` (`one_publish_fault`), and that reaches the
/// person `sent` times: the one `unconfirmed` outcome of an ambiguous publish, logged
/// `failed` with that reason, exactly one failure report naming the intent.
async fn publish_fault_is_unconfirmed(faults: Value, sent: usize) {
    let kind = faults["kinds"][0].as_str().expect("one kind").to_owned();
    let (ran, injected, texts, log, reports) = reminder_with_publish_faults(faults).await;
    assert_eq!(injected[kind], 1, "the fault was not injected: {ran}");
    assert_eq!(texts.len(), sent, "{texts:?} {ran}");
    assert_eq!(log.len(), 1, "{log:?} {ran}");
    assert_eq!(log[0]["status"], "failed", "{log:?} {ran}");
    assert_eq!(log[0]["reason"], "unconfirmed", "{log:?}");
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0]["kind"], "reminder", "{reports:?}");
    assert!(
        reports[0]["reason"]
            .as_str()
            .unwrap_or_default()
            .starts_with("unconfirmed"),
        "{reports:?}"
    );
}

#[tokio::test]
async fn a_reminder_whose_publish_was_applied_but_its_answer_lost_is_sent_once_and_unconfirmed() {
    // SNS took it: the person has it, once; nobody can know, so it says unconfirmed.
    publish_fault_is_unconfirmed(one_publish_fault("drop_after"), 1).await;
}

#[tokio::test]
async fn a_reminder_whose_publish_is_slow_past_the_timeout_is_sent_once_and_unconfirmed() {
    // Held past the SDK's attempt timeout (15 s against the emulator), then applied.
    let mut delay = one_publish_fault("delay");
    delay["delay_seconds"] = json!(shared::aws::EMULATOR_ATTEMPT_TIMEOUT.as_secs() + 2);
    publish_fault_is_unconfirmed(delay, 1).await;
}

#[tokio::test]
async fn a_reminder_whose_publish_gets_a_server_error_is_not_retried_and_is_unconfirmed() {
    // The proxy never forwarded it, and nothing retried it.
    publish_fault_is_unconfirmed(one_publish_fault("http500"), 0).await;
}

#[tokio::test]
async fn a_throttled_publish_is_retried_and_the_reminder_sent_once() {
    let (ran, injected, texts, log, reports) = reminder_with_publish_faults(json!({
        "rate": 1, "operations": ["SNS.Publish"], "sequence": ["throttle", "throttle"]
    }))
    .await;
    assert_eq!(
        injected["throttle"], 2,
        "the faults were not injected: {ran}"
    );
    assert_eq!(texts.len(), 1, "{texts:?} {ran}");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["status"], "sent", "{log:?}");
    assert!(log[0]["message_id"].is_string(), "{log:?}");
    assert!(reports.is_empty(), "{reports:?}");
}

/// A conversation started while the participant's email meets `kind`: the study, its
/// owner, the conversation and what the proxy injected.
async fn conversation_with_email_faults(
    api: &Api,
    proxy: &FaultProxy,
    kind: &str,
) -> (String, system_tests::User, String, Value) {
    let owner = api.user("owner").await;
    let ws = api.workspace(&owner).await;
    let study = api.study(&owner, &ws, "interview", "direct").await;
    let sid = study["id"].as_str().unwrap().to_owned();
    let (pid, _) = api.add_direct_participant(&owner, &sid, "Pat").await;
    let (started, injected) = with_faults(
        proxy,
        json!({"rate": 1, "kinds": [kind], "operations": ["SESv2.SendEmail"], "limit": 1,
               "delay_seconds": 5}),
        api.post(
            &format!("/studies/{sid}/conversations"),
            &owner,
            json!({"participant_id": pid, "body": "Hello"}),
        ),
    )
    .await;
    let cid = started.ok(201)["conversation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    (sid, owner, cid, injected.clone())
}

async fn emails_to(api: &Api, address_of: &str) -> usize {
    api.outbox("emails")
        .await
        .iter()
        .filter(|e| {
            e["to"]
                .as_str()
                .is_some_and(|to| to.starts_with(address_of))
        })
        .count()
}

#[tokio::test]
async fn an_email_whose_send_was_applied_but_its_answer_lost_goes_out_once() {
    let proxy = fault_proxy();
    let api = Api::new();
    let _one_at_a_time = proxy.exclusive.lock().await;
    for kind in ["drop_after", "delay"] {
        let (sid, owner, cid, injected) = conversation_with_email_faults(&api, proxy, kind).await;
        assert_eq!(injected[kind], 1, "{kind}: the fault was not injected");
        // Give a delayed send time to land.
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        let conversation = items(&format!("STUDY#{sid}"), &format!("CONVERSATION#{cid}"))
            .await
            .pop()
            .expect("conversation");
        let participant = conversation["participant_email"].clone();
        assert_eq!(emails_to(&api, &participant).await, 1, "{kind}");
        assert!(
            conversation.contains_key("email_unconfirmed_at"),
            "{kind}: not recorded"
        );
        // The claim stays: the next message before the participant reads emails nobody.
        api.post_message(
            &format!("/studies/{sid}/conversations/{cid}/messages"),
            &owner,
            "Are you there?",
        )
        .await;
        assert_eq!(emails_to(&api, &participant).await, 1, "{kind}");
    }
}
