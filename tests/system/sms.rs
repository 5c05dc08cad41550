//! Outbound SMS end to end: confirmation, the 15-minute reminder, reschedule, cancel,
//! the cap of six per event, catch-up after an outage and never after the start.
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::{json, Value};
use std::sync::Arc;
use system_tests::{booking_at, set_booking_start, unique_phone, Api, BookableStudy, Reply, User};

/// A minute-aligned start `days` into this module's block of days
/// (`system_tests::days`); each test picks its own day so the dispatcher windows of
/// concurrent tests never overlap.
fn start_in_days(days: i64) -> DateTime<Utc> {
    system_tests::start_in_days(system_tests::days::SMS + days)
}

/// A new SMS-enabled study booked by a fresh phone `days` into this module's block: the
/// study, the phone, the start and the booking's 201 answer.
async fn booked(api: &Api, days: i64) -> (BookableStudy, String, DateTime<Utc>, Value) {
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let start = start_in_days(days);
    let booking = api.book(&s, booking_at(&phone, start)).await;
    (s, phone, start, booking)
}

/// The path of booking `booking` (its 201 answer) under study `s` in the team's API, with
/// `tail` (`/cancel`, `/sms`, ...).
fn booking_path(s: &BookableStudy, booking: &Value, tail: &str) -> String {
    let bid = booking["booking_id"].as_str().expect("booking id");
    format!("/studies/{}/bookings/{bid}{tail}", s.study_id)
}

/// Posts the day-of update `update` for booking `booking` (its 201 answer) of `s`, as
/// `by`; returns the answer.
async fn day_of_update(
    api: &Api,
    s: &BookableStudy,
    booking: &Value,
    by: &User,
    update: &str,
) -> Reply {
    let path = booking_path(s, booking, "/day-of-update");
    api.post(&path, by, json!({ "update": update })).await
}

/// Posts the `running_late` day-of update for `booking` as `s`'s admin: it is queued and
/// reaches `phone` as its second text.
async fn running_late_is_sent(api: &Api, s: &BookableStudy, booking: &Value, phone: &str) {
    let queued = day_of_update(api, s, booking, &s.admin, "running_late").await;
    assert_eq!(queued.ok(202)["queued"], true);
    let texts = api.wait_for_texts(phone, 2).await;
    assert_eq!(count(&texts, "running a few minutes late"), 1, "{texts:?}");
}

fn count(texts: &[String], needle: &str) -> usize {
    texts.iter().filter(|t| t.contains(needle)).count()
}

#[tokio::test]
async fn a_booking_is_confirmed_by_text_without_the_study_name() {
    let api = Api::new();
    let (s, phone, _, booking) = booked(&api, 3).await;
    let texts = api.wait_for_texts(&phone, 1).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    let text = &texts[0];
    assert!(
        text.starts_with("Rally: Your interview is booked for "),
        "{text}"
    );
    assert!(
        text.contains(booking["manage_url"].as_str().unwrap()),
        "{text}"
    );
    assert!(
        text.ends_with("Reply STOP to opt out, HELP for help."),
        "{text}"
    );
    assert!(
        !text.contains("Sleep and memory"),
        "the study's name leaked: {text}"
    );
    assert!(
        text.contains(" EST") || text.contains(" EDT"),
        "not in the participant's time zone: {text}"
    );

    let sent = api
        .outbox("sms")
        .await
        .into_iter()
        .find(|m| m["to"] == phone.as_str())
        .unwrap();
    assert_eq!(sent["from"], "+16175550100");

    let items = api
        .sms_log(&s, booking["booking_id"].as_str().unwrap())
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["kind"], "confirmation");
    assert_eq!(items[0]["status"], "sent");
    assert!(items[0]["sent_at"].is_string());
}

#[tokio::test]
async fn exactly_one_reminder_at_fifteen_minutes_however_many_ticks() {
    let api = Api::new();
    let (_, phone, start, _) = booked(&api, 4).await;
    assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1);

    api.tick(start - Duration::minutes(20)).await;
    api.tick(start - Duration::minutes(16)).await;
    assert_eq!(
        count(&api.texts_to(&phone).await, "Reminder"),
        0,
        "reminded too early"
    );

    for minutes in [15, 15, 14, 10, 1] {
        api.tick(start - Duration::minutes(minutes)).await;
    }
    let texts = api.texts_to(&phone).await;
    assert_eq!(
        count(&texts, "Reminder: your interview starts at"),
        1,
        "{texts:?}"
    );
}

#[tokio::test]
async fn overlapping_dispatcher_runs_send_one_reminder() {
    let api = Arc::new(Api::new());
    let (_, phone, start, _) = booked(&api, 5).await;
    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let api = api.clone();
        runs.spawn(async move { api.tick(start - Duration::minutes(15)).await });
    }
    while runs.join_next().await.is_some() {}
    assert_eq!(count(&api.texts_to(&phone).await, "Reminder"), 1);
}

