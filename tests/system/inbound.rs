//! Inbound SMS end to end: STOP, HELP, START and everything else, through the same
//! inbound function AWS would invoke, via the local stack's `/_dev/sms/inbound`.
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::sync::Arc;
use system_tests::{booking_at, items, unique_phone, Api, BookableStudy};

/// A minute-aligned start `days` into this module's block of days
/// (`system_tests::days`); each test picks its own day so the dispatcher windows of
/// concurrent tests never overlap.
fn start_in_days(days: i64) -> DateTime<Utc> {
    system_tests::start_in_days(system_tests::days::INBOUND + days)
}

async fn book(
    api: &Api,
    s: &BookableStudy,
    phone: &str,
    email: &str,
    days: i64,
) -> serde_json::Value {
    let mut body = booking_at(phone, start_in_days(days));
    body["email"] = json!(email);
    api.book(s, body).await
}

/// A new SMS-enabled study and a fresh phone booked in it (as ann@example.org) `days`
/// into this module's block: the study, the phone and the booking's 201 answer.
async fn booked(api: &Api, days: i64) -> (BookableStudy, String, serde_json::Value) {
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let booking = book(api, &s, &phone, "ann@example.org", days).await;
    (s, phone, booking)
}

#[tokio::test]
async fn stop_opts_out_everywhere_records_it_and_confirms_once() {
    let api = Api::new();
    let (a, b, phone) = api.two_workspaces_and_a_phone().await;
    let start_days = 20;
    book(&api, &a, &phone, "ann@example.org", start_days).await;
    book(&api, &b, &phone, "ann@example.org", start_days).await;
    assert_eq!(api.wait_for_texts(&phone, 2).await.len(), 2);

    api.text_in(&phone, "Stop").await;
    let texts = api.wait_for_texts(&phone, 3).await;
    assert_eq!(texts.len(), 3);
    assert!(texts[2].contains("unsubscribed"), "{texts:?}");
    for s in [&a, &b] {
        assert_eq!(api.consent_status(s, &phone).await["opted_out"], true);
        let actions = api.consent_actions(s, &phone).await;
        assert_eq!(
            actions.last().unwrap(),
            &("opted_out".to_owned(), "sms_keyword".to_owned()),
            "{actions:?}"
        );
    }
    // Pending reminders in both workspaces stay silent.
    let start = start_in_days(start_days);
    api.tick(start - Duration::minutes(15)).await;
    assert_eq!(api.texts_to(&phone).await.len(), 3);
}

#[tokio::test]
async fn a_redelivered_stop_is_processed_once() {
    let api = Api::new();
    let (s, phone, _) = booked(&api, 21).await;
    assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1);
    let message = json!({"from": phone, "body": "STOP", "inbound_message_id": "dup-1"});
    for _ in 0..3 {
        api.text_in_with(message.clone()).await;
    }
    assert_eq!(
        api.wait_for_texts(&phone, 3).await.len(),
        2,
        "confirmed more than once"
    );
    let opted_out = api
        .consent_actions(&s, &phone)
        .await
        .into_iter()
        .filter(|(a, _)| a == "opted_out")
        .count();
    assert_eq!(opted_out, 1);
}

#[tokio::test]
async fn out_of_order_stop_and_start_end_in_the_later_ones_state() {
    let api = Api::new();
    let (s, phone, _) = booked(&api, 22).await;
    let t0 = Utc::now();
    // The person sent STOP, then START; START arrives first.
    api.text_in_with(json!({"from": phone, "body": "START", "timestamp": (t0 + Duration::seconds(10)).to_rfc3339()})).await;
    api.text_in_with(json!({"from": phone, "body": "STOP", "timestamp": t0.to_rfc3339()}))
        .await;
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], false);
    // And the other way round: STOP is the later one.
    let other = unique_phone();
    book(&api, &s, &other, "bo@example.org", 22).await;
    api.text_in_with(json!({"from": other, "body": "STOP", "timestamp": (t0 + Duration::seconds(10)).to_rfc3339()})).await;
    api.text_in_with(json!({"from": other, "body": "START", "timestamp": t0.to_rfc3339()}))
        .await;
    assert_eq!(api.consent_status(&s, &other).await["opted_out"], true);
}

