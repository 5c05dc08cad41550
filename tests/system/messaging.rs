//! Secure messaging end to end: the study team starts, the participant accepts and
//! replies, every team member shares the thread, the email says nothing it should not,
//! and strangers see nothing.
use serde_json::{json, Value};
use system_tests::{unique_phone, Api, Reply, User};

struct Setup {
    workspace_id: String,
    owner: User,
    teammate: User,
    study_id: String,
    study_name: String,
    participant_id: String,
    participant_email: String,
}

/// A person signed in with a token carrying these further claims (what Cognito would
/// issue: an access token, an unverified address).
async fn person_with(api: &Api, email: &str, claims: Value) -> User {
    let sub = format!("p-{}", uuid::Uuid::new_v4().simple());
    let mut body = json!({"sub": sub, "email": email});
    for (name, value) in claims.as_object().unwrap() {
        body[name] = value.clone();
    }
    let reply = api.send("POST", "/_dev/token", None, Some(body), &[]).await;
    User {
        sub,
        email: email.to_owned(),
        token: reply.ok(200)["token"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn only_an_id_token_with_a_verified_address_reaches_the_participants_messages() {
    let api = Api::new();
    let s = setup(&api).await;
    let cid = start(&api, &s, "Hello from the team").await;
    // The address as Cognito says it verified it: the conversation is theirs.
    let verified = person_with(
        &api,
        &s.participant_email,
        json!({"email_verified": "true"}),
    )
    .await;
    assert_ne!(my_conversation(&api, &verified, &cid).await, Value::Null);
    // Unverified, or not stated: the address proves nothing, and links nothing.
    for claims in [
        json!({"email_verified": "false"}),
        json!({"email_verified": null}),
    ] {
        let person = person_with(&api, &s.participant_email, claims.clone()).await;
        let list = api.get("/me/conversations", &person).await;
        assert_eq!(list.ok(200)["items"], json!([]), "{claims}");
    }
    // An access token (the authorizer lets it through; it carries no email): 401.
    let access = person_with(
        &api,
        &s.participant_email,
        json!({"token_use": "access", "client_id": "app"}),
    )
    .await;
    let reply = api.get("/me/conversations", &access).await;
    assert_eq!(reply.problem(401)["code"], "id_token_required", "{reply:?}");
    let reply = api
        .post("/workspaces", &access, json!({"name": "Lab"}))
        .await;
    assert_eq!(reply.problem(401)["code"], "id_token_required", "{reply:?}");
}

async fn setup(api: &Api) -> Setup {
    let study_name = format!(
        "Nightmare Disorder Study {}",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    setup_named(api, &study_name).await
}

async fn setup_named(api: &Api, study_name: &str) -> Setup {
    let study_name = study_name.to_owned();
    let (owner, teammate, ws) = api.workspace_of_two("owner", "teammate").await;
    let study = api
        .post(
            &format!("/workspaces/{ws}/studies"),
            &owner,
            json!({"name": study_name, "kind": "interview", "recruitment": "direct", "contact_phone": "+16175550123"}),
        )
        .await;
    let study_id = study.ok(201)["id"].as_str().unwrap().to_owned();
    api.put_team_member(&owner, &study_id, &teammate, "teammate", false)
        .await
        .ok(200);
    let (participant_id, participant_email) = api
        .add_direct_participant(&owner, &study_id, "Pat Example")
        .await;
    Setup {
        workspace_id: ws,
        owner,
        teammate,
        study_id,
        study_name,
        participant_id,
        participant_email,
    }
}

async fn emails_to(api: &Api, address: &str) -> Vec<Value> {
    api.outbox_where("emails", "to", address).await
}

async fn start(api: &Api, s: &Setup, body: &str) -> String {
    api.start_conversation(&s.owner, &s.study_id, &s.participant_id, body)
        .await
}

/// Conversation `cid` in a list's 200 answer (`Value::Null` if it is not there).
fn conversation_in(list: &Reply, cid: &str) -> Value {
    list.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["conversation_id"] == cid)
        .cloned()
        .unwrap_or(Value::Null)
}

async fn my_conversation(api: &Api, participant: &User, cid: &str) -> Value {
    let list = api.get("/me/conversations", participant).await;
    conversation_in(&list, cid)
}

#[tokio::test]
async fn a_study_or_message_made_of_the_emails_own_words_is_still_emailed() {
    let api = Api::new();
    for (name, body) in [
        ("Research", "message"),
        ("Rally", "New Message"),
        ("Team", "View My Message"),
    ] {
        let s = setup_named(&api, name).await;
        start(&api, &s, body).await;
        let emails = emails_to(&api, &s.participant_email).await;
        assert_eq!(emails.len(), 1, "{name:?} / {body:?}: {emails:?}");
        assert_eq!(
            emails[0]["subject"],
            "Rally | New Message from a Researcher"
        );
    }
}

#[tokio::test]
async fn the_team_starts_and_the_email_names_no_study_and_quotes_nothing() {
    let api = Api::new();
    let s = setup(&api).await;
    let secret = format!(
        "Your biopsy results {} are ready",
        uuid::Uuid::new_v4().simple()
    );
    start(&api, &s, &secret).await;

    let emails = emails_to(&api, &s.participant_email).await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    let email = &emails[0];
    assert_eq!(email["subject"], "Rally | New Message from a Researcher");
    let everything = email.to_string().to_lowercase();
    assert!(everything.contains("view my message"), "{everything}");
    assert!(
        everything.contains("+16175550123"),
        "the team's contact phone: {everything}"
    );
    assert!(
        !everything.contains(&s.study_name.to_lowercase()),
        "names the study: {everything}"
    );
    assert!(
        !everything.contains("nightmare"),
        "names the study: {everything}"
    );
    assert!(
        !everything.contains("biopsy"),
        "quotes the message: {everything}"
    );
}

#[tokio::test]
async fn the_email_as_ses_received_it_is_a_whole_document_and_a_text_part_saying_the_same() {
    let api = Api::new();
    let s = setup(&api).await;
    let cid = start(&api, &s, "See you Thursday").await;
    let emails = emails_to(&api, &s.participant_email).await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    let html = emails[0]["html"].as_str().expect("an HTML part");
    let text = emails[0]["text"].as_str().expect("a text part");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<meta name=\"color-scheme\" content=\"light dark\">"));
    assert!(
        html.contains("role=\"presentation\""),
        "table layout: {html}"
    );
    let link = format!("/messages/{cid}\"");
    assert!(html.contains(&link), "the button's link: {html}");
    assert!(html.contains(">View My Message</a>"), "{html}");
    assert!(html.contains("href=\"tel:+16175550123\""), "{html}");
    assert!(html.contains(">(617) 555-0123</a>"), "{html}");
    assert!(
        text.contains("View My Message: ") && text.contains(&format!("/messages/{cid}")),
        "{text}"
    );
    assert!(text.contains("(617) 555-0123"), "{text}");
    for part in [html, text] {
        assert!(part.contains("Contact Us"), "{part}");
        assert!(part.contains("not to a study team"), "{part}");
        assert!(
            part.contains("You are getting this email because"),
            "{part}"
        );
        assert!(!part.contains("Thursday"), "quotes the message: {part}");
        assert!(!part.contains(&s.study_name), "names the study: {part}");
    }
}

#[tokio::test]
async fn a_participant_cannot_start_a_conversation() {
    let api = Api::new();
    let s = setup(&api).await;
    let participant = api.user_with_email("p", &s.participant_email).await;
    // Not on the team: the study's conversation routes do not exist for them.
    let reply = api
        .post(
            &format!("/studies/{}/conversations", s.study_id),
            &participant,
            json!({"participant_id": s.participant_id, "body": "hello?"}),
        )
        .await;
    reply.problem(404);
    // And there is no participant route that starts one.
    let reply = api
        .post("/me/conversations", &participant, json!({"body": "hello?"}))
        .await;
    assert!(matches!(reply.status, 404 | 405), "{reply:?}");
    assert_eq!(
        api.get("/me/conversations", &participant).await.ok(200)["items"],
        json!([])
    );
    assert!(emails_to(&api, &s.participant_email).await.is_empty());
}

#[tokio::test]
async fn the_participant_accepts_replies_and_the_whole_team_sees_it() {
    let api = Api::new();
    let s = setup(&api).await;
    let cid = start(&api, &s, "Could you confirm your availability?").await;
    // Signs in with the same address in another case.
    let participant = api
        .user_with_email("p", &s.participant_email.to_uppercase())
        .await;

    let listed = my_conversation(&api, &participant, &cid).await;
    assert_eq!(listed["accepted"], false);
    assert_eq!(listed["unread"], 1);
    let path = format!("/me/conversations/{cid}/messages");
    assert_eq!(
        api.get(&path, &participant).await.problem(409)["code"],
        "conversation_not_accepted"
    );
    let early = api.post(&path, &participant, json!({"body": "yes"})).await;
    assert_eq!(early.problem(409)["code"], "conversation_not_accepted");

    api.accept_conversation(&participant, &cid).await;
    let thread = api.get(&path, &participant).await;
    let messages = thread.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["sender"], "study_team");
    assert!(
        messages[0].get("author_id").is_none(),
        "the member is hidden: {}",
        messages[0]
    );
    assert!(!thread.body.to_string().contains(&s.owner.sub));
    assert_eq!(my_conversation(&api, &participant, &cid).await["unread"], 0);

    api.post_message(&path, &participant, "Tuesday <b>works</b> & Wednesday")
        .await;

    // The teammate, who wrote nothing, has the reply unread and sees the whole thread.
    let team_list = api
        .get(
            &format!("/studies/{}/conversations", s.study_id),
            &s.teammate,
        )
        .await;
    let row = team_list.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["conversation_id"] == cid)
        .cloned()
        .unwrap();
    assert_eq!(row["unread"], 1);
    assert_eq!(row["accepted"], true);
    let team_path = format!("/studies/{}/conversations/{cid}/messages", s.study_id);
    let seen = api.get(&team_path, &s.teammate).await;
    let items = seen.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["sender"], "participant", "newest first");
    assert_eq!(
        items[0]["body"], "Tuesday <b>works</b> & Wednesday",
        "stored as given"
    );
    assert_eq!(
        items[1]["author_id"],
        s.owner.sub.as_str(),
        "the record keeps the author"
    );
    let after = api
        .get(
            &format!("/studies/{}/conversations", s.study_id),
            &s.teammate,
        )
        .await;
    assert_eq!(after.ok(200)["items"][0]["unread"], 0);
    // The owner has not read it yet: read state is per member.
    let owners = api
        .get(&format!("/studies/{}/conversations", s.study_id), &s.owner)
        .await;
    assert_eq!(owners.ok(200)["items"][0]["unread"], 1);

    // The teammate answers in the same thread.
    api.post_message(&team_path, &s.teammate, "Tuesday it is.")
        .await;
    assert_eq!(my_conversation(&api, &participant, &cid).await["unread"], 1);
}

