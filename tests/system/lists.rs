//! Every list route, read to the end through `next`, when its items fill DynamoDB's
//! 1 MB `Query` page long before `limit`: every item exactly once, in the list's order,
//! every page but the last full.
//!
//! Messages are made large the way a user makes them (5,000 four-byte characters, about
//! 20 KB each: 50 fill a page). Items a user cannot make large (members, conversations,
//! consent records…) are padded in the emulator with an attribute no code reads, so a
//! dozen of them fill a page the way thousands of ordinary ones would. Each test first
//! asserts that the emulator really cut the partition's first `Query` page short.
use serde_json::{json, Value};
use system_tests::pages::read_all;
use system_tests::tables::{pad, Partition};
use system_tests::{Api, User};

/// A body of 5,000 characters, each four bytes in UTF-8, that starts with its number.
fn big_body(i: usize) -> String {
    let head = format!("{i:04}");
    format!("{head}{}", "𝔸".repeat(5_000 - head.len()))
}

fn number(body: &Value) -> usize {
    body.as_str().unwrap()[..4].parse().unwrap()
}

/// Writes `big_body(i)` for each `i` of `numbers` in thread `path` (`.../messages`), as
/// `by`, one after another.
async fn post_big_messages(api: &Api, by: &User, path: &str, numbers: std::ops::Range<usize>) {
    for i in numbers {
        api.post_message(path, by, &big_body(i)).await;
    }
}

/// The numbers of the messages of thread `path`, read whole by `user`, `limit` a page.
async fn numbers_read(api: &Api, user: &User, path: &str, limit: usize) -> Vec<usize> {
    let messages = read_all(api, user, path, limit).await;
    messages.iter().map(|m| number(&m["body"])).collect()
}

fn strings(items: &[Value], field: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[field].as_str().expect(field).to_owned())
        .collect()
}

fn assert_each_once_in_order(got: &[String], want: &[String], what: &str) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: {} items listed, {} exist",
        got.len(),
        want.len()
    );
    assert_eq!(got, want, "{what}: not every item once, in order");
}

struct Team {
    owner: User,
    ws: String,
    sid: String,
}

/// A new study of `recruitment` with its owner, in a workspace of its own.
async fn team(api: &Api, recruitment: &str) -> Team {
    let owner = api.user("owner").await;
    let ws = api.workspace(&owner).await;
    let study = api.study(&owner, &ws, "interview", recruitment).await;
    Team {
        owner,
        ws,
        sid: study["id"].as_str().unwrap().to_owned(),
    }
}

/// A new directly recruiting `team` with one participant, Pat Example: the team, the
/// participant's id and their email.
async fn team_with_pat(api: &Api) -> (Team, String, String) {
    let t = team(api, "direct").await;
    let (pid, email) = api
        .add_direct_participant(&t.owner, &t.sid, "Pat Example")
        .await;
    (t, pid, email)
}

/// 71 messages of ~20 KB in one thread: the team's and the participant's view of it.
#[tokio::test]
async fn a_thread_of_large_messages_is_read_whole_by_both_sides() {
    let api = Api::new();
    let (t, pid, email) = team_with_pat(&api).await;
    let cid = api
        .start_conversation(&t.owner, &t.sid, &pid, &big_body(0))
        .await;
    let thread = format!("/studies/{}/conversations/{cid}/messages", t.sid);
    post_big_messages(&api, &t.owner, &thread, 1..71).await;
    Partition::main(format!("CONVERSATION#{cid}"), "MESSAGE#")
        .assert_first_page_cut(71)
        .await;
    // Newest first.
    let want: Vec<usize> = (0..71).rev().collect();
    for limit in [100, 30] {
        let got = numbers_read(&api, &t.owner, &thread, limit).await;
        assert_eq!(got, want, "the team's view, {limit} a page");
    }
    let participant = api.user_with_email("l", &email).await;
    api.accept_conversation(&participant, &cid).await;
    let theirs = format!("/me/conversations/{cid}/messages");
    let got = numbers_read(&api, &participant, &theirs, 100).await;
    assert_eq!(got, want, "the participant's view");

    // Each team message rang the participant's bell: 71 notifications, newest first.
    let bells = Partition::main(format!("NOTIFICATIONS#{email}"), "NOTIFICATION#");
    assert_eq!(pad(&bells, 20_000).await, 71);
    bells.assert_first_page_cut(71).await;
    let listed = read_all(&api, &participant, "/me/notifications", 100).await;
    let mut want = strings(&listed, "notification_id");
    want.sort();
    want.reverse();
    want.dedup();
    assert_eq!(want.len(), 71, "71 distinct notifications");
    assert_each_once_in_order(&strings(&listed, "notification_id"), &want, "notifications");
}

