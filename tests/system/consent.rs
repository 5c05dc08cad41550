//! SMS consent capture, the evidence record, and the manage link, end to end.
use serde_json::{json, Value};
use system_tests::{booking_body, count_participants, Api, BookableStudy, Reply};

const PHONE: &str = "+16175550123";

/// The public page of the study whose share token is `token`.
async fn study_page(api: &Api, token: &str) -> Reply {
    api.public("GET", &format!("/public/studies/{token}"), None)
        .await
}

/// A new SMS-enabled study booked by `PHONE` with consent: the study and the booking's
/// 201 answer.
async fn booked_with_consent(api: &Api) -> (BookableStudy, Value) {
    let s = api.bookable_study(true).await;
    let booking = api.book(&s, booking_body(Some(PHONE), Some(true))).await;
    (s, booking)
}

/// What the manage link of the booking whose manage token is `token` shows.
async fn booking_page(api: &Api, token: &str) -> Reply {
    api.public("GET", &format!("/public/bookings/{token}"), None)
        .await
}

#[tokio::test]
async fn the_public_study_says_when_sms_consent_is_required() {
    let api = Api::new();
    let on = api.bookable_study(true).await;
    let view = study_page(&api, &on.share_token).await;
    let body = view.ok(200);
    assert_eq!(body["kind"], "interview");
    assert_eq!(body["sms"]["required"], true);
    let text = body["sms"]["consent_text"].as_str().unwrap();
    assert!(text.starts_with(
        "By entering your phone number, you consent to receive messages for this event via SMS."
    ));
    assert!(text.ends_with("Rally's Privacy Policy and Terms of Service apply."));
    assert!(body["sms"]["disclosure_version"].is_string());

    // The reminder switched off: no longer required.
    api.set_interview_reminder(&on.admin, &on.study_id, false)
        .await
        .ok(200);
    let view = study_page(&api, &on.share_token).await;
    assert_eq!(view.ok(200)["sms"]["required"], false);

    // The workspace without SMS: not required.
    let off = api.bookable_study(false).await;
    let view = study_page(&api, &off.share_token).await;
    assert_eq!(view.ok(200)["sms"]["required"], false);

    study_page(&api, "not-a-real-token").await.problem(404);
}

#[tokio::test]
async fn refused_bookings_get_problems_and_leave_no_trace() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let path = format!("/public/studies/{}/bookings", s.share_token);
    let cases = [
        (booking_body(None, Some(true)), vec!["phone"]),
        (booking_body(Some("617-555"), Some(true)), vec!["phone"]),
        (
            booking_body(Some("+18005550199"), Some(true)),
            vec!["phone"],
        ),
        (booking_body(Some(PHONE), Some(false)), vec!["sms_consent"]),
        (booking_body(Some(PHONE), None), vec!["sms_consent"]),
        (
            {
                let mut b = booking_body(Some(PHONE), Some(true));
                b["time_zone"] = json!("Atlantis/Capital");
                b
            },
            vec!["time_zone"],
        ),
        (
            {
                let mut b = booking_body(Some(PHONE), Some(true));
                b["starts_at"] = json!("2020-01-01T10:00:00Z");
                b
            },
            vec!["starts_at"],
        ),
    ];
    for (body, fields) in cases {
        let reply = api.public("POST", &path, Some(body.clone())).await;
        assert_eq!(reply.error_fields(), fields, "for {body}");
    }
    let malformed = api
        .send(
            "POST",
            &path,
            None,
            None,
            &[("content-type", "application/json")],
        )
        .await;
    malformed.problem(400);
    let raw = reqwest::Client::new()
        .post(format!("{}{path}", system_tests::stack().base_url))
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);

    assert_eq!(count_participants(&s).await, 0);
    assert_eq!(api.consent_records(&s, None).await.len(), 0);
}

