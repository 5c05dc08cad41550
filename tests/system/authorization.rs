//! The authorization matrix: every route of the template × every kind of caller, from
//! one table. A route added to the template without a row here fails the test.
//!
//! Each row gives, for the callers in `ROLES` order, what must happen:
//! `U` 401 (no identity), `F` 403 (known, not allowed), `N` 404 (not visible),
//! `O` allowed through authorization (any 2xx, or a 409/422 about the request itself).
use serde_json::{json, Value};
use system_tests::{unique_phone, Api, User};

const ROLES: [&str; 9] = [
    "anonymous",
    "workspace admin (not on the study team)",
    "workspace member (not on the team)",
    "study owner",
    "teammate with the panel permission",
    "teammate without it",
    "the participant",
    "another study's participant",
    "member of another workspace",
];

struct World {
    users: Vec<Option<User>>,
    ws: String,
    sid: String,
    share: String,
    pid: String,
    bid: String,
    manage: String,
    cid: String,
    nid: String,
    teammate_sub: String,
    member_sub: String,
    /// A workspace member and a teammate only there to be removed by the rows that remove.
    spare_member_sub: String,
    spare_teammate_sub: String,
}

async fn world(api: &Api) -> World {
    let admin = api.user("admin").await;
    let member = api.user("member").await;
    let owner = api.user("owner").await;
    let with_panel = api.user("panel").await;
    let without_panel = api.user("nopanel").await;
    let spare_member = api.user("spare-member").await;
    let spare_teammate = api.user("spare-teammate").await;
    let ws = api
        .workspace_with(
            &admin,
            &[
                &member,
                &owner,
                &with_panel,
                &without_panel,
                &spare_member,
                &spare_teammate,
            ],
        )
        .await;
    api.set_sms(&admin, &ws, true).await.ok(200);
    let study = api.study(&owner, &ws, "interview", "respondent").await;
    let sid = study["id"].as_str().unwrap().to_owned();
    let share = study["share_token"].as_str().unwrap().to_owned();
    for (u, panel) in [
        (&with_panel, true),
        (&without_panel, false),
        (&spare_teammate, false),
    ] {
        api.put_team_member(&owner, &sid, u, "teammate", panel)
            .await
            .ok(200);
    }
    // The participant: known to the study by email, with a conversation and a bell.
    let participant_email = format!("p-{}@example.org", uuid::Uuid::new_v4().simple());
    let panel_id = format!("R-{}", uuid::Uuid::new_v4().simple());
    let pid = api
        .add_participant(&owner, &sid,
            json!({"email": participant_email, "name": "Pat", "source": "respondent", "panel_participant_id": panel_id}))
        .await;
    api.approve_participant(&owner, &sid, &pid).await;
    let cid = api.start_conversation(&owner, &sid, &pid, "Hello").await;
    let participant = api.user_with_email("az", &participant_email).await;
    let bell = api.get("/me/notifications", &participant).await;
    let nid = bell.ok(200)["items"][0]["notification_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another study's participant, signed in.
    let other = api.bookable_study(false).await;
    let other_email = format!("q-{}@example.org", uuid::Uuid::new_v4().simple());
    api.post(
        &format!("/studies/{}/participants", other.study_id),
        &other.admin,
        json!({"email": other_email, "name": "Quinn", "source": "direct"}),
    )
    .await
    .ok(201);
    let other_participant = api.user_with_email("az", &other_email).await;
    let outsider = api.user("outsider").await;
    api.workspace(&outsider).await;
    // A booking on the study, with a phone.
    let starts_at = (chrono::Utc::now() + chrono::Duration::days(10))
        .format("%Y-%m-%dT15:00:00Z")
        .to_string();
    let booked = api
        .public("POST", &format!("/public/studies/{share}/bookings"), Some(json!({
            "name": "Bea", "email": format!("b-{}@example.org", uuid::Uuid::new_v4().simple()),
            "starts_at": starts_at, "time_zone": "Europe/London", "phone": unique_phone(), "sms_consent": true})))
        .await;
    let booked = booked.ok(201).clone();
    let teammate_sub = without_panel.sub.clone();
    let member_sub = member.sub.clone();
    World {
        users: vec![
            None,
            Some(admin),
            Some(member),
            Some(owner),
            Some(with_panel),
            Some(without_panel),
            Some(participant),
            Some(other_participant),
            Some(outsider),
        ],
        ws,
        sid,
        share,
        pid,
        bid: booked["booking_id"].as_str().unwrap().to_owned(),
        manage: booked["manage_token"].as_str().unwrap().to_owned(),
        cid,
        nid,
        teammate_sub,
        member_sub,
        spare_member_sub: spare_member.sub,
        spare_teammate_sub: spare_teammate.sub,
    }
}

/// (route key, concrete path, body, expectations in `ROLES` order).
fn matrix(w: &World) -> Vec<(&'static str, String, Option<Value>, &'static str)> {
    let (ws, sid, pid, bid, cid) = (&w.ws, &w.sid, &w.pid, &w.bid, &w.cid);
    let no_body = None;
    vec![
        (
            "POST /workspaces",
            "/workspaces".into(),
            Some(json!({"name": "Lab"})),
            "UOOOOOOOO",
        ),
        ("GET /workspaces", "/workspaces".into(), None, "UOOOOOOOO"),
        (
            "GET /workspaces/{ws}/studies",
            format!("/workspaces/{ws}/studies"),
            None,
            "UOOOOONNN",
        ),
        (
            "GET /workspaces/{ws}",
            format!("/workspaces/{ws}"),
            no_body.clone(),
            "UOOOOONNN",
        ),
        (
            "PUT /workspaces/{ws}/members/{user_id}",
            format!("/workspaces/{ws}/members/{}", w.member_sub),
            Some(json!({"role": "member", "email": "m@example.org"})),
            "UOFFFFNNN",
        ),
        // The one caller allowed removes the spare member; nobody else learns more.
        (
            "DELETE /workspaces/{ws}/members/{user_id}",
            format!("/workspaces/{ws}/members/{}", w.spare_member_sub),
            None,
            "UOFFFFNNN",
        ),
        (
            "GET /workspaces/{ws}/members",
            format!("/workspaces/{ws}/members"),
            None,
            "UOOOOONNN",
        ),
        (
            "GET /workspaces/{ws}/settings/sms",
            format!("/workspaces/{ws}/settings/sms"),
            None,
            "UOOOOONNN",
        ),
        (
            "PUT /workspaces/{ws}/settings/sms",
            format!("/workspaces/{ws}/settings/sms"),
            Some(json!({"enabled": true})),
            "UOFFFFNNN",
        ),
        (
            "GET /workspaces/{ws}/settings/messaging",
            format!("/workspaces/{ws}/settings/messaging"),
            None,
            "UOOOOONNN",
        ),
        (
            "PUT /workspaces/{ws}/settings/messaging",
            format!("/workspaces/{ws}/settings/messaging"),
            Some(json!({"require_phone_verification": false})),
            "UOFFFFNNN",
        ),
        (
            "POST /workspaces/{ws}/studies",
            format!("/workspaces/{ws}/studies"),
            Some(json!({"name": "S", "kind": "survey", "recruitment": "direct"})),
            "UOOOOONNN",
        ),
        (
            "GET /studies/{sid}",
            format!("/studies/{sid}"),
            None,
            "UNNOOONNN",
        ),
        (
            "PUT /studies/{sid}/team/{user_id}",
            format!("/studies/{sid}/team/{}", w.teammate_sub),
            Some(json!({"role": "teammate", "external_panel": false})),
            "UNNOFFNNN",
        ),
        (
            "DELETE /studies/{sid}/team/{user_id}",
            format!("/studies/{sid}/team/{}", w.spare_teammate_sub),
            None,
            "UNNOFFNNN",
        ),
        (
            "GET /studies/{sid}/team",
            format!("/studies/{sid}/team"),
            None,
            "UNNOOONNN",
        ),
        (
            "PUT /studies/{sid}/sms",
            format!("/studies/{sid}/sms"),
            Some(json!({"interview_reminder": true})),
            "UNNOOONNN",
        ),
        (
            "POST /studies/{sid}/participants",
            format!("/studies/{sid}/participants"),
            Some(json!({"email": "x@example.org", "name": "X", "source": "direct"})),
            "UNNOOONNN",
        ),
        (
            "GET /studies/{sid}/participants",
            format!("/studies/{sid}/participants?status=approved"),
            None,
            "UNNOOONNN",
        ),
        (
            "GET /studies/{sid}/participants/{pid}",
            format!("/studies/{sid}/participants/{pid}"),
            None,
            "UNNOOONNN",
        ),
        (
            "GET /studies/{sid}/participants/{pid}/bookings",
            format!("/studies/{sid}/participants/{pid}/bookings"),
            None,
            "UNNOOONNN",
        ),
        (
            "GET /studies/{sid}/participants/{pid}/consent-records",
            format!("/studies/{sid}/participants/{pid}/consent-records"),
            None,
            "UNNOOONNN",
        ),
        (
            "GET /studies/{sid}/bookings",
            format!("/studies/{sid}/bookings"),
            None,
            "UNNOOONNN",
        ),
        (
            "POST /studies/{sid}/participants/{pid}/approve",
            format!("/studies/{sid}/participants/{pid}/approve"),
            None,
            "UNNOOONNN",
        ),
        (
            "PUT /studies/{sid}/participants/{pid}/sms-consent",
            format!("/studies/{sid}/participants/{pid}/sms-consent"),
            Some(json!({"granted": false, "note": "matrix"})),
            "UNNOOONNN",
        ),
        (
            "GET /public/studies/{share_token}",
            format!("/public/studies/{}", w.share),
            None,
            "OOOOOOOOO",
        ),
        (
            "POST /public/studies/{share_token}/bookings",
            format!("/public/studies/{}/bookings", w.share),
            Some(json!({"name": "No Phone"})),
            "OOOOOOOOO",
        ),
        (
            "GET /public/bookings/{manage_token}",
            format!("/public/bookings/{}", w.manage),
            None,
            "OOOOOOOOO",
        ),
        (
            "GET /b/{manage_token}",
            format!("/b/{}", w.manage),
            None,
            "OOOOOOOOO",
        ),
        // Without the page's CSRF cookie the form post is refused, whoever sends it.
        (
            "POST /b/{manage_token}/remove-phone",
            format!("/b/{}/remove-phone", w.manage),
            None,
            "FFFFFFFFF",
        ),
        (
            "GET /workspaces/{ws}/sms-consent/records",
            format!("/workspaces/{ws}/sms-consent/records"),
            None,
            "UOFFFFNNN",
        ),
        (
            "GET /workspaces/{ws}/sms-consent/status",
            format!("/workspaces/{ws}/sms-consent/status?phone=%2B16175550100"),
            None,
            "UOOOOONNN",
        ),
        (
            "GET /studies/{sid}/bookings/{bid}",
            format!("/studies/{sid}/bookings/{bid}"),
            None,
            "UNNOOONNN",
        ),
        (
            "GET /studies/{sid}/bookings/{bid}/sms",
            format!("/studies/{sid}/bookings/{bid}/sms"),
            None,
            "UNNOOONNN",
        ),
        (
            "POST /studies/{sid}/bookings/{bid}/day-of-update",
            format!("/studies/{sid}/bookings/{bid}/day-of-update"),
            Some(json!({"update": "starting_soon"})),
            "UNNOOONNN",
        ),
        (
            "PATCH /studies/{sid}/bookings/{bid}",
            format!("/studies/{sid}/bookings/{bid}"),
            Some(json!({"starts_at": "not a time"})),
            "UNNOOONNN",
        ),
        // Last of the booking rows: it cancels the booking.
        (
            "POST /studies/{sid}/bookings/{bid}/cancel",
            format!("/studies/{sid}/bookings/{bid}/cancel"),
            None,
            "UNNOOONNN",
        ),
        (
            "DELETE /public/bookings/{manage_token}/phone",
            format!("/public/bookings/{}/phone", w.manage),
            None,
            "OOOOOOOOO",
        ),
        (
            "POST /webhooks/sms",
            "/webhooks/sms".into(),
            Some(json!({"Type": "Notification"})),
            "UUUUUUUUU",
        ),
        (
            "POST /webhooks/panel",
            "/webhooks/panel".into(),
            Some(json!({"message_id": "m"})),
            "UUUUUUUUU",
        ),
        (
            "GET /studies/{sid}/conversations",
            format!("/studies/{sid}/conversations"),
            None,
            "UNNOOONNN",
        ),
        (
            "GET /studies/{sid}/conversations/{cid}/messages",
            format!("/studies/{sid}/conversations/{cid}/messages"),
            None,
            "UNNOOONNN",
        ),
        (
            "POST /studies/{sid}/conversations/{cid}/messages",
            format!("/studies/{sid}/conversations/{cid}/messages"),
            Some(json!({"body": "hi"})),
            "UNNOOONNN",
        ),
        (
            "POST /studies/{sid}/conversations",
            format!("/studies/{sid}/conversations"),
            Some(json!({"participant_id": pid, "body": "hi"})),
            "UNNOOONNN",
        ),
        (
            "GET /me/conversations",
            "/me/conversations".into(),
            None,
            "UOOOOOOOO",
        ),
        (
            "POST /me/conversations/{cid}/accept",
            format!("/me/conversations/{cid}/accept"),
            None,
            "UNNNNNONN",
        ),
        (
            "GET /me/conversations/{cid}/messages",
            format!("/me/conversations/{cid}/messages"),
            None,
            "UNNNNNONN",
        ),
        (
            "POST /me/conversations/{cid}/messages",
            format!("/me/conversations/{cid}/messages"),
            Some(json!({"body": "hi"})),
            "UNNNNNONN",
        ),
        (
            "GET /me/notifications",
            "/me/notifications".into(),
            None,
            "UOOOOOOOO",
        ),
        (
            "POST /me/notifications/{nid}/read",
            format!("/me/notifications/{}/read", w.nid),
            None,
            "UNNNNNONN",
        ),
        (
            "GET /me/settings/notifications",
            "/me/settings/notifications".into(),
            None,
            "UOOOOOOOO",
        ),
        (
            "PUT /me/settings/notifications",
            "/me/settings/notifications".into(),
            Some(json!({"reply_emails": true})),
            "UOOOOOOOO",
        ),
        // Bodies that are refused on content (422/409), so nobody is texted or emailed.
        (
            "POST /me/phone",
            "/me/phone".into(),
            Some(json!({"phone": "12"})),
            "UOOOOOOOO",
        ),
        (
            "POST /me/phone/verify",
            "/me/phone/verify".into(),
            Some(json!({"code": "000000"})),
            "UOOOOOOOO",
        ),
        (
            "POST /support/requests",
            "/support/requests".into(),
            Some(json!({"subject": " ", "body": " "})),
            "UOOOOOOOO",
        ),
        (
            "GET /studies/{sid}/chat",
            format!("/studies/{sid}/chat"),
            None,
            "UNNOONNNN",
        ),
        (
            "GET /studies/{sid}/chat/{pid}/messages",
            format!("/studies/{sid}/chat/{pid}/messages"),
            None,
            "UNNOONNNN",
        ),
        (
            "POST /studies/{sid}/chat/{pid}/messages",
            format!("/studies/{sid}/chat/{pid}/messages"),
            Some(json!({"body": "hi"})),
            "UNNOONNNN",
        ),
    ]
}

fn class(status: u16) -> char {
    match status {
        401 => 'U',
        403 => 'F',
        404 => 'N',
        200..=299 | 303 | 409 | 422 => 'O',
        _ => '?',
    }
}

#[tokio::test]
async fn every_route_answers_every_kind_of_caller_as_the_table_says() {
    let api = Api::new();
    let w = world(&api).await;
    let rows = matrix(&w);

    // The table covers the template exactly: a new route cannot be left out.
    let template = local_stack::template::Template::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template.yaml"),
    )
    .unwrap();
    let mut in_template: Vec<String> = template
        .http_routes()
        .unwrap()
        .iter()
        .map(|r| r.route_key())
        .collect();
    let mut in_table: Vec<String> = rows.iter().map(|r| r.0.to_owned()).collect();
    in_template.sort();
    in_table.sort();
    assert_eq!(
        in_table, in_template,
        "the matrix and the template list different routes"
    );

    let mut wrong = Vec::new();
    for (key, path, body, expected) in &rows {
        let method = key.split(' ').next().unwrap();
        for (i, want) in expected.chars().enumerate() {
            let reply = api
                .send(method, path, w.users[i].as_ref(), body.clone(), &[])
                .await;
            let got = class(reply.status);
            if got != want {
                wrong.push(format!(
                    "{key} as {}: expected {want}, got {} {}",
                    ROLES[i], reply.status, reply.body
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
