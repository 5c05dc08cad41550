//! The lists a researcher app draws its screens from: the caller's workspaces, a
//! workspace's studies, a study's participants (by status, newest first) and schedule
//! (by start, within a window), and a participant's profile with their bookings and
//! their phone's consent history. Each read to its end through `next`.
use serde_json::{json, Value};
use system_tests::pages::read_all;
use system_tests::tables::{pad, Partition};
use system_tests::{id, unique_phone, Api, BookableStudy, User};

fn strings(items: &[Value], field: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i[field]
                .as_str()
                .unwrap_or_else(|| panic!("{field} in {i}"))
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_user_lists_their_workspaces_with_their_role() {
    let api = Api::new();
    let me = api.user("me").await;
    let mut want = Vec::new();
    for _ in 0..2 {
        want.push((api.workspace(&me).await, "admin"));
    }
    let other_admin = api.user("other").await;
    let theirs = api.workspace(&other_admin).await;
    api.add_member(&other_admin, &theirs, &me, "member").await;
    want.push((theirs.clone(), "member"));
    want.sort();

    let listed = read_all(&api, &me, "/workspaces", 2).await;
    let got: Vec<(String, String)> = listed
        .iter()
        .map(|w| {
            (
                w["id"].as_str().unwrap().to_owned(),
                w["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want_owned: Vec<(String, String)> = want
        .iter()
        .map(|(w, r)| (w.clone(), (*r).to_owned()))
        .collect();
    assert_eq!(got, want_owned);
    assert!(
        listed.iter().all(|w| w["name"] == "Sleep Lab"),
        "{listed:?}"
    );

    // Taken off a workspace, it is gone from the list; a stranger's list is empty.
    api.delete(
        &format!("/workspaces/{theirs}/members/{}", me.sub),
        &other_admin,
    )
    .await
    .ok(204);
    let listed = read_all(&api, &me, "/workspaces", 100).await;
    assert_eq!(listed.len(), 2);
    assert!(!strings(&listed, "id").contains(&theirs));
    let stranger = api.user("stranger").await;
    assert!(read_all(&api, &stranger, "/workspaces", 10)
        .await
        .is_empty());
}

#[tokio::test]
async fn a_member_lists_the_studies_they_may_see() {
    let api = Api::new();
    let ([owner, mate, bystander], ws) = api.workspace_of(["owner", "mate", "bystander"]).await;
    let mut studies = Vec::new();
    for _ in 0..5 {
        studies.push(id(&api.study(&owner, &ws, "interview", "direct").await));
    }
    studies.sort();
    api.put_team_member(&owner, &studies[2], &mate, "teammate", false)
        .await
        .ok(200);
    // Another workspace's study of the same owner is not in this list.
    let elsewhere = api.workspace(&owner).await;
    api.study(&owner, &elsewhere, "survey", "direct").await;

    let path = format!("/workspaces/{ws}/studies");
    let listed = read_all(&api, &owner, &path, 2).await;
    assert_eq!(strings(&listed, "id"), studies);
    assert!(listed
        .iter()
        .all(|s| s["share_token"].is_string() && s["workspace_id"] == ws.as_str()));
    assert_eq!(
        strings(&read_all(&api, &mate, &path, 2).await, "id"),
        [studies[2].clone()]
    );
    assert!(read_all(&api, &bystander, &path, 2).await.is_empty());
    let outsider = api.user("outsider").await;
    api.get(&path, &outsider).await.problem(404);

    // Off the team, off the list.
    api.delete(
        &format!("/studies/{}/team/{}", studies[2], mate.sub),
        &owner,
    )
    .await
    .ok(204);
    assert!(read_all(&api, &mate, &path, 2).await.is_empty());
}

async fn add(api: &Api, owner: &User, sid: &str, name: &str, phone: Option<&str>) -> String {
    let mut body = json!({"email": format!("{}@example.org", uuid::Uuid::new_v4().simple()),
                          "name": name, "source": "direct"});
    if let Some(phone) = phone {
        body["phone"] = json!(phone);
    }
    api.add_participant(owner, sid, body).await
}

#[tokio::test]
async fn the_team_lists_participants_newest_first_by_status() {
    let api = Api::new();
    let owner = api.user("owner").await;
    let ws = api.workspace(&owner).await;
    let sid = id(&api.study(&owner, &ws, "interview", "direct").await);
    let mut all = Vec::new();
    let mut approved = Vec::new();
    for i in 0..12 {
        let pid = add(&api, &owner, &sid, &format!("P{i}"), None).await;
        if i % 3 == 1 {
            api.approve_participant(&owner, &sid, &pid).await;
            approved.push(pid.clone());
        }
        all.push(pid);
    }
    all.reverse();
    approved.reverse();
    // Entries large enough that a page ends at 1 MB long before its limit.
    let index = Partition::main_gsi2(format!("STUDY#{sid}#PARTICIPANTS"), "");
    assert_eq!(pad(&index, 150_000).await, 12);
    index.assert_first_page_cut(12).await;

    let path = format!("/studies/{sid}/participants");
    assert_eq!(strings(&read_all(&api, &owner, &path, 5).await, "id"), all);
    let only = read_all(&api, &owner, &format!("{path}?status=approved"), 2).await;
    assert_eq!(strings(&only, "id"), approved);
    assert!(only.iter().all(|p| p["status"] == "approved"));
    let applied = read_all(&api, &owner, &format!("{path}?status=applied"), 3).await;
    assert_eq!(applied.len(), 8);
    assert_eq!(
        api.get(&format!("{path}?status=pending"), &owner)
            .await
            .error_fields(),
        ["status"]
    );
}

async fn book(api: &Api, s: &BookableStudy, email: &str, phone: &str, days: i64) -> Value {
    let starts_at = (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%dT15:00:00Z")
        .to_string();
    api.book(
        s,
        json!({"name": "Ann", "email": email, "starts_at": starts_at,
                "time_zone": "America/New_York", "phone": phone, "sms_consent": true}),
    )
    .await
}

#[tokio::test]
async fn a_participant_profile_shows_status_sms_bookings_and_consent_history() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let email = format!("ann-{}@example.org", uuid::Uuid::new_v4().simple());
    let first = book(&api, &s, &email, &phone, 7).await;
    let second = book(&api, &s, &email, &phone, 9).await;
    let third = book(&api, &s, &email, &phone, 11).await;
    let pid = first["participant_id"].as_str().unwrap().to_owned();
    api.text_in(&phone, "STOP").await;

    let path = format!("/studies/{}/participants/{pid}", s.study_id);
    let profile = api.get(&format!("{path}?limit=2"), &s.admin).await;
    let profile = profile.ok(200);
    assert_eq!(profile["id"], pid.as_str());
    assert_eq!(profile["status"], "approved");
    assert_eq!(profile["source"], "direct");
    assert_eq!(profile["phone_last4"], &phone[phone.len() - 4..]);
    assert_eq!(
        profile["sms"],
        json!({"consent": "granted", "opted_out": true})
    );
    // The first page of each list, with the cursor that continues it.
    let bookings = &profile["bookings"];
    assert_eq!(
        strings(bookings["items"].as_array().unwrap(), "booking_id"),
        [
            third["booking_id"].as_str().unwrap(),
            second["booking_id"].as_str().unwrap()
        ]
    );
    let cursor = bookings["next"].as_str().expect("more bookings");
    let rest = api
        .get(&format!("{path}/bookings?limit=2&next={cursor}"), &s.admin)
        .await;
    assert_eq!(
        strings(rest.ok(200)["items"].as_array().unwrap(), "booking_id"),
        [first["booking_id"].as_str().unwrap()]
    );
    assert!(profile["consent_records"]["next"].is_string());
    let history = read_all(&api, &s.admin, &format!("{path}/consent-records"), 1).await;
    let actions: Vec<&str> = history
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["granted", "granted", "granted", "opted_out"]);
    // The team sees the history, not the evidence of where a signup came from.
    assert!(history
        .iter()
        .all(|r| r.get("ip").is_none() && r.get("user_agent").is_none()));
    let bookings = read_all(&api, &s.admin, &format!("{path}/bookings"), 2).await;
    assert_eq!(bookings.len(), 3);

    // Unknown participants are not found; a participant without a phone has no history.
    api.get(
        &format!("/studies/{}/participants/pt_nobody", s.study_id),
        &s.admin,
    )
    .await
    .problem(404);
    let quiet = add(&api, &s.admin, &s.study_id, "Quiet", None).await;
    let profile = api
        .get(
            &format!("/studies/{}/participants/{quiet}", s.study_id),
            &s.admin,
        )
        .await;
    let profile = profile.ok(200);
    assert_eq!(profile["phone_last4"], Value::Null);
    assert_eq!(
        profile["sms"],
        json!({"consent": "none", "opted_out": false})
    );
    assert_eq!(profile["bookings"], json!({"items": [], "next": null}));
    assert_eq!(
        profile["consent_records"],
        json!({"items": [], "next": null})
    );
}

#[tokio::test]
async fn the_schedule_lists_bookings_by_start_within_a_window() {
    let api = Api::new();
    let s = api.bookable_study(false).await;
    let day = |d: i64| {
        (chrono::Utc::now() + chrono::Duration::days(d))
            .format("%Y-%m-%dT15:00:00Z")
            .to_string()
    };
    let mut by_day = Vec::new();
    for d in [10, 3, 7, 1, 5] {
        let booked = api
            .book(
                &s,
                json!({"name": "Ann", "email": format!("{}@example.org", uuid::Uuid::new_v4().simple()),
                       "starts_at": day(d), "time_zone": "Europe/London"}),
            )
            .await;
        by_day.push((d, booked["booking_id"].as_str().unwrap().to_owned()));
    }
    by_day.sort();
    let path = format!("/studies/{}/bookings", s.study_id);
    let ids = |v: &[(i64, String)]| v.iter().map(|(_, b)| b.clone()).collect::<Vec<_>>();
    assert_eq!(
        strings(&read_all(&api, &s.admin, &path, 2).await, "booking_id"),
        ids(&by_day)
    );

    // [from, to): day 3 to day 7 takes days 3 and 5, not 7.
    let window = format!("{path}?from={}&to={}", day(3), day(7));
    assert_eq!(
        strings(&read_all(&api, &s.admin, &window, 1).await, "booking_id"),
        ids(&by_day[1..3])
    );
    let from = format!("{path}?from={}", day(6));
    assert_eq!(
        strings(&read_all(&api, &s.admin, &from, 1).await, "booking_id"),
        ids(&by_day[3..])
    );

    // A rescheduled booking moves on the schedule; a cancelled one stays, so marked.
    let (_, moved) = &by_day[4];
    api.send(
        "PATCH",
        &format!("{path}/{moved}"),
        Some(&s.admin),
        Some(json!({"starts_at": day(2)})),
        &[],
    )
    .await
    .ok(200);
    let (_, cancelled) = &by_day[0];
    api.post(&format!("{path}/{cancelled}/cancel"), &s.admin, json!({}))
        .await
        .ok(200);
    let listed = read_all(&api, &s.admin, &path, 100).await;
    let want: Vec<String> = [
        &by_day[0].1,
        moved,
        &by_day[1].1,
        &by_day[2].1,
        &by_day[3].1,
    ]
    .into_iter()
    .cloned()
    .collect();
    assert_eq!(strings(&listed, "booking_id"), want);
    assert_eq!(listed[0]["status"], "cancelled");

    // Bad windows are the caller's mistake.
    let bad = api
        .get(&format!("{path}?from=yesterday&to=soon"), &s.admin)
        .await;
    assert_eq!(bad.error_fields(), ["from", "to"]);
    let backwards = api
        .get(&format!("{path}?from={}&to={}", day(5), day(3)), &s.admin)
        .await;
    assert_eq!(backwards.error_fields(), ["to"]);
}