#[tokio::test]
async fn an_accepted_booking_leaves_exactly_one_granted_record() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let reply = api
        .send(
            "POST",
            &format!("/public/studies/{}/bookings", s.share_token),
            None,
            Some(booking_body(Some("+1 617 555 0123"), Some(true))),
            &[("user-agent", "ConsentTest/1.0")],
        )
        .await;
    let booking = reply.ok(201).clone();
    for field in ["booking_id", "participant_id", "manage_token", "manage_url"] {
        assert!(booking[field].is_string(), "{field} missing: {booking}");
    }
    let token = booking["manage_token"].as_str().unwrap();
    assert!(booking["manage_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/b/{token}")));

    let items = api.consent_records(&s, Some(PHONE)).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let record = &items[0];
    assert_eq!(record["action"], "granted");
    assert_eq!(record["source"], "signup_form");
    assert_eq!(record["phone"], PHONE);
    assert_eq!(record["booking_id"], booking["booking_id"]);
    assert_eq!(record["person"], booking["participant_id"]);
    assert_eq!(record["study_id"], s.study_id.as_str());
    assert!(record["disclosure_version"]
        .as_str()
        .is_some_and(|v| !v.is_empty()));
    assert_eq!(record["ip"], "127.0.0.1");
    assert_eq!(record["user_agent"], "ConsentTest/1.0");

    let status = api
        .get(
            &format!(
                "/workspaces/{}/sms-consent/status?phone=+16175550123",
                s.workspace_id
            ),
            &s.admin,
        )
        .await;
    assert_eq!(status.ok(200)["consent"], "granted");
    assert_eq!(status.body["opted_out"], false);

    let manage = booking_page(&api, token).await;
    assert_eq!(manage.ok(200)["phone_last4"], "0123");
    assert_eq!(manage.body["time_zone"], "America/New_York");
    assert_eq!(manage.body["status"], "booked");
}

#[tokio::test]
async fn the_manage_link_removes_the_phone_and_records_the_revocation() {
    let api = Api::new();
    let (s, booking) = booked_with_consent(&api).await;
    let token = booking["manage_token"].as_str().unwrap();

    let removed = api.remove_phone(token).await;
    assert_eq!(removed.status, 204);
    let manage = booking_page(&api, token).await;
    assert_eq!(manage.ok(200)["phone_last4"], Value::Null);
    // Removing again changes nothing.
    assert_eq!(api.remove_phone(token).await.status, 204);

    let actions = api.consent_actions(&s, PHONE).await;
    assert_eq!(
        actions,
        [
            ("granted".to_owned(), "signup_form".to_owned()),
            ("revoked".to_owned(), "manage_link".to_owned())
        ]
    );
    assert_eq!(api.consent_status(&s, PHONE).await["consent"], "revoked");

    booking_page(&api, "unknown-token").await.problem(404);
    api.remove_phone("unknown-token").await.problem(404);
}

#[tokio::test]
async fn consent_records_are_for_the_workspace_admins_only() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    let member = api.user("member").await;
    api.add_member(&s.admin, &s.workspace_id, &member, "member")
        .await;
    let outsider = api.user("outsider").await;
    let records = format!("/workspaces/{}/sms-consent/records", s.workspace_id);
    api.get(&records, &member).await.problem(403);
    api.get(&records, &outsider).await.problem(404);
    let status = format!(
        "/workspaces/{}/sms-consent/status?phone=%2B16175550123",
        s.workspace_id
    );
    assert_eq!(api.get(&status, &member).await.ok(200)["consent"], "none");
    api.get(&status, &outsider).await.problem(404);
    // No phone, or not a phone.
    for query in ["", "?phone=12"] {
        let path = format!("/workspaces/{}/sms-consent/status{query}", s.workspace_id);
        let refused = api.get(&path, &member).await;
        assert_eq!(refused.error_fields(), ["phone"], "{query}");
    }
}

