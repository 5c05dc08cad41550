//! Reading a list route to its end, as a client does.
use serde_json::Value;

use crate::{Api, User};

/// Follows `next` from the first page to the last, `limit` at a time; asserts that
/// every page that gives `next` is full and that `next` never leads to an empty page.
pub async fn read_all(api: &Api, user: &User, path: &str, limit: usize) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut next: Option<String> = None;
    for page_number in 0.. {
        assert!(page_number < 500, "{path}: no end after 500 pages");
        let url = match &next {
            None => format!("{path}{sep}limit={limit}"),
            Some(cursor) => format!("{path}{sep}limit={limit}&next={cursor}"),
        };
        let reply = api.get(&url, user).await;
        let body = reply.ok(200);
        let page = body["items"].as_array().expect("items").clone();
        if page_number > 0 {
            assert!(!page.is_empty(), "{path}: `next` led to an empty page");
        }
        match body["next"].as_str() {
            Some(cursor) => {
                assert_eq!(page.len(), limit, "{path}: a page with `next` is not full");
                next = Some(cursor.to_owned());
                items.extend(page);
            }
            None => {
                assert!(body["next"].is_null(), "{path}: next is {}", body["next"]);
                items.extend(page);
                return items;
            }
        }
    }
    unreachable!()
}
