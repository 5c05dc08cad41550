//! Workspaces, members and the SMS setting, end to end over HTTP.
use serde_json::json;
use system_tests::{count_items_for_user, Api, Reply, User};

/// `POST /workspaces` named `name` as `user`, with `Idempotency-Key: key`.
async fn create_with_key(api: &Api, user: &User, name: &str, key: &str) -> Reply {
    api.send(
        "POST",
        "/workspaces",
        Some(user),
        Some(json!({"name": name})),
        &[("Idempotency-Key", key)],
    )
    .await
}

#[tokio::test]
async fn creator_becomes_admin_and_sees_the_workspace() {
    let api = Api::new();
    let alice = api.user("alice").await;
    let created = api
        .post("/workspaces", &alice, json!({"name": "  Sleep Lab "}))
        .await;
    let body = created.ok(201);
    assert_eq!(body["name"], "Sleep Lab");
    let ws = body["id"].as_str().unwrap();
    let view = api.get(&format!("/workspaces/{ws}"), &alice).await;
    assert_eq!(view.ok(200)["role"], "admin");
    let members = api.get(&format!("/workspaces/{ws}/members"), &alice).await;
    let items = members.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["user_id"], alice.sub.as_str());
    assert_eq!(items[0]["role"], "admin");
}

#[tokio::test]
async fn bad_bodies_get_problem_answers_and_create_nothing() {
    let api = Api::new();
    let bob = api.user("bob").await;
    for raw in ["{not json", "[1,2]", ""] {
        api.send_raw("POST", "/workspaces", &bob, raw)
            .await
            .problem(400);
    }
    for body in [json!({}), json!({"name": 7}), json!({"name": "   "})] {
        assert_eq!(
            api.post("/workspaces", &bob, body.clone())
                .await
                .error_fields(),
            ["name"],
            "{body}"
        );
    }
    let too_long = "x".repeat(201);
    api.post("/workspaces", &bob, json!({"name": too_long}))
        .await
        .problem(422);
    assert_eq!(
        count_items_for_user(&bob.sub, "WS#").await,
        0,
        "a refused request wrote something"
    );
}

#[tokio::test]
async fn no_identity_is_401_and_unknown_routes_are_404() {
    let api = Api::new();
    // No token, or a forged one: the JWT authorizer answers itself, before any
    // function, as API Gateway does: 401 {"message":"Unauthorized"} and a challenge.
    let mut forged = api.user("mallory").await;
    forged.token.push('x');
    for reply in [
        api.send("POST", "/workspaces", None, Some(json!({"name": "x"})), &[])
            .await,
        api.post("/workspaces", &forged, json!({"name": "x"})).await,
    ] {
        assert_eq!(reply.status, 401, "{reply:?}");
        assert_eq!(reply.body, json!({"message": "Unauthorized"}), "{reply:?}");
        let challenge = reply.headers["www-authenticate"].to_str().unwrap();
        assert!(challenge.starts_with("Bearer "), "{challenge}");
    }
    let carol = api.user("carol").await;
    api.get("/no/such/route", &carol).await.problem(404);
    api.delete("/workspaces", &carol).await.problem(404);
}

#[tokio::test]
async fn idempotency_key_replays_the_first_response_and_creates_nothing_new() {
    let api = Api::new();
    let dana = api.user("dana").await;
    let key = "create-lab-1";
    let first = create_with_key(&api, &dana, "Lab", key).await;
    let again = create_with_key(&api, &dana, "Lab", key).await;
    assert_eq!(first.ok(201), again.ok(201));
    assert_eq!(count_items_for_user(&dana.sub, "WS#").await, 1);

    let other_body = create_with_key(&api, &dana, "Other", key).await;
    assert_eq!(other_body.error_fields(), ["Idempotency-Key"]);

    // Another user's identical key is theirs alone.
    let erin = api.user("erin").await;
    let erins = create_with_key(&api, &erin, "Lab", key).await;
    assert_ne!(erins.ok(201)["id"], first.body["id"]);
}

#[tokio::test]
async fn concurrent_retries_with_one_key_create_one_workspace() {
    let api = std::sync::Arc::new(Api::new());
    let fay = api.user("fay").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (api, fay) = (api.clone(), fay.clone());
        tasks.spawn(async move { create_with_key(&api, &fay, "Lab", "race").await });
    }
    let mut ids = std::collections::HashSet::new();
    while let Some(reply) = tasks.join_next().await {
        let reply = reply.unwrap();
        // A twin still in flight may be told to retry (409); none may create a second.
        match reply.status {
            201 => {
                ids.insert(reply.body["id"].as_str().unwrap().to_owned());
            }
            409 => assert_eq!(reply.problem(409)["code"], "request_in_progress"),
            other => panic!("unexpected {other}: {reply:?}"),
        }
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(count_items_for_user(&fay.sub, "WS#").await, 1);
}