#[tokio::test]
async fn strangers_and_other_participants_get_404() {
    let api = Api::new();
    let s = setup(&api).await;
    let cid = start(&api, &s, "Hello from the team").await;
    let stranger = api.user("stranger").await;
    let other = setup(&api).await;
    let other_participant = api.user_with_email("p", &other.participant_email).await;
    for user in [&stranger, &other_participant] {
        for (method, path) in [
            ("GET", format!("/me/conversations/{cid}/messages")),
            ("POST", format!("/me/conversations/{cid}/accept")),
            ("POST", format!("/me/conversations/{cid}/messages")),
            ("GET", format!("/studies/{}/conversations", s.study_id)),
            (
                "GET",
                format!("/studies/{}/conversations/{cid}/messages", s.study_id),
            ),
            (
                "POST",
                format!("/studies/{}/conversations/{cid}/messages", s.study_id),
            ),
        ] {
            let body = (method == "POST").then(|| json!({"body": "hi"}));
            let reply = api.send(method, &path, Some(user), body, &[]).await;
            assert_eq!(reply.status, 404, "{method} {path}: {reply:?}");
        }
    }
    // The other study's owner cannot reach this conversation through their own study.
    let through_theirs = format!("/studies/{}/conversations/{cid}/messages", other.study_id);
    api.assert_not_found(&other.owner, &[through_theirs]).await;
}

