//! Tenant isolation: what one workspace, or an anonymous visitor, can learn about or do
//! to another's people.
use serde_json::{json, Value};
use system_tests::{unique_phone, Api, User};

async fn status(api: &Api, ws: &str, user: &User, phone: &str) -> Value {
    let phone = phone.replace('+', "%2B");
    api.get(
        &format!("/workspaces/{ws}/sms-consent/status?phone={phone}"),
        user,
    )
    .await
    .ok(200)
    .clone()
}

fn booking(email: &str, name: &str, phone: &str, days: i64) -> Value {
    let starts_at = (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%dT15:00:00Z")
        .to_string();
    json!({"name": name, "email": email, "starts_at": starts_at,
           "time_zone": "America/New_York", "phone": phone, "sms_consent": true})
}

/// A number that texted STOP to one workspace's reminders: its own workspace sees the
/// opt-out; a workspace that never held the number learns nothing of it, until a
/// participant of its own has that number.
#[tokio::test]
async fn a_workspace_never_learns_a_strangers_opt_out() {
    let api = Api::new();
    let (holder, stranger, phone) = api.two_workspaces_and_a_phone().await;
    let email = format!("ann-{}@example.org", uuid::Uuid::new_v4().simple());
    api.book(&holder, booking(&email, "Ann", &phone, 7)).await;
    api.text_in(&phone, "STOP").await;

    let theirs = status(&api, &holder.workspace_id, &holder.admin, &phone).await;
    assert_eq!(theirs["opted_out"], true, "{theirs}");
    assert_eq!(theirs["consent"], "granted", "{theirs}");
    assert_eq!(theirs["on_record"], true, "{theirs}");

    // Any member of another workspace, asking about any number: nothing to see.
    let member = api.user("member").await;
    api.add_member(&stranger.admin, &stranger.workspace_id, &member, "member")
        .await;
    for user in [&stranger.admin, &member] {
        let asked = status(&api, &stranger.workspace_id, user, &phone).await;
        assert_eq!(
            asked,
            json!({"phone": phone, "opted_out": false, "consent": "none", "on_record": false})
        );
    }
    // Exactly what it answers for a number that never texted anyone.
    let never = unique_phone();
    let asked = status(&api, &stranger.workspace_id, &member, &never).await;
    assert_eq!(
        asked,
        json!({"phone": never, "opted_out": false, "consent": "none", "on_record": false})
    );

    // The stranger's team enters the number on a participant of its own: now the
    // workspace holds it, and must know not to ask it for consent.
    api.post(
        &format!("/studies/{}/participants", stranger.study_id),
        &stranger.admin,
        json!({"email": "someone@example.org", "name": "Someone", "source": "direct", "phone": phone}),
    )
    .await
    .ok(201);
    let held = status(&api, &stranger.workspace_id, &member, &phone).await;
    assert_eq!(held["opted_out"], true, "{held}");
    assert_eq!(held["consent"], "none", "{held}");
    assert_eq!(held["on_record"], true, "{held}");
}

/// Someone with the share link books under a participant's email with another name and
/// phone: the team's participant keeps its name and phone (staff consent still applies
/// to that phone), and the new booking has its own phone and consent record.
#[tokio::test]
async fn a_public_booking_cannot_take_over_a_participant() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let email = format!("pat-{}@example.org", uuid::Uuid::new_v4().simple());
    let (theirs, intruders) = (unique_phone(), unique_phone());
    let first = api
        .book(&s, booking(&email, "Pat Original", &theirs, 7))
        .await;
    let pid = first["participant_id"].as_str().unwrap().to_owned();

    let second = api
        .book(&s, booking(&email.to_uppercase(), "Mallory", &intruders, 8))
        .await;
    assert_eq!(
        second["participant_id"],
        pid.as_str(),
        "one person per email"
    );

    // The participant is as the team knew it.
    let item = &system_tests::items(
        &format!("STUDY#{}", s.study_id),
        &format!("PARTICIPANT#{pid}"),
    )
    .await[0];
    assert_eq!(item["name"], "Pat Original");
    assert_eq!(item["phone"], theirs);
    // Staff consent changes go to the participant's own phone, not the intruder's.
    let revoked = api
        .change_consent(&s.admin, &s.study_id, &pid, false, "asked by phone")
        .await;
    assert_eq!(revoked.ok(200)["phone"], theirs.as_str());

    // The new booking keeps its own phone and its own consent record.
    let bid = second["booking_id"].as_str().unwrap();
    let view = api
        .get(&format!("/studies/{}/bookings/{bid}", s.study_id), &s.admin)
        .await;
    assert_eq!(
        view.ok(200)["phone_last4"],
        &intruders[intruders.len() - 4..],
        "{view:?}"
    );
    let records = api.consent_records(&s, Some(&intruders)).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["action"], "granted");
    assert_eq!(records[0]["booking_id"], bid);
}
