//! External-panel chat end to end: who may see it, approval, delivery through the relay
//! to the panel's API (including a panel that fails twice), and the signed webhook.
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use system_tests::{id, stack, Api, Reply, User};

struct Panel {
    ws: String,
    owner: User,
    with_panel: User,
    without_panel: User,
    member_off_team: User,
    study_id: String,
}

async fn panel_study(api: &Api) -> Panel {
    let ([owner, with_panel, without_panel, member_off_team], ws) = api
        .workspace_of(["owner", "panelist", "teammate", "member"])
        .await;
    let study = api.study(&owner, &ws, "interview", "respondent").await;
    let study_id = study["id"].as_str().unwrap().to_owned();
    for (u, perm) in [(&with_panel, true), (&without_panel, false)] {
        api.put_team_member(&owner, &study_id, u, "teammate", perm)
            .await
            .ok(200);
    }
    Panel {
        ws,
        owner,
        with_panel,
        without_panel,
        member_off_team,
        study_id,
    }
}

/// Adds a panel participant; approves them when asked. Returns (pid, panel pid).
async fn participant(api: &Api, p: &Panel, approve: bool) -> (String, String) {
    let (pid, panel_id) = api
        .add_panel_participant(&p.owner, &p.study_id, "Robin Panel")
        .await;
    if approve {
        api.approve_participant(&p.owner, &p.study_id, &pid).await;
    }
    (pid, panel_id)
}

async fn received_by_panel(api: &Api, panel_id: &str) -> Vec<Value> {
    api.outbox_where("panel", "panel_participant_id", panel_id)
        .await
}

async fn record(api: &Api, p: &Panel, pid: &str) -> Vec<Value> {
    let reply = api
        .get(
            &format!("/studies/{}/chat/{pid}/messages", p.study_id),
            &p.owner,
        )
        .await;
    reply.ok(200)["items"].as_array().unwrap().clone()
}

/// Waits (up to 5 s) until the record's newest outbound message is no longer pending.
async fn delivered_record(api: &Api, p: &Panel, pid: &str) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let items = record(api, p, pid).await;
        let settled = items
            .iter()
            .filter(|m| m["direction"] == "to_participant")
            .all(|m| m["delivery_status"] != "pending");
        if settled || std::time::Instant::now() > deadline {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A new panel study with one approved panel participant, who replies `text`: the study,
/// the participant's id, and the reply as the panel sends it now (the webhook's body, with
/// a fresh message id; the timestamp; its signature with the stack's secret).
async fn reply_signed_now(api: &Api, text: &str) -> (Panel, String, String, String, String) {
    let p = panel_study(api).await;
    let (pid, panel_id) = participant(api, &p, true).await;
    let body = json!({"message_id": format!("panel-{}", uuid::Uuid::new_v4().simple()), "study_id": p.study_id, "panel_participant_id": panel_id, "body": text}).to_string();
    let now = chrono::Utc::now().timestamp().to_string();
    let signature = sign(&stack().panel_webhook_secret, &now, &body);
    (p, pid, body, now, signature)
}

async fn webhook(body: &str, timestamp: Option<&str>, signature: Option<&str>) -> Reply {
    let mut request = reqwest::Client::new()
        .post(format!("{}/webhooks/panel", stack().base_url))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(t) = timestamp {
        request = request.header("X-Panel-Timestamp", t);
    }
    if let Some(s) = signature {
        request = request.header("X-Panel-Signature", s);
    }
    Reply::read(request.send().await.unwrap()).await
}

#[tokio::test]
async fn only_the_panel_permission_in_a_panel_study_sees_the_chat() {
    let api = Api::new();
    let p = panel_study(&api).await;
    let (pid, _) = participant(&api, &p, true).await;
    let stranger = api.user("stranger").await;
    let chat = format!("/studies/{}/chat", p.study_id);
    let messages = format!("/studies/{}/chat/{pid}/messages", p.study_id);
    for (who, user, expected) in [
        ("owner", &p.owner, 200),
        ("teammate with the panel permission", &p.with_panel, 200),
        ("teammate without it", &p.without_panel, 404),
        ("workspace member off the team", &p.member_off_team, 404),
        ("member of another workspace", &stranger, 404),
    ] {
        assert_eq!(
            api.get(&chat, user).await.status,
            expected,
            "{who} GET chat"
        );
        assert_eq!(
            api.get(&messages, user).await.status,
            expected,
            "{who} GET messages"
        );
        let post = api.post(&messages, user, json!({"body": "hi"})).await;
        assert_eq!(
            post.status,
            if expected == 200 { 201 } else { 404 },
            "{who} POST: {post:?}"
        );
    }
    // A study recruiting directly has no panel chat, even for its owner.
    let direct = api.study(&p.owner, &p.ws, "interview", "direct").await;
    let chat = format!("/studies/{}/chat", id(&direct));
    api.assert_not_found(&p.owner, &[chat]).await;
}

#[tokio::test]
async fn only_approved_panel_participants_have_threads_and_can_be_messaged() {
    let api = Api::new();
    let p = panel_study(&api).await;
    let (approved, _) = participant(&api, &p, true).await;
    let (applicant, applicant_panel_id) = participant(&api, &p, false).await;
    let threads = api
        .get(&format!("/studies/{}/chat", p.study_id), &p.with_panel)
        .await;
    let ids: Vec<&str> = threads.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["participant_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [approved.as_str()]);
    let path = format!("/studies/{}/chat/{applicant}/messages", p.study_id);
    let refused = api.post(&path, &p.owner, json!({"body": "hello"})).await;
    assert_eq!(refused.problem(409)["code"], "participant_not_approved");
    assert!(record(&api, &p, &applicant).await.is_empty());
    assert!(received_by_panel(&api, &applicant_panel_id)
        .await
        .is_empty());

    api.approve_participant(&p.owner, &p.study_id, &applicant)
        .await;
    api.post_message(&path, &p.owner, "hello").await;
}

#[tokio::test]
async fn a_message_reaches_the_panel_once_even_when_the_panel_fails_twice() {
    let api = Api::new();
    let p = panel_study(&api).await;
    let (pid, panel_id) = participant(&api, &p, true).await;
    api.public(
        "POST",
        "/_dev/panel/fail",
        Some(json!({"panel_participant_id": panel_id, "count": 2})),
    )
    .await
    .ok(200);
    let path = format!("/studies/{}/chat/{pid}/messages", p.study_id);
    let created = api
        .post_message(&path, &p.with_panel, "Are you free Tuesday?")
        .await;
    assert_eq!(created["delivery_status"], "pending");

    let items = delivered_record(&api, &p, &pid).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["delivery_status"], "delivered", "{items:?}");
    assert_eq!(items[0]["author_id"], p.with_panel.sub.as_str());
    let received = received_by_panel(&api, &panel_id).await;
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["body"], "Are you free Tuesday?");
    assert_eq!(received[0]["message_id"], items[0]["message_id"]);
}