#[tokio::test]
async fn one_email_until_the_participant_reads_and_the_bell_rings_each_time() {
    let api = Api::new();
    let s = setup(&api).await;
    let cid = start(&api, &s, "First").await;
    let team_path = format!("/studies/{}/conversations/{cid}/messages", s.study_id);
    api.post_message(&team_path, &s.owner, "Second").await;
    assert_eq!(
        emails_to(&api, &s.participant_email).await.len(),
        1,
        "no flood"
    );

    let participant = api.user_with_email("p", &s.participant_email).await;
    let bell = api.get("/me/notifications", &participant).await;
    let items = bell.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert!(items
        .iter()
        .all(|n| n["read"] == false && n["conversation_id"] == cid.as_str()));
    assert!(
        !bell.body.to_string().contains("Second"),
        "the bell quotes nothing"
    );

    api.accept_conversation(&participant, &cid).await;
    read_thread(&api, &participant, &cid).await;
    api.post_message(&team_path, &s.teammate, "Third").await;
    assert_eq!(
        emails_to(&api, &s.participant_email).await.len(),
        2,
        "read, so emailed again"
    );

    let nid = items[0]["notification_id"].as_str().unwrap();
    let stranger = api.user("stranger").await;
    api.post(
        &format!("/me/notifications/{nid}/read"),
        &stranger,
        json!({}),
    )
    .await
    .problem(404);
    api.post(
        &format!("/me/notifications/{nid}/read"),
        &participant,
        json!({}),
    )
    .await
    .ok(200);
    let bell = api.get("/me/notifications", &participant).await;
    let items = bell.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3);
    let unread = items.iter().filter(|n| n["read"] == false).count();
    assert_eq!(unread, 2);
    assert_eq!(
        items.iter().find(|n| n["notification_id"] == nid).unwrap()["read"],
        true
    );
}

