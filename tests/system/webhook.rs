//! `POST /webhooks/sms`: SNS HTTPS deliveries of inbound texts. Genuine, signed messages
//! from our topic act exactly like the SNS-subscribed function; everything else is
//! refused with 401 and changes nothing. The local stack trusts the test-only
//! certificate in tests/fixtures, served as if from an SNS host; the messages here are
//! signed with its key, or with another key to forge them.
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Duration, DurationRound, Utc};
use serde_json::{json, Value};
use system_tests::{stack, unique_phone, Api, BookableStudy, Reply};

const SIGNING_KEY: &[u8] = include_bytes!("../fixtures/sns-test-signing-key.pk8");
const FORGER_KEY: &[u8] = include_bytes!("../fixtures/forger-key.pk8");
const CERT_URL: &str = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem";

/// The string SNS signs (AWS docs, "Verifying the signatures of Amazon SNS messages"):
/// `name\nvalue\n` for each signed field, in this order, skipping absent ones.
fn canonical(message: &Value) -> String {
    let fields: &[&str] = if message["Type"] == "Notification" {
        &[
            "Message",
            "MessageId",
            "Subject",
            "Timestamp",
            "TopicArn",
            "Type",
        ]
    } else {
        &[
            "Message",
            "MessageId",
            "SubscribeURL",
            "Timestamp",
            "Token",
            "TopicArn",
            "Type",
        ]
    };
    fields
        .iter()
        .filter_map(|f| message[*f].as_str().map(|v| format!("{f}\n{v}\n")))
        .collect()
}

fn sign_with(key: &[u8], mut message: Value) -> Value {
    let pair = RsaKeyPair::from_pkcs8(key).expect("test key");
    let mut signature = vec![0; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        canonical(&message).as_bytes(),
        &mut signature,
    )
    .expect("sign");
    message["SignatureVersion"] = json!("2");
    message["Signature"] = json!(STANDARD.encode(signature));
    message
}

fn signed(message: Value) -> Value {
    sign_with(SIGNING_KEY, message)
}

fn notification(from: &str, body: &str) -> Value {
    let sms = json!({
        "originationNumber": from,
        "destinationNumber": "+15555550100",
        "messageKeyword": "KEYWORD_123456789012",
        "messageBody": body,
        "inboundMessageId": uuid::Uuid::new_v4().to_string(),
        "previousPublishedMessageId": uuid::Uuid::new_v4().to_string(),
    });
    json!({
        "Type": "Notification",
        "MessageId": uuid::Uuid::new_v4().to_string(),
        "TopicArn": stack().inbound_topic_arn,
        "Message": sms.to_string(),
        "Timestamp": Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "SigningCertURL": CERT_URL,
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    })
}

async fn deliver(body: &str) -> Reply {
    let response = reqwest::Client::new()
        .post(format!("{}/webhooks/sms", stack().base_url))
        .header("content-type", "text/plain; charset=UTF-8")
        .header("x-amz-sns-message-type", "Notification")
        .body(body.to_owned())
        .send()
        .await
        .expect("the local stack answers");
    Reply::read(response).await
}

async fn booked(api: &Api) -> (BookableStudy, String) {
    let s = api.bookable_study(true).await;
    let phone = unique_phone();
    let starts_at = (Utc::now() + Duration::days(9))
        .duration_trunc(Duration::minutes(1))
        .unwrap();
    let body = json!({
        "name": "Ann Example", "email": "ann@example.org", "starts_at": starts_at.to_rfc3339(),
        "time_zone": "America/New_York", "phone": phone, "sms_consent": true,
    });
    api.book(&s, body).await;
    assert_eq!(
        api.wait_for_texts(&phone, 1).await.len(),
        1,
        "booking confirmation"
    );
    (s, phone)
}

async fn opted_out(api: &Api, s: &BookableStudy, phone: &str) -> bool {
    api.consent_status(s, phone).await["opted_out"] == true
}

#[tokio::test]
async fn a_signed_stop_from_our_topic_opts_the_number_out_and_confirms_once() {
    let api = Api::new();
    let (s, phone) = booked(&api).await;
    let message = signed(notification(&phone, "Stop"));

    let reply = deliver(&message.to_string()).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert!(opted_out(&api, &s, &phone).await);
    let texts = api.wait_for_texts(&phone, 2).await;
    assert_eq!(texts.len(), 2);
    assert!(texts[1].contains("unsubscribed"), "{}", texts[1]);

    // SNS redelivers the same message when it did not see our 200 in time: no second
    // confirmation text.
    assert_eq!(deliver(&message.to_string()).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(api.texts_to(&phone).await.len(), 2);
}

#[tokio::test]
async fn a_signed_subscription_confirmation_is_confirmed() {
    let message = signed(json!({
        "Type": "SubscriptionConfirmation",
        "MessageId": uuid::Uuid::new_v4().to_string(),
        "Token": "2336412f37fb687f5d51e6e2425dacbbabc",
        "TopicArn": stack().inbound_topic_arn,
        "Message": "You have chosen to subscribe to the topic. To confirm, visit the SubscribeURL.",
        "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37fb687f5d51e6e2425dacbbabc",
        "Timestamp": Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "SigningCertURL": CERT_URL,
    }));
    let reply = deliver(&message.to_string()).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["confirmed"], true);

    // A confirmation whose SubscribeURL points anywhere but SNS is not followed.
    let mut elsewhere = message.clone();
    elsewhere["SubscribeURL"] = json!("https://attacker.example/confirm");
    let reply = deliver(&signed(elsewhere).to_string()).await;
    assert_eq!(reply.status, 401, "{:?}", reply.body);
}

#[tokio::test]
async fn forged_unsigned_wrong_topic_and_wrong_host_stops_are_refused_and_change_nothing() {
    let api = Api::new();
    let (s, phone) = booked(&api).await;
    let stop = || notification(&phone, "STOP");

    let mut refused: Vec<(&str, String)> = Vec::new();
    refused.push((
        "signed with another key",
        sign_with(FORGER_KEY, stop()).to_string(),
    ));
    let mut tampered = signed(notification(&phone, "see you then"));
    tampered["Message"] = json!(tampered["Message"]
        .as_str()
        .unwrap()
        .replace("see you then", "STOP"));
    refused.push(("altered after signing", tampered.to_string()));
    refused.push(("unsigned", stop().to_string()));
    let mut version_one = signed(stop());
    version_one["SignatureVersion"] = json!("1");
    refused.push(("signature version 1", version_one.to_string()));
    let mut no_signature = signed(stop());
    no_signature.as_object_mut().unwrap().remove("Signature");
    refused.push(("signature removed", no_signature.to_string()));
    let mut other_topic = stop();
    other_topic["TopicArn"] = json!("arn:aws:sns:us-east-1:999999999999:someone-elses-topic");
    refused.push(("another topic", signed(other_topic).to_string()));
    for url in [
        "https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem",
        "https://attacker.example/sns.us-east-1.amazonaws.com/cert.pem",
        "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
    ] {
        let mut m = stop();
        m["SigningCertURL"] = json!(url);
        refused.push(("certificate from an untrusted URL", signed(m).to_string()));
    }
    refused.push(("not JSON", "STOP".to_owned()));
    refused.push(("empty", String::new()));

    for (why, body) in &refused {
        let reply = deliver(body).await;
        assert_eq!(reply.status, 401, "{why}: {:?}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json", "{why}");
    }
    assert!(
        !opted_out(&api, &s, &phone).await,
        "a refused STOP opted the number out"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        api.texts_to(&phone).await.len(),
        1,
        "a refused message was answered"
    );
}