#[tokio::test]
async fn staff_change_consent_with_a_note() {
    let api = Api::new();
    let (s, booking) = booked_with_consent(&api).await;
    let pid = booking["participant_id"].as_str().unwrap();
    let path = format!("/studies/{}/participants/{pid}/sms-consent", s.study_id);

    // No note, or a blank one.
    for body in [
        json!({"granted": false}),
        json!({"granted": false, "note": "  "}),
    ] {
        let refused = api.put(&path, &s.admin, body.clone()).await;
        assert_eq!(refused.error_fields(), ["note"], "{body}");
    }
    let revoked = api
        .change_consent(&s.admin, &s.study_id, pid, false, "Asked by phone to stop")
        .await;
    assert_eq!(revoked.ok(200)["consent"], "revoked");
    let granted = api
        .change_consent(&s.admin, &s.study_id, pid, true, "Asked to resume")
        .await;
    assert_eq!(granted.ok(200)["consent"], "granted");

    let outsider = api.user("outsider").await;
    api.put(&path, &outsider, json!({"granted": true, "note": "x"}))
        .await
        .problem(404);
    api.change_consent(&s.admin, &s.study_id, "pt_nobody", true, "x")
        .await
        .problem(404);

    let items = api.consent_records(&s, Some(PHONE)).await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["source"], "staff");
    assert_eq!(items[1]["actor"], s.admin.sub.as_str());
    assert_eq!(items[1]["note"], "Asked by phone to stop");
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_record() {
    let api = Api::new();
    let s = api.bookable_study(true).await;
    for (i, phone) in ["+16175550123", "+16175550124", "+16175550125"]
        .iter()
        .enumerate()
    {
        let mut body = booking_body(Some(phone), Some(true));
        body["email"] = json!(format!("p{i}@example.org"));
        api.book(&s, body).await;
    }
    let first = api
        .book(&s, booking_body(Some("+16175550126"), Some(true)))
        .await;
    let token = first["manage_token"].as_str().unwrap().to_owned();
    assert_eq!(api.remove_phone(&token).await.status, 204);

    let csv = api
        .send(
            "GET",
            &format!("/workspaces/{}/sms-consent/records?limit=2", s.workspace_id),
            Some(&s.admin),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    let text = csv.body.as_str().expect("CSV text");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("at,action,phone,person,workspace_id"));
    assert_eq!(lines.len(), 1 + 5, "{text}");
    assert_eq!(lines.iter().filter(|l| l.contains(",granted,")).count(), 4);
    assert_eq!(lines.iter().filter(|l| l.contains(",revoked,")).count(), 1);

    // JSON pages through the same records, oldest first.
    let page = api
        .get(
            &format!("/workspaces/{}/sms-consent/records?limit=2", s.workspace_id),
            &s.admin,
        )
        .await;
    assert_eq!(page.ok(200)["items"].as_array().unwrap().len(), 2);
    assert!(page.body["next"].is_string());
}

#[tokio::test]
async fn booking_without_required_sms_keeps_no_phone_given_without_consent() {
    let api = Api::new();
    let s = api.bookable_study(false).await;
    let booking = api.book(&s, booking_body(Some(PHONE), None)).await;
    let token = booking["manage_token"].as_str().unwrap();
    let manage = booking_page(&api, token).await;
    assert_eq!(manage.ok(200)["phone_last4"], Value::Null);
    assert_eq!(api.consent_records(&s, None).await.len(), 0);
}

#[tokio::test]
async fn participants_are_added_and_approved_by_the_team() {
    let api = Api::new();
    let s = api.bookable_study(false).await;
    let path = format!("/studies/{}/participants", s.study_id);
    let body = json!({"email": "Pat@Example.org", "name": "Pat", "source": "direct"});
    let created = api.post(&path, &s.admin, body.clone()).await;
    assert_eq!(created.ok(201)["status"], "applied");
    let pid = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        api.post(&path, &s.admin, body).await.problem(409)["code"],
        "participant_exists"
    );
    assert_eq!(
        api.post(
            &path,
            &s.admin,
            json!({"email": "x@example.org", "name": "X", "source": "respondent"})
        )
        .await
        .error_fields(),
        ["source", "panel_participant_id"]
    );
    let approved = api
        .post(&format!("{path}/{pid}/approve"), &s.admin, json!({}))
        .await;
    assert_eq!(approved.ok(200)["status"], "approved");
    api.post(&format!("{path}/pt_missing/approve"), &s.admin, json!({}))
        .await
        .problem(404);
    let outsider = api.user("outsider").await;
    api.post(&format!("{path}/{pid}/approve"), &outsider, json!({}))
        .await
        .problem(404);
}