#[tokio::test]
async fn signed_replies_are_recorded_once_and_forged_or_stale_ones_not_at_all() {
    let api = Api::new();
    let (p, pid, body, now, signature) = reply_signed_now(&api, "Tuesday works").await;
    let secret = stack().panel_webhook_secret.clone();

    // Forged, stale, unsigned: 401, nothing recorded.
    let forged = sign("not-the-secret", &now, &body);
    // A minute past the window either way, so the time these requests take cannot
    // bring a timestamp back into it (the window's edge is the unit tests' to check).
    let outside = shared::domain::panel_chat::signature::TOLERANCE_SECONDS + 60;
    let stale_ts = (chrono::Utc::now().timestamp() - outside).to_string();
    let stale = sign(&secret, &stale_ts, &body);
    let future_ts = (chrono::Utc::now().timestamp() + outside).to_string();
    let future = sign(&secret, &future_ts, &body);
    let tampered = sign(&secret, &now, &body.replace("Tuesday", "Friday"));
    for (why, ts, sig) in [
        ("forged", Some(now.as_str()), Some(forged.as_str())),
        ("stale", Some(stale_ts.as_str()), Some(stale.as_str())),
        (
            "from the future",
            Some(future_ts.as_str()),
            Some(future.as_str()),
        ),
        (
            "signed over another body",
            Some(now.as_str()),
            Some(tampered.as_str()),
        ),
        ("unsigned", Some(now.as_str()), None),
        ("no timestamp", None, Some(forged.as_str())),
    ] {
        let reply = webhook(&body, ts, sig).await;
        assert_eq!(reply.status, 401, "{why}: {reply:?}");
        assert_eq!(reply.content_type, "application/problem+json");
    }
    assert!(record(&api, &p, &pid).await.is_empty());

    // Genuine: recorded once, however often it is redelivered (replayed).
    let first = webhook(&body, Some(&now), Some(&signature)).await;
    assert_eq!(first.ok(200)["duplicate"], false);
    for _ in 0..2 {
        let again = webhook(&body, Some(&now), Some(&signature)).await;
        assert_eq!(again.ok(200)["duplicate"], true);
    }
    let items = record(&api, &p, &pid).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["direction"], "from_participant");
    assert_eq!(items[0]["body"], "Tuesday works");

    // A signed reply for someone not in the study is not recorded anywhere.
    let stray = json!({"message_id": "panel-stray", "study_id": p.study_id, "panel_participant_id": "R-nobody", "body": "hi"}).to_string();
    let reply = webhook(&stray, Some(&now), Some(&sign(&secret, &now, &stray))).await;
    reply.problem(404);
}

#[tokio::test]
async fn a_panel_reply_rings_and_emails_only_the_teammates_who_may_see_the_chat() {
    let api = Api::new();
    let (p, pid, body, now, signature) = reply_signed_now(&api, "Wednesday at 3 suits me").await;
    for _ in 0..2 {
        // The redelivery rings and emails nobody again.
        webhook(&body, Some(&now), Some(&signature)).await.ok(200);
    }
    let emails = api.outbox("emails").await;
    for (who, user, expected) in [
        ("owner", &p.owner, 1),
        ("teammate with the panel permission", &p.with_panel, 1),
        ("teammate without it", &p.without_panel, 0),
        ("workspace member off the team", &p.member_off_team, 0),
    ] {
        let bell = api.get("/me/notifications", user).await;
        let bells: Vec<&Value> = bell.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "panel_reply")
            .collect();
        assert_eq!(bells.len(), expected, "{who}: {bells:?}");
        if expected == 1 {
            assert_eq!(bells[0]["study_id"], p.study_id.as_str());
            assert_eq!(bells[0]["participant_id"], pid.as_str());
        }
        let mine: Vec<&Value> = emails.iter().filter(|e| e["to"] == user.email).collect();
        assert_eq!(mine.len(), expected, "{who}: {mine:?}");
        for email in mine {
            assert_eq!(email["subject"], "Rally | A participant replied");
            let text = email["text"].as_str().unwrap();
            assert!(text.contains(&format!("/studies/{}/chat/{pid}", p.study_id)));
            assert!(!text.contains("Wednesday") && !text.contains("Robin"));
        }
    }
}
