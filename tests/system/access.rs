//! Taking access back: a member removed from a workspace, or a teammate from a study,
//! finds nothing there on their very next call; a workspace keeps an admin and a study
//! an owner, even when two removals race.
use serde_json::json;
use system_tests::{id, Api, User};

/// `user`'s membership of workspace `ws` (`/workspaces/{ws}/members/{sub}`).
fn membership(ws: &str, user: &User) -> String {
    format!("/workspaces/{ws}/members/{}", user.sub)
}

/// `user`'s place on study `sid`'s team (`/studies/{sid}/team/{sub}`).
fn team_place(sid: &str, user: &User) -> String {
    format!("/studies/{sid}/team/{}", user.sub)
}

#[tokio::test]
async fn a_removed_member_sees_nothing_of_the_workspace_or_its_studies() {
    let api = Api::new();
    let (admin, bob, ws) = api.workspace_of_two("admin", "bob").await;
    // Bob owns a study of his own there, and is on one of the admin's.
    let his = id(&api.study(&bob, &ws, "survey", "direct").await);
    let theirs = id(&api.study(&admin, &ws, "interview", "direct").await);
    api.put_team_member(&admin, &theirs, &bob, "teammate", false)
        .await
        .ok(200);
    for path in [
        format!("/workspaces/{ws}"),
        format!("/studies/{his}"),
        format!("/studies/{theirs}/team"),
    ] {
        api.get(&path, &bob).await.ok(200);
    }

    // A member cannot remove anyone; the admin can.
    api.delete(&membership(&ws, &admin), &bob)
        .await
        .problem(403);
    api.delete(&membership(&ws, &bob), &admin).await.ok(204);

    api.assert_not_found(
        &bob,
        &[
            format!("/workspaces/{ws}"),
            format!("/workspaces/{ws}/members"),
            format!("/workspaces/{ws}/settings/sms"),
            format!("/studies/{his}"),
            format!("/studies/{his}/team"),
            format!("/studies/{theirs}"),
            format!("/studies/{theirs}/conversations"),
        ],
    )
    .await;
    api.post(
        &format!("/workspaces/{ws}/studies"),
        &bob,
        json!({"name": "S", "kind": "survey", "recruitment": "direct"}),
    )
    .await
    .problem(404);
    // Gone from the member list; removing again finds nobody.
    let members = api.get(&format!("/workspaces/{ws}/members"), &admin).await;
    assert!(!members.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["user_id"] == bob.sub.as_str()));
    api.delete(&membership(&ws, &bob), &admin)
        .await
        .problem(404);
}

#[tokio::test]
async fn a_workspace_keeps_its_last_admin() {
    let api = Api::new();
    let admin = api.user("admin").await;
    let ws = api.workspace(&admin).await;
    let last = api.delete(&membership(&ws, &admin), &admin).await;
    assert_eq!(last.problem(409)["code"], "last_admin");

    // Two admins remove each other at once: one wins, one admin is left.
    let other = api.user("other").await;
    api.add_member(&admin, &ws, &other, "admin").await;
    let (remove_other, remove_admin) = (membership(&ws, &other), membership(&ws, &admin));
    let (a, b) = tokio::join!(
        api.delete(&remove_other, &admin),
        api.delete(&remove_admin, &other),
    );
    let statuses = [a.status, b.status];
    assert_eq!(
        statuses.iter().filter(|s| **s == 204).count(),
        1,
        "{a:?} {b:?}"
    );
    let members = api
        .get(
            &format!("/workspaces/{ws}/members"),
            if a.status == 204 { &admin } else { &other },
        )
        .await;
    let admins: Vec<_> = members.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "admin")
        .cloned()
        .collect();
    assert_eq!(admins.len(), 1, "{admins:?}");
}

#[tokio::test]
async fn a_removed_teammate_sees_nothing_of_the_study_and_it_keeps_an_owner() {
    let api = Api::new();
    let (owner, mate, ws) = api.workspace_of_two("owner", "mate").await;
    let sid = id(&api.study(&owner, &ws, "interview", "direct").await);
    api.put_team_member(&owner, &sid, &mate, "teammate", false)
        .await
        .ok(200);
    api.get(&format!("/studies/{sid}"), &mate).await.ok(200);

    // A teammate may not change the team; the last owner may not leave it.
    api.delete(&team_place(&sid, &owner), &mate)
        .await
        .problem(403);
    let last = api.delete(&team_place(&sid, &owner), &owner).await;
    assert_eq!(last.problem(409)["code"], "last_owner");

    api.delete(&team_place(&sid, &mate), &owner).await.ok(204);
    api.assert_not_found(
        &mate,
        &[
            format!("/studies/{sid}"),
            format!("/studies/{sid}/team"),
            format!("/studies/{sid}/conversations"),
        ],
    )
    .await;
    // Still a workspace member: the workspace itself is still theirs to see.
    api.get(&format!("/workspaces/{ws}"), &mate).await.ok(200);
    api.delete(&team_place(&sid, &mate), &owner)
        .await
        .problem(404);

    // A second owner may leave, and then the first is the last again.
    api.put_team_member(&owner, &sid, &mate, "owner", false)
        .await
        .ok(200);
    api.delete(&team_place(&sid, &mate), &mate).await.ok(204);
    let last = api.delete(&team_place(&sid, &owner), &owner).await;
    assert_eq!(last.problem(409)["code"], "last_owner");
}