#[tokio::test]
async fn bad_messages_are_refused_and_store_nothing() {
    let api = Api::new();
    let s = setup(&api).await;
    let path = format!("/studies/{}/conversations", s.study_id);
    let cases = [
        json!({"participant_id": s.participant_id, "body": "   "}),
        json!({"participant_id": s.participant_id, "body": "x".repeat(5_001)}),
        json!({"participant_id": s.participant_id}),
        json!({"participant_id": s.participant_id, "body": 42}),
    ];
    for body in cases {
        let reply = api.post(&path, &s.owner, body.clone()).await;
        assert_eq!(reply.status, 422, "{body}: {reply:?}");
        assert_eq!(reply.content_type, "application/problem+json");
    }
    api.post(
        &path,
        &s.owner,
        json!({"participant_id": "pt_nobody", "body": "hi"}),
    )
    .await
    .problem(404);
    api.send_raw("POST", &path, &s.owner, "{not json")
        .await
        .problem(400);
    assert_eq!(api.get(&path, &s.owner).await.ok(200)["items"], json!([]));
    assert!(emails_to(&api, &s.participant_email).await.is_empty());

    // A retried start with the same Idempotency-Key makes one conversation, one email.
    let body = json!({"participant_id": s.participant_id, "body": "Hello"});
    let first = api
        .send(
            "POST",
            &path,
            Some(&s.owner),
            Some(body.clone()),
            &[("Idempotency-Key", "start-1")],
        )
        .await;
    let again = api
        .send(
            "POST",
            &path,
            Some(&s.owner),
            Some(body),
            &[("Idempotency-Key", "start-1")],
        )
        .await;
    assert_eq!(first.ok(201), again.ok(201));
    assert_eq!(
        api.get(&path, &s.owner).await.ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(emails_to(&api, &s.participant_email).await.len(), 1);
}

/// A six-digit code that is not `code`.
fn a_wrong_code(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// The six-digit code in the latest text to `phone`.
async fn code_texted_to(api: &Api, phone: &str, count: usize) -> String {
    let texts = api.wait_for_texts(phone, count).await;
    assert_eq!(texts.len(), count, "{texts:?}");
    let last = texts.last().unwrap();
    let code = last
        .split(|c: char| !c.is_ascii_digit())
        .find(|word| word.len() == 6)
        .unwrap_or_else(|| panic!("no 6-digit code in {last}"));
    code.to_owned()
}

#[tokio::test]
async fn where_the_workspace_asks_a_participant_verifies_a_phone_before_accepting() {
    let api = Api::new();
    let s = setup(&api).await;
    let settings = format!("/workspaces/{}/settings/messaging", s.workspace_id);
    let require = json!({"require_phone_verification": true});
    api.put(&settings, &s.teammate, require.clone())
        .await
        .problem(403);
    api.put(&settings, &s.owner, require).await.ok(200);
    assert_eq!(
        api.get(&settings, &s.teammate).await.ok(200)["require_phone_verification"],
        true
    );

    let cid = start(&api, &s, "Hello").await;
    let participant = api.user_with_email("p", &s.participant_email).await;
    let accept = format!("/me/conversations/{cid}/accept");
    let refused = api.post(&accept, &participant, json!({})).await;
    assert_eq!(refused.problem(409)["code"], "phone_verification_required");

    let phone = unique_phone();
    api.ask_for_code(&participant, "12").await.problem(422);
    api.ask_for_code(&participant, &phone).await.ok(202);
    let code = code_texted_to(&api, &phone, 1).await;
    // Re-sending at once is rate limited, and texts nothing.
    api.ask_for_code(&participant, &phone).await.problem(429);
    let wrong = a_wrong_code(&code);
    api.verify_code(&participant, wrong).await.problem(422);
    // Another user cannot use this user's code.
    let stranger = api.user("stranger").await;
    api.verify_code(&stranger, &code).await.problem(409);
    let verified = api.verify_code(&participant, &code).await;
    assert_eq!(verified.ok(200)["verified"], true);
    assert_eq!(verified.body["phone"], phone.as_str());
    // A code works once.
    api.verify_code(&participant, &code).await.problem(409);
    assert_eq!(api.texts_to(&phone).await.len(), 1);

    api.post(&accept, &participant, json!({})).await.ok(200);
    assert_eq!(
        my_conversation(&api, &participant, &cid).await["accepted"],
        true
    );
}

#[tokio::test]
async fn five_wrong_codes_end_the_code_and_a_stopped_number_gets_none() {
    let api = Api::new();
    let user = api.user("guesser").await;
    let phone = unique_phone();
    api.ask_for_code(&user, &phone).await.ok(202);
    let code = code_texted_to(&api, &phone, 1).await;
    let wrong = a_wrong_code(&code);
    for _ in 0..5 {
        api.verify_code(&user, wrong).await.problem(422);
    }
    let locked = api.verify_code(&user, &code).await;
    assert_eq!(locked.problem(409)["code"], "too_many_attempts");

    let stopped = unique_phone();
    api.text_in(&stopped, "STOP").await;
    let before = api.texts_to(&stopped).await.len();
    let other = api.user("other").await;
    let refused = api.ask_for_code(&other, &stopped).await;
    assert_eq!(refused.problem(409)["code"], "opted_out");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(api.texts_to(&stopped).await.len(), before);
}

#[tokio::test]
async fn support_requests_go_to_platform_support_only() {
    let api = Api::new();
    let s = setup(&api).await;
    let participant = api.user_with_email("p", &s.participant_email).await;
    api.post(
        "/support/requests",
        &participant,
        json!({"subject": "Help", "body": "  "}),
    )
    .await
    .problem(422);
    let subject = format!("Cannot sign in {}", uuid::Uuid::new_v4().simple());
    let created = api
        .post(
            "/support/requests",
            &participant,
            json!({"subject": subject, "body": "It says <error>."}),
        )
        .await;
    assert!(created.ok(201)["id"].as_str().unwrap().starts_with("sr_"));
    // Other tests email in parallel: find ours by its unique subject.
    let emails = api.outbox("emails").await;
    let ours: Vec<&Value> = emails
        .iter()
        .filter(|e| e["subject"].as_str().unwrap_or_default().contains(&subject))
        .collect();
    assert_eq!(ours.len(), 1, "exactly one email: {ours:?}");
    assert_eq!(ours[0]["to"], "support@example.com");
    for member in [&s.owner, &s.teammate] {
        assert!(emails_to(&api, &member.email).await.is_empty());
    }
}

/// The team's bell notifications about replies in one conversation.
async fn reply_bells(api: &Api, member: &User, cid: &str) -> Vec<Value> {
    let bell = api.get("/me/notifications", member).await;
    bell.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "participant_reply" && n["conversation_id"] == cid)
        .cloned()
        .collect()
}

/// An accepted conversation and its signed-in participant.
async fn accepted(api: &Api, s: &Setup) -> (String, User) {
    let cid = start(api, s, "Hello").await;
    let participant = api.user_with_email("p", &s.participant_email).await;
    api.accept_conversation(&participant, &cid).await;
    (cid, participant)
}

#[tokio::test]
async fn every_team_member_hears_of_a_reply_by_bell_and_one_discreet_email() {
    let api = Api::new();
    let s = setup(&api).await;
    let (cid, participant) = accepted(&api, &s).await;
    let reply_text = "My nightmares got worse since Tuesday";
    participant_writes(&api, &participant, &cid, reply_text).await;

    for member in [&s.owner, &s.teammate] {
        let bells = reply_bells(&api, member, &cid).await;
        assert_eq!(bells.len(), 1, "{}: {bells:?}", member.sub);
        assert_eq!(bells[0]["study_id"], s.study_id.as_str());
        assert_eq!(bells[0]["read"], false);
        let emails = emails_to(&api, &member.email).await;
        assert_eq!(emails.len(), 1, "{}: {emails:?}", member.sub);
        let email = &emails[0];
        assert_eq!(email["subject"], "Rally | A participant replied");
        let link = format!("/studies/{}/conversations/{cid}", s.study_id);
        for part in ["text", "html"] {
            let content = email[part].as_str().unwrap();
            assert!(content.contains(&link), "{part}: {content}");
            for secret in [
                s.study_name.as_str(),
                "Nightmare",
                "Pat Example",
                s.participant_email.as_str(),
                reply_text,
                "Tuesday",
            ] {
                assert!(!content.contains(secret), "{part} names {secret:?}");
            }
        }
    }
    // Read state is each member's own.
    let nid = reply_bells(&api, &s.owner, &cid).await[0]["notification_id"]
        .as_str()
        .unwrap()
        .to_owned();
    api.post(
        &format!("/me/notifications/{nid}/read"),
        &s.owner,
        json!({}),
    )
    .await
    .ok(200);
    assert_eq!(reply_bells(&api, &s.owner, &cid).await[0]["read"], true);
    assert_eq!(reply_bells(&api, &s.teammate, &cid).await[0]["read"], false);
    // The participant's own bell has no reply notification of theirs.
    let mine = api.get("/me/notifications", &participant).await;
    assert!(mine.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["kind"] == "new_message"));
}