/// A study's conversations and a participant's inbox, each conversation item large.
#[tokio::test]
async fn conversations_and_the_inbox_are_read_whole() {
    let api = Api::new();
    let (t, pid, email) = team_with_pat(&api).await;
    let mut cids = Vec::new();
    for i in 0..12 {
        let cid = api
            .start_conversation(&t.owner, &t.sid, &pid, &format!("Hello {i}"))
            .await;
        cids.push(cid);
    }
    let study = Partition::main(format!("STUDY#{}", t.sid), "CONVERSATION#");
    assert_eq!(pad(&study, 150_000).await, 12);
    study.assert_first_page_cut(12).await;
    cids.sort();
    let listed = read_all(
        &api,
        &t.owner,
        &format!("/studies/{}/conversations", t.sid),
        10,
    )
    .await;
    assert_each_once_in_order(&strings(&listed, "conversation_id"), &cids, "conversations");

    Partition::main_gsi1(format!("EMAIL#{email}"), "CONVERSATION#")
        .assert_first_page_cut(12)
        .await;
    let participant = api.user_with_email("l", &email).await;
    let inbox = read_all(&api, &participant, "/me/conversations", 10).await;
    assert_each_once_in_order(&strings(&inbox, "conversation_id"), &cids, "inbox");
}

/// A workspace's members and a study's team, each entry large.
#[tokio::test]
async fn members_and_the_team_are_read_whole() {
    let api = Api::new();
    let t = team(&api, "direct").await;
    let mut subs = vec![t.owner.sub.clone()];
    for _ in 0..11 {
        let user = api.user("member").await;
        api.add_member(&t.owner, &t.ws, &user, "member").await;
        api.put_team_member(&t.owner, &t.sid, &user, "teammate", false)
            .await
            .ok(200);
        subs.push(user.sub);
    }
    subs.sort();
    let members = Partition::main(format!("WS#{}", t.ws), "MEMBER#");
    assert_eq!(pad(&members, 150_000).await, 12);
    members.assert_first_page_cut(12).await;
    let listed = read_all(&api, &t.owner, &format!("/workspaces/{}/members", t.ws), 10).await;
    assert_each_once_in_order(&strings(&listed, "user_id"), &subs, "members");

    let team = Partition::main(format!("STUDY#{}", t.sid), "TEAM#");
    assert_eq!(pad(&team, 150_000).await, 12);
    team.assert_first_page_cut(12).await;
    let listed = read_all(&api, &t.owner, &format!("/studies/{}/team", t.sid), 10).await;
    assert_each_once_in_order(&strings(&listed, "user_id"), &subs, "team");
}

/// A workspace's consent records, for one number and for all, each record large.
#[tokio::test]
async fn consent_records_are_read_whole() {
    let api = Api::new();
    let t = team(&api, "direct").await;
    let phone = system_tests::unique_phone();
    let email = format!("pat-{}@example.org", uuid::Uuid::new_v4().simple());
    api.post(
        &format!("/studies/{}/participants", t.sid),
        &t.owner,
        json!({"email": email, "name": "Pat", "source": "direct", "phone": phone}),
    )
    .await
    .ok(201);
    let pid = shared::domain::participants::participant_id(&t.sid, &email);
    for i in 0..12 {
        api.change_consent(&t.owner, &t.sid, &pid, i % 2 == 0, &format!("call {i}"))
            .await
            .ok(200);
    }
    let ledger = Partition::consent(format!("WS#{}#PHONE#{phone}", t.ws));
    assert_eq!(pad(&ledger, 150_000).await, 12);
    ledger.assert_first_page_cut(12).await;
    Partition::consent_gsi1(format!("WS#{}", t.ws))
        .assert_first_page_cut(12)
        .await;
    let want: Vec<String> = (0..12).map(|i| format!("call {i}")).collect();
    let encoded = phone.replace('+', "%2B");
    for path in [
        format!("/workspaces/{}/sms-consent/records?phone={encoded}", t.ws),
        format!("/workspaces/{}/sms-consent/records", t.ws),
    ] {
        let listed = read_all(&api, &t.owner, &path, 10).await;
        assert_each_once_in_order(&strings(&listed, "note"), &want, &path);
    }
}

/// The panel chat: the thread list (approved panel participants only, among others that
/// are not) and one thread of 71 large messages.
#[tokio::test]
async fn panel_chat_threads_and_messages_are_read_whole() {
    let api = Api::new();
    let t = team(&api, "respondent").await;
    let mut approved = Vec::new();
    for i in 0..30 {
        let (pid, _) = api.add_panel_participant(&t.owner, &t.sid, "Robin").await;
        // Every third one approved: most of each page read is filtered out.
        if i % 3 == 0 {
            api.approve_participant(&t.owner, &t.sid, &pid).await;
            approved.push(pid);
        }
    }
    let participants = Partition::main(format!("STUDY#{}", t.sid), "PARTICIPANT#");
    assert_eq!(pad(&participants, 60_000).await, 30);
    participants.assert_first_page_cut(30).await;
    approved.sort();
    for limit in [3, 4, 100] {
        let threads = read_all(&api, &t.owner, &format!("/studies/{}/chat", t.sid), limit).await;
        assert_each_once_in_order(
            &strings(&threads, "participant_id"),
            &approved,
            &format!("chat threads, {limit} a page"),
        );
    }

    let pid = &approved[0];
    let thread = format!("/studies/{}/chat/{pid}/messages", t.sid);
    post_big_messages(&api, &t.owner, &thread, 0..71).await;
    Partition::main(format!("PANELCHAT#{}#{pid}", t.sid), "MESSAGE#")
        .assert_first_page_cut(71)
        .await;
    let got = numbers_read(&api, &t.owner, &thread, 100).await;
    let want: Vec<usize> = (0..71).rev().collect();
    assert_eq!(got, want, "the chat thread, newest first");
}
