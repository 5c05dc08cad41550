//! The logs of a full scenario — booking with a phone, HELP and STOP, secure messaging,
//! a phone verification code, a support request, panel chat both ways — carry no phone
//! number, email address, name, message body or code. Logs are captured at `info` (what
//! the template deploys) with our own crates at `debug`.
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use system_tests::{stack, unique_phone, Api};

fn unique(label: &str) -> String {
    format!("{label} {}", uuid::Uuid::new_v4().simple())
}

#[tokio::test]
async fn a_full_scenario_logs_no_personal_data() {
    // The harness's one log subscriber writes to this capture too (other tests' lines
    // included: they run at the same time, against the same stack).
    let captured = system_tests::capture_logs();

    let api = Api::new();
    let mut secrets: Vec<String> = Vec::new();

    // A booking with a phone, then HELP and a plain-language STOP.
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let email = format!("zed-{}@example.org", uuid::Uuid::new_v4().simple());
    let name = unique("Zed Loggable");
    let starts_at = (chrono::Utc::now() + chrono::Duration::days(system_tests::days::LOGS + 6))
        .format("%Y-%m-%dT%H:00:00Z")
        .to_string();
    api.book(&s, json!({"name": name, "email": email, "starts_at": starts_at, "time_zone": "America/Chicago", "phone": phone, "sms_consent": true})).await;
    api.text_in(&phone, "HELP").await;
    api.text_in(&phone, "please stop texting me").await;
    // A second booking whose reminder goes out (the dashboard's lateness).
    let reminded = unique_phone();
    let reminded_at = chrono::Utc::now() + chrono::Duration::days(system_tests::days::LOGS + 5);
    let reminded_at = reminded_at - chrono::Duration::seconds(reminded_at.timestamp() % 3600);
    api.book(&s, json!({"name": unique("Ada Reminded"), "email": format!("ada-{}@example.org", uuid::Uuid::new_v4().simple()), "starts_at": reminded_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), "time_zone": "America/Chicago", "phone": reminded, "sms_consent": true})).await;
    api.tick(reminded_at - chrono::Duration::minutes(10)).await;
    secrets.extend([
        reminded.clone(),
        reminded.trim_start_matches('+').to_owned(),
    ]);
    secrets.extend([
        phone.clone(),
        phone.trim_start_matches('+').to_owned(),
        email,
        name,
    ]);

    // Secure messaging both ways, and a support request.
    let (pid, participant_email) = api
        .add_direct_participant(&s.admin, &s.study_id, "Pat Private")
        .await;
    let team_body = unique("Your scan shows");
    let cid = api
        .start_conversation(&s.admin, &s.study_id, &pid, &team_body)
        .await;
    let participant = api.user_with_email("log", &participant_email).await;
    api.accept_conversation(&participant, &cid).await;
    let reply_body = unique("I am worried about");
    api.post_message(
        &format!("/me/conversations/{cid}/messages"),
        &participant,
        &reply_body,
    )
    .await;
    let support_body = unique("My diagnosis is");
    api.post(
        "/support/requests",
        &participant,
        json!({"subject": "Help", "body": support_body}),
    )
    .await
    .ok(201);
    secrets.extend([
        participant_email,
        "Pat Private".to_owned(),
        team_body,
        reply_body,
        support_body,
    ]);

    // A phone verification code.
    let verify_phone = unique_phone();
    api.ask_for_code(&participant, &verify_phone).await.ok(202);
    let text = api
        .wait_for_texts(&verify_phone, 1)
        .await
        .pop()
        .expect("code text");
    let code = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    api.verify_code(&participant, &code).await.ok(200);
    secrets.extend([verify_phone.clone(), code]);

    // Panel chat both ways.
    let ws = api.workspace(&s.admin).await;
    let study = api.study(&s.admin, &ws, "interview", "respondent").await;
    let sid = study["id"].as_str().unwrap().to_owned();
    let (panel_pid, panel_id) = api
        .add_panel_participant(&s.admin, &sid, "Robin Hidden")
        .await;
    api.approve_participant(&s.admin, &sid, &panel_pid).await;
    let out_body = unique("Your payment of");
    api.post_message(
        &format!("/studies/{sid}/chat/{panel_pid}/messages"),
        &s.admin,
        &out_body,
    )
    .await;
    let in_body = unique("My address is");
    let webhook_body = json!({"message_id": unique("m").replace(' ', "-"), "study_id": sid, "panel_participant_id": panel_id, "body": in_body}).to_string();
    let ts = chrono::Utc::now().timestamp().to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(stack().panel_webhook_secret.as_bytes()).unwrap();
    mac.update(format!("{ts}.{webhook_body}").as_bytes());
    let signature = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    let status = reqwest::Client::new()
        .post(format!("{}/webhooks/panel", stack().base_url))
        .header("X-Panel-Timestamp", &ts)
        .header("X-Panel-Signature", &signature)
        .body(webhook_body)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
    secrets.extend(["Robin Hidden".to_owned(), out_body, in_body]);
    // Let the relay finish (it runs off the event bus).
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;

    let logs = captured.text();
    // The capture works: our info logs, with ids and last-4 digits, are there.
    assert!(
        logs.contains("conversation started"),
        "no info logs captured:\n{logs}"
    );
    assert!(
        logs.contains("panel message delivered"),
        "no relay logs captured"
    );
    assert!(logs.contains(&verify_phone[verify_phone.len() - 4..]));
    for secret in &secrets {
        let hits: Vec<&str> = logs
            .lines()
            .filter(|l| l.contains(secret.as_str()))
            .collect();
        assert!(
            hits.is_empty(),
            "logs carry {secret:?}:\n{}",
            hits.join("\n")
        );
    }
    let lines = logs.lines().count();
    eprintln!("scanned {lines} log lines for {} secrets", secrets.len());
    dashboard_metrics_are_the_ones_emitted(&logs);
}