#[tokio::test]
async fn replies_within_the_quiet_period_ring_the_bell_but_email_once_and_a_member_may_opt_out() {
    let api = Api::new();
    let s = setup(&api).await;
    let settings = api.get("/me/settings/notifications", &s.teammate).await;
    assert_eq!(settings.ok(200)["reply_emails"], true);
    api.put(
        "/me/settings/notifications",
        &s.teammate,
        json!({"reply_emails": false}),
    )
    .await
    .ok(200);
    api.put(
        "/me/settings/notifications",
        &s.teammate,
        json!({"reply_emails": "no"}),
    )
    .await
    .problem(422);
    assert_eq!(
        api.get("/me/settings/notifications", &s.teammate)
            .await
            .ok(200)["reply_emails"],
        false
    );

    let (cid, participant) = accepted(&api, &s).await;
    for text in ["First", "Second", "Third"] {
        participant_writes(&api, &participant, &cid, text).await;
    }
    assert_eq!(reply_bells(&api, &s.owner, &cid).await.len(), 3);
    assert_eq!(reply_bells(&api, &s.teammate, &cid).await.len(), 3);
    assert_eq!(emails_to(&api, &s.owner.email).await.len(), 1);
    assert_eq!(emails_to(&api, &s.teammate.email).await.len(), 0);

    // Another conversation is its own thread: the owner hears of it at once.
    let (other_pid, other_email) = api
        .add_direct_participant(&s.owner, &s.study_id, "Sam")
        .await;
    let second = Setup {
        participant_id: other_pid,
        participant_email: other_email,
        ..s
    };
    let (cid2, sam) = accepted(&api, &second).await;
    participant_writes(&api, &sam, &cid2, "Hi").await;
    assert_eq!(emails_to(&api, &second.owner.email).await.len(), 2);
}