#[tokio::test]
async fn a_reschedule_texts_the_change_and_moves_the_reminder() {
    let api = Api::new();
    let (s, phone, start, booking) = booked(&api, 6).await;
    let bid = booking["booking_id"].as_str().unwrap();
    let moved = start + Duration::hours(2);
    let reply = api.reschedule(&s, bid, moved).await;
    assert_eq!(
        reply.ok(200)["starts_at"],
        moved.to_rfc3339().replace("+00:00", "Z")
    );
    let texts = api.wait_for_texts(&phone, 2).await;
    assert_eq!(count(&texts, "Your interview has moved to"), 1, "{texts:?}");

    api.tick(start - Duration::minutes(15)).await;
    assert_eq!(
        count(&api.texts_to(&phone).await, "Reminder"),
        0,
        "reminded at the old time"
    );
    api.tick(moved - Duration::minutes(15)).await;
    assert_eq!(count(&api.texts_to(&phone).await, "Reminder"), 1);

    let kinds: Vec<_> = api
        .sms_log(&s, bid)
        .await
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["confirmation", "schedule_change", "reminder"]);
}

#[tokio::test]
async fn a_cancellation_texts_once_and_stops_the_reminder() {
    let api = Api::new();
    let (s, phone, start, booking) = booked(&api, 7).await;
    let path = booking_path(&s, &booking, "/cancel");
    assert_eq!(
        api.post(&path, &s.admin, json!({})).await.ok(200)["status"],
        "cancelled"
    );
    assert_eq!(
        api.post(&path, &s.admin, json!({})).await.problem(409)["code"],
        "booking_cancelled"
    );
    let texts = api.wait_for_texts(&phone, 2).await;
    assert_eq!(count(&texts, "has been cancelled"), 1, "{texts:?}");
    api.tick(start - Duration::minutes(15)).await;
    api.tick(start - Duration::minutes(5)).await;
    assert_eq!(count(&api.texts_to(&phone).await, "Reminder"), 0);
    // A cancelled booking cannot be moved.
    let bid = booking["booking_id"].as_str().unwrap();
    api.reschedule(&s, bid, start + Duration::hours(1))
        .await
        .problem(409);
}

#[tokio::test]
async fn never_more_than_six_texts_per_event_even_with_twenty_concurrent_reschedules() {
    let api = Arc::new(Api::new());
    let (s, phone, start, booking) = booked(&api, 8).await;
    let path = booking_path(&s, &booking, "");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (api, path, admin) = (api.clone(), path.clone(), s.admin.clone());
        let to = start + Duration::minutes(30 * (i + 1));
        tasks.spawn(async move {
            api.send(
                "PATCH",
                &path,
                Some(&admin),
                Some(json!({"starts_at": to.to_rfc3339()})),
                &[],
            )
            .await
            .status
        });
    }
    while let Some(status) = tasks.join_next().await {
        let status = status.unwrap();
        assert!(status == 200 || status == 409, "unexpected {status}");
    }
    let after_race = api.wait_for_texts(&phone, 7).await.len();
    assert!(
        after_race <= 6,
        "the cap of six was broken by the race: {after_race}"
    );
    // Then one at a time, letting each notice go out, well past six asks.
    for i in 0..8 {
        let sent_before = api.texts_to(&phone).await.len();
        let to = start + Duration::days(1) + Duration::minutes(10 * i);
        api.reschedule(&s, booking["booking_id"].as_str().unwrap(), to)
            .await
            .ok(200);
        if sent_before < 6 {
            assert_eq!(
                api.wait_for_texts(&phone, sent_before + 1).await.len(),
                sent_before + 1
            );
        }
    }
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let texts = api.texts_to(&phone).await;
    assert_eq!(texts.len(), 6, "the cap of six was broken: {texts:?}");
    let log = api
        .sms_log(&s, booking["booking_id"].as_str().unwrap())
        .await;
    let capped = log.iter().filter(|i| i["reason"] == "cap_reached").count();
    assert!(capped > 0, "no intent was refused for the cap: {log:?}");
}

#[tokio::test]
async fn after_an_outage_a_missed_reminder_goes_out_but_never_after_the_start() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let early = unique_phone();
    let late = unique_phone();
    let start = start_in_days(9);
    api.book(&s, booking_at(&early, start)).await;
    api.book(&s, booking_at(&late, start + Duration::hours(3)))
        .await;
    // The dispatcher was down at T-15: its first run at T-5 still reminds.
    api.tick(start - Duration::minutes(5)).await;
    assert_eq!(count(&api.texts_to(&early).await, "Reminder"), 1);
    // Down until one minute after the second interview started: no reminder at all.
    api.tick(start + Duration::hours(3) + Duration::minutes(1))
        .await;
    api.tick(start + Duration::hours(3) - Duration::minutes(1) + Duration::minutes(2))
        .await;
    assert_eq!(count(&api.texts_to(&late).await, "Reminder"), 0);
}