#[tokio::test]
async fn start_lifts_the_opt_out_and_reminders_resume() {
    let api = Api::new();
    let days = 23;
    let (s, phone, _) = booked(&api, days).await;
    assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1, "confirmation");
    api.text_in(&phone, "stop").await;
    api.text_in(&phone, "Start").await;
    let texts = api.wait_for_texts(&phone, 3).await;
    assert!(texts[2].contains("resubscribed"), "{texts:?}");
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], false);
    let actions: Vec<String> = api
        .consent_actions(&s, &phone)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["granted", "opted_out", "opted_in"]);
    let start = start_in_days(days);
    api.tick(start - Duration::minutes(15)).await;
    let texts = api.texts_to(&phone).await;
    assert_eq!(
        texts.iter().filter(|t| t.contains("Reminder")).count(),
        1,
        "{texts:?}"
    );
}

#[tokio::test]
async fn a_staff_grant_never_lifts_a_stop() {
    let api = Api::new();
    let (s, phone, booking) = booked(&api, 24).await;
    api.text_in(&phone, "please stop texting me").await;
    let pid = booking["participant_id"].as_str().unwrap();
    let refused = api
        .change_consent(&s.admin, &s.study_id, pid, true, "She said it was fine")
        .await;
    assert_eq!(refused.problem(409)["code"], "opted_out");
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], true);
    // Staff may still revoke.
    api.change_consent(&s.admin, &s.study_id, pid, false, "Confirmed by phone")
        .await
        .ok(200);
}

#[tokio::test]
async fn help_gets_one_full_answer() {
    let api = Api::new();
    let phone = unique_phone();
    api.text_in(&phone, "HELP").await;
    let texts = api.wait_for_texts(&phone, 1).await;
    assert_eq!(texts.len(), 1);
    let help = &texts[0];
    for part in [
        "Rally",
        "support@example.com",
        "Up to 6 msgs per event",
        "Msg & data rates may apply",
        "Reply STOP to opt out",
    ] {
        assert!(help.contains(part), "{help}");
    }
}

#[tokio::test]
async fn ordinary_replies_get_at_most_one_answer_a_day_and_opt_nobody_out() {
    let api = Api::new();
    let (s, phone, _) = booked(&api, 25).await;
    assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1);
    api.text_in(&phone, "I'll stop by at 3").await;
    api.text_in(&phone, "See you then!").await;
    let texts = api.wait_for_texts(&phone, 3).await;
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[1].contains("does not accept replies"));
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], false);
}