/// The participant writes `body` in conversation `cid`.
async fn participant_writes(api: &Api, participant: &User, cid: &str, body: &str) {
    api.post_message(
        &format!("/me/conversations/{cid}/messages"),
        participant,
        body,
    )
    .await;
}

/// The participant reads conversation `cid` (`GET /me/conversations/{cid}/messages`).
async fn read_thread(api: &Api, participant: &User, cid: &str) {
    api.get(&format!("/me/conversations/{cid}/messages"), participant)
        .await
        .ok(200);
}

/// The participant reads conversation `cid`; then the study's owner writes `body` in it.
async fn read_then_owner_writes(api: &Api, s: &Setup, cid: &str, participant: &User, body: &str) {
    read_thread(api, participant, cid).await;
    api.post_message(
        &format!("/studies/{}/conversations/{cid}/messages", s.study_id),
        &s.owner,
        body,
    )
    .await;
}

/// The team's view of one conversation in the study's list.
async fn team_listing(api: &Api, s: &Setup, cid: &str) -> Value {
    let list = api
        .get(&format!("/studies/{}/conversations", s.study_id), &s.owner)
        .await;
    conversation_in(&list, cid)
}

/// SES's event for `fixture` (`bounce`, `complaint`, `transient-bounce`) about `address`.
async fn ses_reports(fixture: &str, address: &str) {
    let mut event = system_tests::fixture(&format!("ses-events/{fixture}.json"));
    let detail = &mut event["detail"];
    // (`pointer_mut`, not indexing: indexing would add the kind the event lacks.)
    for list in [
        "/bounce/bouncedRecipients",
        "/complaint/complainedRecipients",
    ] {
        if let Some(recipients) = detail.pointer_mut(list).and_then(Value::as_array_mut) {
            for r in recipients {
                r["emailAddress"] = json!(address.to_uppercase());
            }
        }
    }
    detail["mail"]["destination"] = json!([address]);
    system_tests::put_on_default_bus(&event).await;
}