/// The metric lines the scenario wrote (CloudWatch's embedded metric format), the rules
/// that write them (`shared::metrics::RULES`) and the metrics the template's dashboard
/// graphs and its alarms watch name the same metrics with the same dimensions.
fn dashboard_metrics_are_the_ones_emitted(logs: &str) {
    use std::collections::BTreeSet;
    let mut by_rules: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    for rule in shared::metrics::RULES {
        let dims: Vec<String> = rule
            .dimensions
            .iter()
            .map(|(d, _)| (*d).to_owned())
            .collect();
        by_rules.insert((rule.metric.to_owned(), dims));
        by_rules.insert((rule.metric.to_owned(), Vec::new()));
    }
    let mut emitted: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    for line in logs.lines().filter(|l| l.contains("\"_aws\"")) {
        let doc: serde_json::Value = serde_json::from_str(line).expect("an EMF line is JSON");
        let aws = &doc["_aws"];
        assert!(aws["Timestamp"].as_u64().is_some(), "{line}");
        for directive in aws["CloudWatchMetrics"].as_array().expect(line) {
            assert!(directive["Namespace"].as_str().is_some(), "{line}");
            for metric in directive["Metrics"].as_array().expect(line) {
                let name = metric["Name"].as_str().expect(line);
                assert!(
                    doc[name].as_f64().is_some(),
                    "the value is a number: {line}"
                );
                for set in directive["Dimensions"].as_array().expect(line) {
                    let dims: Vec<String> = set
                        .as_array()
                        .expect(line)
                        .iter()
                        .map(|d| d.as_str().expect(line).to_owned())
                        .collect();
                    for d in &dims {
                        assert!(
                            doc[d].as_str().is_some(),
                            "dimension {d} has a value: {line}"
                        );
                    }
                    emitted.insert((name.to_owned(), dims));
                }
            }
        }
    }
    for seen in &emitted {
        assert!(
            by_rules.contains(seen),
            "emitted but no rule says so: {seen:?}"
        );
    }
    let names: BTreeSet<&str> = emitted.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "TextsSent",
        "ReminderLateSeconds",
        "InboundTexts",
        "OptOuts",
        "EmailsSent",
    ] {
        assert!(
            names.contains(expected),
            "the scenario emitted no {expected}: {names:?}"
        );
    }
    let template = local_stack::template::Template::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../template.yaml"
    )))
    .expect("template.yaml");
    let watched: BTreeSet<(String, Vec<String>)> =
        template.own_metrics_watched().into_iter().collect();
    assert!(
        watched.len() >= 10,
        "the dashboard and alarms name metrics: {watched:?}"
    );
    for metric in &watched {
        assert!(
            by_rules.contains(metric),
            "the dashboard or an alarm names {metric:?}, which no code emits"
        );
    }
    for rule in shared::metrics::RULES {
        assert!(
            watched.iter().any(|(name, _)| name == rule.metric),
            "{} is emitted but on no graph",
            rule.metric
        );
    }
}