#[tokio::test]
async fn stop_racing_fifty_reminder_sends_lets_nothing_start_after_it() {
    let api = Arc::new(Api::new());
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let days = 26;
    let mut bookings = Vec::new();
    for i in 0..50 {
        bookings.push(book(&api, &s, &phone, &format!("p{i}@example.org"), days).await);
    }
    assert_eq!(
        api.wait_for_texts(&phone, 50).await.len(),
        50,
        "confirmations"
    );
    let start = start_in_days(days);

    let dispatcher = {
        let api = api.clone();
        tokio::spawn(async move { api.tick(start - Duration::minutes(15)).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    api.text_in(&phone, "STOP").await;
    // The STOP has committed by the time its delivery returns: any claim that started
    // later must have been refused.
    let stop_committed_by = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    dispatcher.await.unwrap();

    let (mut sent, mut suppressed) = (0, 0);
    for booking in &bookings {
        let log = items(
            &format!("BOOKING#{}", booking["booking_id"].as_str().unwrap()),
            "SMS#",
        )
        .await;
        for entry in log.iter().filter(|e| e["kind"] == "reminder") {
            match entry["status"].as_str() {
                "sent" => {
                    sent += 1;
                    assert!(
                        entry["recorded_at"] < stop_committed_by,
                        "a reminder was claimed after the STOP committed: {entry:?}"
                    );
                }
                "suppressed" => {
                    suppressed += 1;
                    assert_eq!(entry["reason"], "opted_out");
                }
                other => panic!("unexpected reminder status {other}"),
            }
        }
    }
    assert_eq!(sent + suppressed, 50, "every reminder was decided");
    eprintln!("STOP race: {sent} reminders claimed before the STOP committed, {suppressed} suppressed after");
    // Nothing more goes out afterwards.
    let before = api.texts_to(&phone).await.len();
    api.tick(start - Duration::minutes(10)).await;
    assert_eq!(api.texts_to(&phone).await.len(), before);
}

/// What the inbound function did with one text (`/_dev/sms/inbound`'s answer).
async fn outcome(api: &Api, phone: &str, body: &str) -> String {
    outcome_at(api, phone, body, Utc::now()).await
}

async fn outcome_at(api: &Api, phone: &str, body: &str, at: chrono::DateTime<Utc>) -> String {
    let reply = api
        .text_in_with(json!({"from": phone, "body": body, "timestamp": at.to_rfc3339()}))
        .await;
    reply["delivered"][0]["result"][0]
        .as_str()
        .unwrap_or_else(|| panic!("no outcome in {reply}"))
        .to_owned()
}

#[tokio::test]
async fn texts_that_begin_with_a_keyword_or_revoke_in_plain_words_opt_out() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    for body in [
        "Please stop",
        "stop please",
        "stop now",
        "STOP STOP",
        "I revoke my consent",
        "TD",
        "no más mensajes",
        "take me off your list",
    ] {
        // The workspace holds the number (a participant has it): it may see the opt-out.
        let phone = held_phone(&api, &s).await;
        assert_eq!(outcome(&api, &phone, body).await, "opted_out", "{body:?}");
        assert_eq!(
            api.consent_status(&s, &phone).await["opted_out"],
            true,
            "{body:?}"
        );
        let texts = api.wait_for_texts(&phone, 1).await;
        // Confirmed in the language of the request.
        let confirmed = if body.contains("más") {
            "Se canceló su suscripción"
        } else {
            "unsubscribed"
        };
        assert!(texts[0].contains(confirmed), "{body:?}: {texts:?}");
    }
}

#[tokio::test]
async fn replies_that_only_use_the_words_opt_nobody_out() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    for (body, expected) in [
        ("I'll stop by this afternoon", "auto_replied"),
        ("Can we end it at 4?", "auto_replied"),
        ("Don't stop the reminders please", "auto_replied"),
        ("Remove the 3pm slot?", "told_how_to_stop"),
    ] {
        let phone = unique_phone();
        let texts = answered_without_opt_out(&api, &s, &phone, body, expected).await;
        assert_eq!(texts.len(), 1, "{body:?}: {texts:?}");
        if expected == "told_how_to_stop" {
            assert!(texts[0].contains("reply STOP"), "{texts:?}");
        }
    }
}

#[tokio::test]
async fn an_opted_out_number_gets_only_the_one_confirmation() {
    let api = Api::new();
    let phone = unique_phone();
    assert_eq!(outcome(&api, &phone, "STOP").await, "opted_out");
    assert_eq!(outcome(&api, &phone, "STOP").await, "already_opted_out");
    assert_eq!(
        outcome(&api, &phone, "Unsubscribe").await,
        "already_opted_out"
    );
    assert_eq!(outcome(&api, &phone, "HELP").await, "silent");
    assert_eq!(outcome(&api, &phone, "See you then").await, "silent");
    assert_eq!(
        outcome(&api, &phone, "Cancel my interview please").await,
        "silent"
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let texts = api.texts_to(&phone).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
}

#[tokio::test]
async fn start_from_a_number_never_opted_out_writes_no_record() {
    let api = Api::new();
    let (s, phone, _) = booked(&api, 27).await;
    assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1);
    let before = api.consent_actions(&s, &phone).await;
    assert_eq!(outcome(&api, &phone, "START").await, "auto_replied");
    assert_eq!(outcome(&api, &phone, "YES").await, "ignored");
    assert_eq!(api.consent_actions(&s, &phone).await, before);
    let texts = api.wait_for_texts(&phone, 3).await;
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[1].contains("does not accept replies"), "{texts:?}");
}

#[tokio::test]
async fn a_stale_stop_after_a_newer_start_is_not_answered() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let t0 = Utc::now();
    assert_eq!(outcome_at(&api, &phone, "STOP", t0).await, "opted_out");
    assert_eq!(
        outcome_at(&api, &phone, "START", t0 + Duration::seconds(20)).await,
        "opted_in"
    );
    assert_eq!(
        outcome_at(&api, &phone, "STOP", t0 + Duration::seconds(10)).await,
        "stale"
    );
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], false);
    let texts = api.wait_for_texts(&phone, 3).await;
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[1].contains("resubscribed"), "{texts:?}");
}

/// Sends `body` from `phone`: its inbound outcome is `expected`, the number is not opted
/// out; returns the texts `phone` then has (waiting for one).
async fn answered_without_opt_out(
    api: &Api,
    s: &BookableStudy,
    phone: &str,
    body: &str,
    expected: &str,
) -> Vec<String> {
    assert_eq!(outcome(api, phone, body).await, expected, "{body:?}");
    assert_eq!(
        api.consent_status(s, phone).await["opted_out"],
        false,
        "{body:?}"
    );
    api.wait_for_texts(phone, 1).await
}