async fn wait_for_email_status(api: &Api, s: &Setup, cid: &str, status: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let listed = team_listing(api, s, cid).await;
        if listed["email_status"] == status || std::time::Instant::now() > deadline {
            return listed;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_hard_bounce_or_a_complaint_stops_the_emails_and_the_team_sees_why() {
    let api = Api::new();
    for (fixture, status) in [("bounce", "bounced"), ("complaint", "complained")] {
        let s = setup(&api).await;
        let (cid, participant) = accepted(&api, &s).await;
        assert_eq!(emails_to(&api, &s.participant_email).await.len(), 1);
        assert_eq!(
            team_listing(&api, &s, &cid).await["email_status"],
            "deliverable"
        );
        ses_reports(fixture, &s.participant_email).await;
        let listed = wait_for_email_status(&api, &s, &cid, status).await;
        assert_eq!(listed["email_status"], status, "{fixture}: {listed}");
        // Read, so the next team message would email again: it does not.
        read_then_owner_writes(
            &api,
            &s,
            &cid,
            &participant,
            "Call us at the number on your booking",
        )
        .await;
        assert_eq!(
            emails_to(&api, &s.participant_email).await.len(),
            1,
            "{fixture}: emailed after it"
        );
        // The bell still rings.
        let bell = api.get("/me/notifications", &participant).await;
        assert_eq!(bell.ok(200)["items"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_soft_bounce_changes_nothing() {
    let api = Api::new();
    let s = setup(&api).await;
    let (cid, participant) = accepted(&api, &s).await;
    ses_reports("transient-bounce", &s.participant_email).await;
    // A hard bounce for someone else, after it, shows the events were delivered.
    let other = setup(&api).await;
    let (other_cid, _) = accepted(&api, &other).await;
    ses_reports("bounce", &other.participant_email).await;
    wait_for_email_status(&api, &other, &other_cid, "bounced").await;
    assert_eq!(
        team_listing(&api, &s, &cid).await["email_status"],
        "deliverable"
    );
    read_then_owner_writes(&api, &s, &cid, &participant, "Hello again").await;
    assert_eq!(emails_to(&api, &s.participant_email).await.len(), 2);
}
