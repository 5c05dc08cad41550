//! The consent evidence of one number, 20,000 records, exported completely as CSV (pages
//! linked by `Link: <…>; rel="next"`) and as JSON (`next`): every record once, oldest
//! first, every page well under the 6 MB a function may return.
//!
//! Booking or texting 20,000 times through the API would take a test far too long, so
//! the records are written straight into the emulator's consent table through the SDK,
//! in the shape `shared/src/adapters/dynamodb/consent.rs` writes them.
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use system_tests::tables::put_items;
use system_tests::{unique_phone, Api, User};

const RECORDS: usize = 20_000;
/// Far below the 6 MB limit, with room for the answer's envelope and escaping.
const PAGE_CEILING: usize = 2 * 1024 * 1024;

fn record(
    ws: &str,
    phone: &str,
    i: usize,
    start: chrono::DateTime<chrono::Utc>,
) -> HashMap<String, AttributeValue> {
    let at = (start + chrono::Duration::microseconds(i as i64))
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let id = format!("cr_export{i:05}");
    let sort = format!("{at}#{id}");
    let s = |v: &str| AttributeValue::S(v.to_owned());
    HashMap::from([
        ("pk".to_owned(), s(&format!("WS#{ws}#PHONE#{phone}"))),
        ("sk".to_owned(), s(&sort)),
        ("gsi1pk".to_owned(), s(&format!("WS#{ws}"))),
        ("gsi1sk".to_owned(), s(&sort)),
        ("record_id".to_owned(), s(&id)),
        ("at".to_owned(), s(&at)),
        (
            "action".to_owned(),
            s(if i.is_multiple_of(2) {
                "granted"
            } else {
                "revoked"
            }),
        ),
        ("phone".to_owned(), s(phone)),
        ("workspace_id".to_owned(), s(ws)),
        ("source".to_owned(), s("staff")),
        ("actor".to_owned(), s("export-test")),
        // A note of some length, as staff write them, numbered to check order.
        (
            "note".to_owned(),
            s(&format!(
                "n{i:05} called back; asked to {}",
                "keep it short ".repeat(10)
            )),
        ),
    ])
}

fn numbers(notes: impl Iterator<Item = String>) -> Vec<usize> {
    notes
        .map(|n| n[1..6].parse().expect("numbered note"))
        .collect()
}

/// Reads every CSV page, following `Link`, and returns the notes in order.
async fn export_csv(api: &Api, admin: &User, first: &str) -> (Vec<String>, usize) {
    let mut path = first.to_owned();
    let mut notes = Vec::new();
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages < 1_000, "no end to the CSV pages");
        let reply = api
            .send("GET", &path, Some(admin), None, &[("accept", "text/csv")])
            .await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert!(reply.content_type.starts_with("text/csv"), "{reply:?}");
        let text = reply.body.as_str().expect("CSV text").to_owned();
        assert!(
            text.len() < PAGE_CEILING,
            "a CSV page of {} bytes",
            text.len()
        );
        let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
        assert!(lines.next().unwrap().starts_with("at,action,phone,person"));
        for line in lines {
            // The note is the 12th column; these notes hold no comma or quote.
            notes.push(line.split(',').nth(11).expect("note column").to_owned());
        }
        let link = reply
            .headers
            .get("link")
            .map(|v| v.to_str().unwrap().to_owned());
        match link {
            Some(link) => {
                let target = link
                    .strip_prefix('<')
                    .and_then(|l| l.split_once(">; rel=\"next\""))
                    .map(|(target, _)| target.to_owned())
                    .unwrap_or_else(|| panic!("not a next link: {link}"));
                assert_eq!(
                    reply.headers["next-cursor"].to_str().unwrap(),
                    target.rsplit_once("next=").unwrap().1
                );
                path = target;
            }
            None => return (notes, pages),
        }
    }
}

