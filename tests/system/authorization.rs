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
    let names = [
        "admin",
        "member",
        "owner",
        "panel",
        "nopanel",
        "spare-member",
        "spare-teammate",
    ];
    let ([admin, member, owner, with_panel, without_panel, spare_member, spare_teammate], ws) =
        api.workspace_of(names).await;
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

/// A row of `MATRIX` made concrete: the route's key, the path, the body, and the
/// expectations in `ROLES` order.
struct Request {
    key: String,
    path: String,
    body: Option<Value>,
    expected: &'static str,
}

impl World {
    /// The request `row` of `MATRIX` stands for in this world.
    fn request(&self, row: &'static str) -> Request {
        let (expected, row) = row.split_once(' ').expect("`{expectations} {route key}`");
        let (method, row) = row.split_once(' ').expect("a route key is `METHOD /path`");
        let (path, body) = match row.split_once(' ') {
            Some((path, body)) => (path, Some(body)),
            None => (row, None),
        };
        let route = path.split('?').next().unwrap_or(path);
        let key = format!("{method} {route}");
        Request {
            path: self.fill(path, &key),
            body: body.map(|b| serde_json::from_str(&self.fill(b, &key)).expect("a row's body")),
            key,
            expected,
        }
    }

    /// `text` with this world's ids for the parameters of route `key`.
    fn fill(&self, text: &str, key: &str) -> String {
        let ids: [(&str, &str); 9] = [
            ("{ws}", &self.ws),
            ("{sid}", &self.sid),
            ("{pid}", &self.pid),
            ("{bid}", &self.bid),
            ("{cid}", &self.cid),
            ("{nid}", &self.nid),
            ("{share_token}", &self.share),
            ("{manage_token}", &self.manage),
            ("{user_id}", self.user_id(key)),
        ];
        ids.iter()
            .fold(text.to_owned(), |text, (name, id)| text.replace(name, id))
    }

    /// Whom `{user_id}` names in route `key`: a PUT changes the workspace member (the
    /// teammate) already there, a DELETE removes the spare one.
    fn user_id(&self, key: &str) -> &str {
        match (key.starts_with("DELETE "), key.contains("/team/")) {
            (false, false) => &self.member_sub,
            (true, false) => &self.spare_member_sub,
            (false, true) => &self.teammate_sub,
            (true, true) => &self.spare_teammate_sub,
        }
    }
}