/// A number a workspace holds (a participant has it), so its opt-out state can be read.
async fn held_phone(api: &Api, s: &BookableStudy) -> String {
    let phone = unique_phone();
    api.post(
        &format!("/studies/{}/participants", s.study_id),
        &s.admin,
        json!({"email": format!("{}@example.org", uuid::Uuid::new_v4().simple()),
               "name": "Held", "source": "direct", "phone": phone}),
    )
    .await
    .ok(201);
    phone
}

/// Sends each body from its own phone, held by a new study's workspace, and checks, by
/// the inbound outcome and by the contract's status, that it opted the number out (or,
/// with `false`, that it did not).
async fn each_opts_out(bodies: &[&str], opts_out: bool) {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    for body in bodies {
        let phone = held_phone(&api, &s).await;
        let got = outcome(&api, &phone, body).await;
        assert_eq!(got == "opted_out", opts_out, "{body:?}: {got}");
        assert_eq!(
            api.consent_status(&s, &phone).await["opted_out"],
            opts_out,
            "{body:?}"
        );
    }
}

#[tokio::test]
async fn a_reaction_quoting_our_text_opts_nobody_out() {
    let api = Api::new();
    let (s, phone, _) = booked(&api, 22).await;
    let sent = api.wait_for_texts(&phone, 1).await;
    assert!(sent[0].contains("Reply STOP"), "{sent:?}");
    // What an iPhone sends when its user taps "Like" (and the newer emoji form) on
    // the confirmation we sent: our own STOP line, quoted.
    let liked = format!("Liked “{}”", sent[0]);
    assert_eq!(outcome(&api, &phone, &liked).await, "auto_replied");
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], false);
    // The day's one automatic answer went with the first.
    let reacted = format!("Reacted 👍 to “{}”", sent[0]);
    assert_eq!(outcome(&api, &phone, &reacted).await, "ignored");
    assert_eq!(api.consent_status(&s, &phone).await["opted_out"], false);
    // A stop request beside the quotation is still one.
    let body = format!("STOP “{}”", sent[0]);
    assert_eq!(outcome(&api, &phone, &body).await, "opted_out");
}

#[tokio::test]
async fn a_stop_aimed_at_email_or_calls_is_not_an_sms_opt_out() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    // A stop aimed elsewhere gets the one clarifying reply; a text that asks for
    // texts rather than calls asks nothing of the texts.
    for (body, expected, reply) in [
        (
            "Please unsubscribe me from the email newsletter",
            "told_how_to_stop",
            "reply STOP",
        ),
        (
            "No phone calls please, texts are fine",
            "auto_replied",
            "does not accept replies",
        ),
    ] {
        let phone = held_phone(&api, &s).await;
        let texts = answered_without_opt_out(&api, &s, &phone, body, expected).await;
        assert!(texts[0].contains(reply), "{body:?}: {texts:?}");
    }
}

#[tokio::test]
async fn a_negated_or_taken_back_stop_is_not_an_opt_out() {
    let bodies = [
        "Don't unsubscribe me, I still want the reminders",
        "I didn't send stop, why did you say I'm unsubscribed?",
    ];
    each_opts_out(&bodies, false).await;
}

#[tokio::test]
async fn chinese_and_vietnamese_requests_opt_out() {
    let bodies = [
        "请不要再给我发短信了",
        "請不要再傳簡訊給我",
        "Đừng nhắn tin cho tôi nữa",
        "dung nhan tin cho toi nua",
    ];
    each_opts_out(&bodies, true).await;
}

#[tokio::test]
async fn a_spanish_request_is_confirmed_in_spanish() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let phone = held_phone(&api, &s).await;
    let body = "Por favor dejen de enviarme mensajes";
    assert_eq!(outcome(&api, &phone, body).await, "opted_out");
    let texts = api.wait_for_texts(&phone, 1).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("Se canceló su suscripción"), "{texts:?}");
    assert!(texts[0].contains("START"), "{texts:?}");
}

#[tokio::test]
async fn a_typo_no_lexicon_lists_and_a_stop_typed_after_a_reaction_opt_out() {
    let bodies = [
        // Read by the model: no lexicon lists this typo of QUIT.
        "qiut",
        // The reaction wrapper and our quoted text go; the person's own STOP stays.
        "Emphasized “Rally: Reminder: your interview starts at 3:00 PM. Reply STOP to opt out, HELP for help.” STOP",
    ];
    each_opts_out(&bodies, true).await;
}