#[tokio::test]
async fn a_removed_phone_gets_no_reminder() {
    let api = Api::new();
    let (_, phone, start, booking) = booked(&api, 10).await;
    assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1);
    let token = booking["manage_token"].as_str().unwrap();
    assert_eq!(api.remove_phone(token).await.status, 204);
    api.tick(start - Duration::minutes(15)).await;
    assert_eq!(api.texts_to(&phone).await.len(), 1);
}

#[tokio::test]
async fn the_team_sends_a_fixed_day_of_update_and_only_the_team_sees_the_log() {
    let api = Api::new();
    let (s, phone, _, booking) = booked(&api, 11).await;
    let free_text = day_of_update(&api, &s, &booking, &s.admin, "free text please").await;
    assert_eq!(free_text.error_fields(), ["update"]);
    running_late_is_sent(&api, &s, &booking, &phone).await;

    let outsider = api.user("outsider").await;
    let log = booking_path(&s, &booking, "/sms");
    api.assert_not_found(&outsider, &[log]).await;
    day_of_update(&api, &s, &booking, &outsider, "running_late")
        .await
        .problem(404);
    let other = api.bookable_study(true).await;
    // A booking is only reachable through its own study.
    let through_other = booking_path(&other, &booking, "/sms");
    api.assert_not_found(&other.admin, &[through_other]).await;
}

#[tokio::test]
async fn a_day_of_update_ten_minutes_after_the_start_is_sent_and_one_that_would_not_be_is_refused()
{
    let api = Api::new();
    let (s, phone, _, booking) = booked(&api, 12).await;
    let bid = booking["booking_id"].as_str().unwrap().to_owned();
    api.wait_for_texts(&phone, 1).await;

    // The interview started ten minutes ago and the researcher is running late.
    let now = Utc::now().duration_trunc(Duration::seconds(1)).unwrap();
    set_booking_start(&bid, now - Duration::minutes(10)).await;
    running_late_is_sent(&api, &s, &booking, &phone).await;
    let entry = api
        .sms_log_entry(&s, &bid, "day_of_update")
        .await
        .expect("a day-of log entry");
    assert_ne!(entry["status"], "suppressed", "{entry}");

    // Past the send deadline (an hour after the start): refused, nothing queued or sent.
    set_booking_start(&bid, now - Duration::minutes(61)).await;
    let refused = day_of_update(&api, &s, &booking, &s.admin, "running_late").await;
    let problem = refused.problem(409);
    assert_eq!(problem["code"], "interview_over", "{problem}");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        count(&api.texts_to(&phone).await, "running a few minutes late"),
        1
    );

    // A STOPped number: refused too, rather than accepted and suppressed.
    let other = unique_phone();
    let second = api
        .book(
            &s,
            booking_at(&other, start_in_days(12) + Duration::minutes(30)),
        )
        .await;
    api.wait_for_texts(&other, 1).await;
    api.text_in(&other, "STOP").await;
    let problem = day_of_update(&api, &s, &second, &s.admin, "starting_soon").await;
    assert_eq!(problem.problem(409)["code"], "opted_out");
}

/// The switches are checked when the reminder is claimed, not when it was planned: a
/// workspace that turned SMS off, or a study that turned its reminder off, since the
/// booking gets no reminder, and the log says why.
#[tokio::test]
async fn a_reminder_whose_workspace_or_study_switched_off_since_is_not_sent() {
    let api = Api::new();
    for switch in ["workspace", "study"] {
        let s = api.bookable_study(true).await;
        let phone = unique_phone();
        let start = start_in_days(5);
        let booking = api.book(&s, booking_at(&phone, start)).await;
        assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1);
        let switched_off = match switch {
            "workspace" => api.set_sms(&s.admin, &s.workspace_id, false).await,
            _ => {
                api.set_interview_reminder(&s.admin, &s.study_id, false)
                    .await
            }
        };
        switched_off.ok(200);
        api.tick(start - Duration::minutes(15)).await;
        let texts = api.texts_to(&phone).await;
        assert_eq!(count(&texts, "Reminder"), 0, "{switch}: {texts:?}");
        let bid = booking["booking_id"].as_str().unwrap();
        let reminder = api
            .sms_log_entry(&s, bid, "reminder")
            .await
            .unwrap_or_default();
        assert_eq!(reminder["status"], "suppressed", "{switch}: {reminder}");
        assert_eq!(reminder["reason"], "sms_disabled", "{switch}: {reminder}");
    }
}
