//! Studies, teams and the interview-reminder switch, end to end over HTTP.
use serde_json::json;
use system_tests::Api;

#[tokio::test]
async fn interview_studies_remind_by_default_and_surveys_do_not() {
    let api = Api::new();
    let owner = api.user("owner").await;
    let ws = api.workspace(&owner).await;
    let interview = api.study(&owner, &ws, "interview", "direct").await;
    assert_eq!(interview["sms"]["interview_reminder"], true);
    let token = interview["share_token"].as_str().unwrap();
    assert!(token.len() >= 32, "share token too short to be unguessable");
    let survey = api.study(&owner, &ws, "survey", "respondent").await;
    assert_eq!(survey["sms"]["interview_reminder"], false);
    assert_ne!(interview["share_token"], survey["share_token"]);

    let sid = interview["id"].as_str().unwrap();
    let team = api.get(&format!("/studies/{sid}/team"), &owner).await;
    let items = team.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["role"], "owner");
}

#[tokio::test]
async fn study_creation_validates_every_field() {
    let api = Api::new();
    let owner = api.user("owner").await;
    let ws = api.workspace(&owner).await;
    let path = format!("/workspaces/{ws}/studies");
    let reply = api
        .post(
            &path,
            &owner,
            json!({"name": "", "kind": "focus group", "recruitment": 3}),
        )
        .await;
    assert_eq!(reply.error_fields(), ["kind", "recruitment"]);
    let reply = api
        .post(&path, &owner, json!({"name": "", "kind": "interview", "recruitment": "direct", "contact_phone": "555"}))
        .await;
    assert_eq!(reply.error_fields(), ["name", "contact_phone"]);
    let ok = api
        .post(
            &path,
            &owner,
            json!({"name": "Diary", "kind": "interview", "recruitment": "direct", "contact_phone": "+1 (617) 555-0123"}),
        )
        .await;
    assert_eq!(ok.ok(201)["contact_phone"], "+16175550123");
}

#[tokio::test]
async fn any_workspace_member_creates_studies_but_only_the_team_sees_them() {
    let api = Api::new();
    let ([admin, researcher, colleague], ws) =
        api.workspace_of(["admin", "researcher", "colleague"]).await;
    let study = api.study(&researcher, &ws, "interview", "direct").await;
    let sid = study["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/studies/{sid}"), &researcher)
            .await
            .ok(200)["name"],
        "Sleep and memory"
    );
    // Not on the team: not visible, admin or not.
    api.get(&format!("/studies/{sid}"), &colleague)
        .await
        .problem(404);
    api.get(&format!("/studies/{sid}"), &admin)
        .await
        .problem(404);
}

#[tokio::test]
async fn owners_manage_the_team_with_the_panel_permission() {
    let api = Api::new();
    let (owner, mate, ws) = api.workspace_of_two("owner", "mate").await;
    let stranger = api.user("stranger").await;
    let study = api.study(&owner, &ws, "interview", "respondent").await;
    let sid = study["id"].as_str().unwrap();

    let added = api
        .put_team_member(&owner, sid, &mate, "teammate", true)
        .await;
    assert_eq!(added.ok(200)["external_panel"], true);

    // Someone outside the workspace cannot join the team.
    let outside = api
        .put_team_member(&owner, sid, &stranger, "teammate", false)
        .await;
    assert_eq!(outside.error_fields(), ["user_id"]);

    // A teammate may not change the team.
    api.put_team_member(&mate, sid, &mate, "owner", true)
        .await
        .problem(403);
    let bad = api
        .put(
            &format!("/studies/{sid}/team/{}", mate.sub),
            &owner,
            json!({"role": "lead"}),
        )
        .await;
    assert_eq!(bad.error_fields(), ["role", "external_panel"]);

    // The last owner cannot step down; with a second owner they can.
    let step_down = api
        .put_team_member(&owner, sid, &owner, "teammate", false)
        .await;
    assert_eq!(step_down.problem(409)["code"], "last_owner");
    api.put_team_member(&owner, sid, &mate, "owner", true)
        .await
        .ok(200);
    api.put_team_member(&owner, sid, &owner, "teammate", false)
        .await
        .ok(200);
    let team = api.get(&format!("/studies/{sid}/team"), &mate).await;
    let roles: Vec<_> = team.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].clone())
        .collect();
    assert_eq!(roles.len(), 2);
    assert!(roles.contains(&json!("owner")) && roles.contains(&json!("teammate")));
}

#[tokio::test]
async fn the_team_switches_interview_reminders() {
    let api = Api::new();
    let (owner, mate, ws) = api.workspace_of_two("owner", "mate").await;
    let study = api.study(&owner, &ws, "interview", "direct").await;
    let sid = study["id"].as_str().unwrap();
    api.put_team_member(&owner, sid, &mate, "teammate", false)
        .await
        .ok(200);

    let off = api.set_interview_reminder(&mate, sid, false).await;
    assert_eq!(off.ok(200)["interview_reminder"], false);
    assert_eq!(
        api.get(&format!("/studies/{sid}"), &owner).await.ok(200)["sms"]["interview_reminder"],
        false
    );
    assert_eq!(
        api.put(&format!("/studies/{sid}/sms"), &mate, json!({}))
            .await
            .error_fields(),
        ["interview_reminder"]
    );

    let survey = api.study(&owner, &ws, "survey", "direct").await;
    let survey_id = survey["id"].as_str().unwrap();
    let refused = api.set_interview_reminder(&owner, survey_id, true).await;
    assert_eq!(refused.error_fields(), ["interview_reminder"]);
}

#[tokio::test]
async fn study_creation_is_idempotent() {
    let api = Api::new();
    let owner = api.user("owner").await;
    let ws = api.workspace(&owner).await;
    let body = json!({"name": "Diary", "kind": "survey", "recruitment": "direct"});
    let key = [("Idempotency-Key", "study-1")];
    let path = format!("/workspaces/{ws}/studies");
    let first = api
        .send("POST", &path, Some(&owner), Some(body.clone()), &key)
        .await;
    let again = api
        .send("POST", &path, Some(&owner), Some(body), &key)
        .await;
    assert_eq!(first.ok(201), again.ok(201));
    assert_eq!(
        system_tests::count_items_for_user(&owner.sub, "TEAM#").await,
        1
    );
}
