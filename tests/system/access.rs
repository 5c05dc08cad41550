//! Taking access back: a member removed from a workspace, or a teammate from a study,
//! finds nothing there on their very next call; a workspace keeps an admin and a study
//! an owner, even when two removals race.
use serde_json::json;
use system_tests::{id, Api};

#[tokio::test]
async fn a_removed_member_sees_nothing_of_the_workspace_or_its_studies() {
    let api = Api::new();
    let admin = api.user("admin").await;
    let bob = api.user("bob").await;
    let ws = api.workspace_with(&admin, &[&bob]).await;
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
    api.delete(&format!("/workspaces/{ws}/members/{}", admin.sub), &bob)
        .await
        .problem(403);
    let removed = api
        .delete(&format!("/workspaces/{ws}/members/{}", bob.sub), &admin)
        .await;
    assert_eq!(removed.status, 204, "{removed:?}");

    for path in [
        format!("/workspaces/{ws}"),
        format!("/workspaces/{ws}/members"),
        format!("/workspaces/{ws}/settings/sms"),
        format!("/studies/{his}"),
        format!("/studies/{his}/team"),
        format!("/studies/{theirs}"),
        format!("/studies/{theirs}/conversations"),
    ] {
        api.get(&path, &bob).await.problem(404);
    }
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
    api.delete(&format!("/workspaces/{ws}/members/{}", bob.sub), &admin)
        .await
        .problem(404);
}

#[tokio::test]
async fn a_workspace_keeps_its_last_admin() {
    let api = Api::new();
    let admin = api.user("admin").await;
    let ws = api.workspace(&admin).await;
    let last = api
        .delete(&format!("/workspaces/{ws}/members/{}", admin.sub), &admin)
        .await;
    assert_eq!(last.problem(409)["code"], "last_admin");

    // Two admins remove each other at once: one wins, one admin is left.
    let other = api.user("other").await;
    api.add_member(&admin, &ws, &other, "admin").await;
    let (remove_other, remove_admin) = (
        format!("/workspaces/{ws}/members/{}", other.sub),
        format!("/workspaces/{ws}/members/{}", admin.sub),
    );
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
    let owner = api.user("owner").await;
    let mate = api.user("mate").await;
    let ws = api.workspace_with(&owner, &[&mate]).await;
    let sid = id(&api.study(&owner, &ws, "interview", "direct").await);
    api.put_team_member(&owner, &sid, &mate, "teammate", false)
        .await
        .ok(200);
    api.get(&format!("/studies/{sid}"), &mate).await.ok(200);

    // A teammate may not change the team; the last owner may not leave it.
    api.delete(&format!("/studies/{sid}/team/{}", owner.sub), &mate)
        .await
        .problem(403);
    let last = api
        .delete(&format!("/studies/{sid}/team/{}", owner.sub), &owner)
        .await;
    assert_eq!(last.problem(409)["code"], "last_owner");

    let removed = api
        .delete(&format!("/studies/{sid}/team/{}", mate.sub), &owner)
        .await;
    assert_eq!(removed.status, 204, "{removed:?}");
    for path in [
        format!("/studies/{sid}"),
        format!("/studies/{sid}/team"),
        format!("/studies/{sid}/conversations"),
    ] {
        api.get(&path, &mate).await.problem(404);
    }
    // Still a workspace member: the workspace itself is still theirs to see.
    api.get(&format!("/workspaces/{ws}"), &mate).await.ok(200);
    api.delete(&format!("/studies/{sid}/team/{}", mate.sub), &owner)
        .await
        .problem(404);

    // A second owner may leave, and then the first is the last again.
    api.put_team_member(&owner, &sid, &mate, "owner", false)
        .await
        .ok(200);
    let left = api
        .delete(&format!("/studies/{sid}/team/{}", mate.sub), &mate)
        .await;
    assert_eq!(left.status, 204, "{left:?}");
    let last = api
        .delete(&format!("/studies/{sid}/team/{}", owner.sub), &owner)
        .await;
    assert_eq!(last.problem(409)["code"], "last_owner");
}