/// The rows, one a route of the template, in the order they are tried:
/// `{expectations} {route key}`, with a query string on the path if any, then the body
/// sent (JSON), if any. Parameters in braces stand for the world's ids (`World::fill`).
const MATRIX: &[&str] = &[
    r#"UOOOOOOOO POST /workspaces {"name": "Lab"}"#,
    "UOOOOOOOO GET /workspaces",
    "UOOOOONNN GET /workspaces/{ws}/studies",
    "UOOOOONNN GET /workspaces/{ws}",
    r#"UOFFFFNNN PUT /workspaces/{ws}/members/{user_id} {"role": "member", "email": "m@example.org"}"#,
    // The one caller allowed removes the spare member; nobody else learns more.
    "UOFFFFNNN DELETE /workspaces/{ws}/members/{user_id}",
    "UOOOOONNN GET /workspaces/{ws}/members",
    "UOOOOONNN GET /workspaces/{ws}/settings/sms",
    r#"UOFFFFNNN PUT /workspaces/{ws}/settings/sms {"enabled": true}"#,
    "UOOOOONNN GET /workspaces/{ws}/settings/messaging",
    r#"UOFFFFNNN PUT /workspaces/{ws}/settings/messaging {"require_phone_verification": false}"#,
    r#"UOOOOONNN POST /workspaces/{ws}/studies {"name": "S", "kind": "survey", "recruitment": "direct"}"#,
    "UNNOOONNN GET /studies/{sid}",
    r#"UNNOFFNNN PUT /studies/{sid}/team/{user_id} {"role": "teammate", "external_panel": false}"#,
    "UNNOFFNNN DELETE /studies/{sid}/team/{user_id}",
    "UNNOOONNN GET /studies/{sid}/team",
    r#"UNNOOONNN PUT /studies/{sid}/sms {"interview_reminder": true}"#,
    r#"UNNOOONNN POST /studies/{sid}/participants {"email": "x@example.org", "name": "X", "source": "direct"}"#,
    "UNNOOONNN GET /studies/{sid}/participants?status=approved",
    "UNNOOONNN GET /studies/{sid}/participants/{pid}",
    "UNNOOONNN GET /studies/{sid}/participants/{pid}/bookings",
    "UNNOOONNN GET /studies/{sid}/participants/{pid}/consent-records",
    "UNNOOONNN GET /studies/{sid}/bookings",
    "UNNOOONNN POST /studies/{sid}/participants/{pid}/approve",
    r#"UNNOOONNN PUT /studies/{sid}/participants/{pid}/sms-consent {"granted": false, "note": "matrix"}"#,
    "OOOOOOOOO GET /public/studies/{share_token}",
    r#"OOOOOOOOO POST /public/studies/{share_token}/bookings {"name": "No Phone"}"#,
    "OOOOOOOOO GET /public/bookings/{manage_token}",
    "OOOOOOOOO GET /b/{manage_token}",
    // Without the page's CSRF cookie the form post is refused, whoever sends it.
    "FFFFFFFFF POST /b/{manage_token}/remove-phone",
    "UOFFFFNNN GET /workspaces/{ws}/sms-consent/records",
    "UOOOOONNN GET /workspaces/{ws}/sms-consent/status?phone=%2B16175550100",
    "UNNOOONNN GET /studies/{sid}/bookings/{bid}",
    "UNNOOONNN GET /studies/{sid}/bookings/{bid}/sms",
    r#"UNNOOONNN POST /studies/{sid}/bookings/{bid}/day-of-update {"update": "starting_soon"}"#,
    r#"UNNOOONNN PATCH /studies/{sid}/bookings/{bid} {"starts_at": "not a time"}"#,
    // Last of the booking rows: it cancels the booking.
    "UNNOOONNN POST /studies/{sid}/bookings/{bid}/cancel",
    "OOOOOOOOO DELETE /public/bookings/{manage_token}/phone",
    r#"UUUUUUUUU POST /webhooks/sms {"Type": "Notification"}"#,
    r#"UUUUUUUUU POST /webhooks/panel {"message_id": "m"}"#,
    "UNNOOONNN GET /studies/{sid}/conversations",
    "UNNOOONNN GET /studies/{sid}/conversations/{cid}/messages",
    r#"UNNOOONNN POST /studies/{sid}/conversations/{cid}/messages {"body": "hi"}"#,
    r#"UNNOOONNN POST /studies/{sid}/conversations {"participant_id": "{pid}", "body": "hi"}"#,
    "UOOOOOOOO GET /me/conversations",
    "UNNNNNONN POST /me/conversations/{cid}/accept",
    "UNNNNNONN GET /me/conversations/{cid}/messages",
    r#"UNNNNNONN POST /me/conversations/{cid}/messages {"body": "hi"}"#,
    "UOOOOOOOO GET /me/notifications",
    "UNNNNNONN POST /me/notifications/{nid}/read",
    "UOOOOOOOO GET /me/settings/notifications",
    r#"UOOOOOOOO PUT /me/settings/notifications {"reply_emails": true}"#,
    // Bodies that are refused on content (422/409), so nobody is texted or emailed.
    r#"UOOOOOOOO POST /me/phone {"phone": "12"}"#,
    r#"UOOOOOOOO POST /me/phone/verify {"code": "000000"}"#,
    r#"UOOOOOOOO POST /support/requests {"subject": " ", "body": " "}"#,
    "UNNOONNNN GET /studies/{sid}/chat",
    "UNNOONNNN GET /studies/{sid}/chat/{pid}/messages",
    r#"UNNOONNNN POST /studies/{sid}/chat/{pid}/messages {"body": "hi"}"#,
];

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
    let rows: Vec<Request> = MATRIX.iter().map(|row| w.request(row)).collect();

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
    let mut in_table: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    in_template.sort();
    in_table.sort();
    assert_eq!(
        in_table, in_template,
        "the matrix and the template list different routes"
    );

    let mut wrong = Vec::new();
    for Request {
        key,
        path,
        body,
        expected,
    } in &rows
    {
        assert!(!path.contains('{'), "{key}: a parameter left in {path}");
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