#[tokio::test]
async fn another_workspace_sees_nothing() {
    let api = Api::new();
    let owner = api.user("owner").await;
    let outsider = api.user("outsider").await;
    let ws = api.workspace(&owner).await;
    api.workspace(&outsider).await;
    let study = api.study(&owner, &ws, "interview", "direct").await;
    let sid = study["id"].as_str().unwrap();

    api.assert_not_found(
        &outsider,
        &[
            format!("/workspaces/{ws}"),
            format!("/workspaces/{ws}/members"),
            format!("/workspaces/{ws}/settings/sms"),
            format!("/studies/{sid}"),
            format!("/studies/{sid}/team"),
        ],
    )
    .await;
    for (method, path, body) in [
        (
            "PUT",
            format!("/workspaces/{ws}/settings/sms"),
            json!({"enabled": true}),
        ),
        (
            "PUT",
            format!("/workspaces/{ws}/members/{}", outsider.sub),
            json!({"role": "admin", "email": outsider.email}),
        ),
        (
            "POST",
            format!("/workspaces/{ws}/studies"),
            json!({"name": "x", "kind": "survey", "recruitment": "direct"}),
        ),
        (
            "PUT",
            format!("/studies/{sid}/sms"),
            json!({"interview_reminder": false}),
        ),
        (
            "PUT",
            format!("/studies/{sid}/team/{}", outsider.sub),
            json!({"role": "owner", "external_panel": true}),
        ),
    ] {
        api.send(method, &path, Some(&outsider), Some(body), &[])
            .await
            .problem(404);
    }
    // An unknown id looks exactly like someone else's.
    api.get("/workspaces/ws_doesnotexist", &outsider)
        .await
        .problem(404);
    // Nothing changed: the outsider is still not a member.
    assert_eq!(
        api.get(&format!("/workspaces/{ws}/members"), &owner)
            .await
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn only_admins_change_the_sms_setting_and_members_can_read_it() {
    let api = Api::new();
    let (admin, member, ws) = api.workspace_of_two("admin", "member").await;
    let path = format!("/workspaces/{ws}/settings/sms");

    let initial = api.get(&path, &member).await;
    assert_eq!(initial.ok(200)["enabled"], false);
    assert_eq!(initial.body["sender_number"], "+16175550100");

    api.put(&path, &member, json!({"enabled": true}))
        .await
        .problem(403);
    assert_eq!(api.get(&path, &member).await.ok(200)["enabled"], false);

    assert_eq!(
        api.put(&path, &admin, json!({"enabled": "yes"}))
            .await
            .error_fields(),
        ["enabled"]
    );
    let on = api.put(&path, &admin, json!({"enabled": true})).await;
    assert_eq!(on.ok(200)["enabled"], true);
    assert_eq!(api.get(&path, &member).await.ok(200)["enabled"], true);
}

#[tokio::test]
async fn members_are_managed_by_admins_and_the_last_admin_stays() {
    let api = Api::new();
    let (admin, member, ws) = api.workspace_of_two("admin", "member").await;

    // A member cannot add or promote anyone.
    let newcomer = api.user("newcomer").await;
    api.put(
        &format!("/workspaces/{ws}/members/{}", newcomer.sub),
        &member,
        json!({"role": "admin", "email": newcomer.email}),
    )
    .await
    .problem(403);

    let path = format!("/workspaces/{ws}/members/{}", newcomer.sub);
    let bad_role = api
        .put(
            &path,
            &admin,
            json!({"role": "owner", "email": newcomer.email}),
        )
        .await;
    assert_eq!(bad_role.error_fields(), ["role"]);
    let bad_email = api
        .put(&path, &admin, json!({"role": "member", "email": "nope"}))
        .await;
    assert_eq!(bad_email.error_fields(), ["email"]);
    let missing = api.put(&path, &admin, json!({})).await;
    assert_eq!(missing.error_fields(), ["role", "email"]);

    // The only admin cannot step down...
    let own = format!("/workspaces/{ws}/members/{}", admin.sub);
    let step_down = json!({"role": "member", "email": admin.email});
    let demote = api.put(&own, &admin, step_down.clone()).await;
    assert_eq!(demote.problem(409)["code"], "last_admin");
    // ...but can once there is another.
    api.add_member(&admin, &ws, &member, "admin").await;
    let demote = api.put(&own, &admin, step_down).await;
    assert_eq!(demote.ok(200)["role"], "member");
    api.set_sms(&admin, &ws, true).await.problem(403);
}

#[tokio::test]
async fn member_lists_page_through_every_member_once() {
    let api = Api::new();
    let admin = api.user("admin").await;
    let ws = api.workspace(&admin).await;
    for i in 0..4 {
        let user = api.user(&format!("m{i}")).await;
        api.add_member(&admin, &ws, &user, "member").await;
    }
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &next {
            None => format!("/workspaces/{ws}/members?limit=2"),
            Some(cursor) => format!("/workspaces/{ws}/members?limit=2&next={cursor}"),
        };
        let page = api.get(&path, &admin).await;
        let body = page.ok(200);
        for item in body["items"].as_array().unwrap() {
            seen.push(item["user_id"].as_str().unwrap().to_owned());
        }
        pages += 1;
        match body["next"].as_str() {
            Some(cursor) => next = Some(cursor.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (5, 5));

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("next=bogus", "next"),
    ] {
        assert_eq!(
            api.get(&format!("/workspaces/{ws}/members?{query}"), &admin)
                .await
                .error_fields(),
            [field],
            "{query}"
        );
    }
}

/// A cursor no list returned is the `next` field's fault on every list, answered as
/// every invalid field is: a 422 that names the field.
#[tokio::test]
async fn every_list_names_next_when_its_cursor_is_not_one_it_returned() {
    let api = Api::new();
    let owner = api.user("owner").await;
    let ws = api.workspace(&owner).await;
    let sid = system_tests::id(&api.study(&owner, &ws, "interview", "direct").await);
    for list in [
        "/workspaces".to_owned(),
        format!("/workspaces/{ws}/members"),
        format!("/workspaces/{ws}/studies"),
        format!("/studies/{sid}/team"),
        format!("/studies/{sid}/participants"),
        format!("/studies/{sid}/conversations"),
    ] {
        let listed = api.get(&format!("{list}?next=bogus"), &owner).await;
        assert_eq!(listed.error_fields(), ["next"], "{list}");
    }
}
