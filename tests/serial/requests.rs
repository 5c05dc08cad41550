//! What a dispatcher tick costs, counted at the emulator (DynamoDB requests by
//! operation, `/_stats`). In the `serial` binary, holding `FaultProxy::exclusive`
//! while it counts, so nothing else runs against the emulator meanwhile (the other test
//! binaries run before or after this one). The dispatcher reads one window of minute
//! buckets with one `Query` per UTC day it touches, and the stale-claim sweep likewise:
//! an idle tick costs at most 4 requests, a tick sending one reminder at most 8.
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::Value;
use system_tests::{booking_at, unique_phone, Api};

async fn dynamodb_requests(reset: bool) -> (u64, Value) {
    let emulator = std::env::var("AWS_ENDPOINT_URL").expect("run under with-emulator.sh");
    let http = reqwest::Client::new();
    let url = format!("{emulator}/_stats");
    let req = if reset { http.post(url) } else { http.get(url) };
    let stats = req.send().await.unwrap().json::<Value>().await.unwrap()["dynamodb"].clone();
    let total = stats
        .as_object()
        .unwrap()
        .values()
        .filter_map(Value::as_u64)
        .sum();
    (total, stats)
}

/// The requests a tick at `now` makes.
async fn tick_cost(api: &Api, now: DateTime<Utc>) -> (u64, Value, Value) {
    // Let what earlier requests set off asynchronously (confirmation texts) finish.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    dynamodb_requests(true).await;
    let ran = api.tick(now).await;
    let (total, by_operation) = dynamodb_requests(false).await;
    eprintln!("tick at {now}: {total} DynamoDB requests, {by_operation}");
    (total, by_operation, ran)
}

#[tokio::test]
async fn a_tick_reads_only_the_minutes_that_can_hold_due_items() {
    let _alone = system_tests::fault_proxy().exclusive.lock().await;
    let api = Api::new();
    let s = api.bookable_study(true).await;
    // An interview at 00:05 UTC the day after tomorrow: its reminder is due at 23:50 the
    // evening before, so the tick at 00:02 reads a window that spans midnight.
    let midnight = (Utc::now() + Duration::days(2))
        .duration_trunc(Duration::days(1))
        .unwrap();
    let start = midnight + Duration::minutes(5);
    let phone = unique_phone();
    api.book(&s, booking_at(&phone, start)).await;
    assert_eq!(api.wait_for_texts(&phone, 1).await.len(), 1);

    // Idle, within one day: one Query for due intents, one for stale claims.
    let (idle, by_operation, _) = tick_cost(&api, midnight - Duration::hours(2)).await;
    assert!(
        idle <= 4,
        "an idle tick made {idle} requests: {by_operation}"
    );
    assert_eq!(by_operation["Query"], 2, "{by_operation}");

    // Due 23:50, sent by the tick at 00:02 (a late tick, within the 15-minute window).
    let (one, by_operation, ran) = tick_cost(&api, midnight + Duration::minutes(2)).await;
    let texts = api.texts_to(&phone).await;
    assert_eq!(
        texts.iter().filter(|t| t.contains("Reminder")).count(),
        1,
        "the reminder filed the day before must be found: {ran} {texts:?}"
    );
    // With its one SNS Publish.
    let publishes = 1;
    assert!(
        one + publishes <= 8,
        "a tick sending one reminder made {one} DynamoDB requests and a publish: {by_operation}"
    );
}