async fn export_json(api: &Api, admin: &User, first: &str) -> Vec<String> {
    let mut next: Option<String> = None;
    let mut notes = Vec::new();
    loop {
        let path = match &next {
            None => first.to_owned(),
            Some(c) => format!("{first}&next={c}"),
        };
        let reply = api.get(&path, admin).await;
        let body = reply.ok(200);
        assert!(body.to_string().len() < PAGE_CEILING);
        let page = body["items"].as_array().unwrap();
        notes.extend(page.iter().map(|r| r["note"].as_str().unwrap().to_owned()));
        match body["next"].as_str() {
            Some(c) => next = Some(c.to_owned()),
            None => return notes,
        }
    }
}

/// One number's consent evidence in a new workspace: `count` records written straight
/// into the consent table, each as `record` makes it and then as `adjust` changes it.
/// Returns the workspace's admin, its id and the path of the number's records.
async fn records_of_one_number(
    api: &Api,
    count: usize,
    adjust: impl Fn(usize, &mut HashMap<String, AttributeValue>),
) -> (User, String, String) {
    let admin = api.user("admin").await;
    let ws = api.workspace(&admin).await;
    let phone = unique_phone();
    let start = chrono::Utc::now() - chrono::Duration::days(30);
    let items = (0..count)
        .map(|i| {
            let mut item = record(&ws, &phone, i, start);
            adjust(i, &mut item);
            item
        })
        .collect();
    put_items("ConsentTable", items).await;
    let by_phone = format!(
        "/workspaces/{ws}/sms-consent/records?phone={}",
        phone.replace('+', "%2B")
    );
    (admin, ws, by_phone)
}

#[tokio::test]
async fn twenty_thousand_records_of_one_number_export_completely() {
    let api = Api::new();
    let (admin, _, first) = records_of_one_number(&api, RECORDS, |_, _| {}).await;
    let (notes, pages) = export_csv(&api, &admin, &first).await;
    assert!(pages > 1, "one page of {} records", notes.len());
    assert_eq!(
        numbers(notes.into_iter()),
        (0..RECORDS).collect::<Vec<_>>(),
        "every record once, oldest first"
    );
}

/// A page stops at its byte budget, not at a count: records with notes of 1,000
/// four-byte characters (4 KB each) fill a CSV page sooner, and still every one comes
/// once, for the number and for the whole workspace, as CSV and as JSON; a CSV page's
/// cursor continues the JSON pages and the other way round.
#[tokio::test]
async fn large_records_make_smaller_pages_and_none_is_lost() {
    let api = Api::new();
    let count = 600;
    let (admin, ws, by_phone) = records_of_one_number(&api, count, |i, item| {
        item.insert(
            "note".to_owned(),
            AttributeValue::S(format!("n{i:05} {}", "𝔸".repeat(994))),
        );
    })
    .await;
    let want: Vec<usize> = (0..count).collect();
    for first in [
        by_phone.clone(),
        format!("/workspaces/{ws}/sms-consent/records"),
    ] {
        let (notes, pages) = export_csv(&api, &admin, &first).await;
        assert!(pages >= 3, "{first}: 600 records of 4 KB in {pages} pages");
        assert_eq!(numbers(notes.into_iter()), want, "{first} as CSV");
    }
    let json = format!("{by_phone}&limit=100");
    assert_eq!(
        numbers(export_json(&api, &admin, &json).await.into_iter()),
        want,
        "as JSON"
    );

    // One cursor for both: the JSON page after the first CSV page starts right after it.
    let csv = api
        .send(
            "GET",
            &by_phone,
            Some(&admin),
            None,
            &[("accept", "text/csv")],
        )
        .await;
    let shown = csv
        .body
        .as_str()
        .unwrap()
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .count()
        - 1;
    let cursor = csv.headers["next-cursor"].to_str().unwrap().to_owned();
    let after = api.get(&format!("{json}&next={cursor}"), &admin).await;
    let first_after = after.ok(200)["items"][0]["note"].as_str().unwrap();
    assert_eq!(numbers(std::iter::once(first_after.to_owned())), [shown]);
}
