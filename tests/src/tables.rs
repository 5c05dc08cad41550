//! Direct access to this stack's tables in the emulator through the real SDK, for lists
//! whose items must be large (a DynamoDB `Query` page ends at 1 MB) and for evidence too
//! plentiful to create through the API in a test's time.
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;

use crate::stack;

type Item = HashMap<String, AttributeValue>;

async fn client() -> Client {
    let sdk = shared::aws::emulator_sdk_config(&stack().emulator_url).await;
    Client::new(&sdk)
}

/// The full name of one of this stack's tables (`MainTable`, `ConsentTable`).
pub fn table(logical_name: &str) -> String {
    format!("{}{logical_name}", stack().prefix)
}

/// Where a list's items live: a partition of a table or of one of its indexes.
#[derive(Clone, Debug)]
pub struct Partition {
    pub table: &'static str,
    pub index: Option<&'static str>,
    pub key: String,
    /// Only the items whose sort key starts with this.
    pub sort_prefix: String,
}

impl Partition {
    pub fn main(pk: impl Into<String>, sort_prefix: &str) -> Self {
        Self {
            table: "MainTable",
            index: None,
            key: pk.into(),
            sort_prefix: sort_prefix.to_owned(),
        }
    }

    pub fn main_gsi1(gsi1pk: impl Into<String>, sort_prefix: &str) -> Self {
        Self {
            table: "MainTable",
            index: Some("gsi1"),
            key: gsi1pk.into(),
            sort_prefix: sort_prefix.to_owned(),
        }
    }

    pub fn consent(pk: impl Into<String>) -> Self {
        Self {
            table: "ConsentTable",
            index: None,
            key: pk.into(),
            sort_prefix: String::new(),
        }
    }

    pub fn consent_gsi1(gsi1pk: impl Into<String>) -> Self {
        Self {
            table: "ConsentTable",
            index: Some("gsi1"),
            key: gsi1pk.into(),
            sort_prefix: String::new(),
        }
    }

    pub fn main_gsi2(gsi2pk: impl Into<String>, sort_prefix: &str) -> Self {
        Self {
            table: "MainTable",
            index: Some("gsi2"),
            key: gsi2pk.into(),
            sort_prefix: sort_prefix.to_owned(),
        }
    }

    fn names(&self) -> (String, String) {
        match self.index {
            None => ("pk".to_owned(), "sk".to_owned()),
            Some(index) => (format!("{index}pk"), format!("{index}sk")),
        }
    }

    /// One `Query` page of the partition, as the SDK gets it (no `Limit`), from where
    /// `start` says.
    async fn page(&self, client: &Client, start: Option<Item>) -> (Vec<Item>, Option<Item>) {
        let (pk, sk) = self.names();
        let mut query = client
            .query()
            .table_name(table(self.table))
            .set_index_name(self.index.map(str::to_owned))
            .expression_attribute_values(":pk", AttributeValue::S(self.key.clone()))
            .set_exclusive_start_key(start);
        query = if self.sort_prefix.is_empty() {
            query.key_condition_expression(format!("{pk} = :pk"))
        } else {
            query
                .key_condition_expression(format!("{pk} = :pk AND begins_with({sk}, :prefix)"))
                .expression_attribute_values(":prefix", AttributeValue::S(self.sort_prefix.clone()))
        };
        let out = query.send().await.expect("query the emulator");
        (out.items.unwrap_or_default(), out.last_evaluated_key)
    }

    /// Every item of the partition, page by page.
    pub async fn all(&self) -> Vec<Item> {
        let client = client().await;
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let (page, next) = self.page(&client, start).await;
            items.extend(page);
            match next {
                Some(key) => start = Some(key),
                None => return items,
            }
        }
    }

    /// How many items the emulator's first `Query` page of the partition holds, and
    /// whether it said more follow (`LastEvaluatedKey`). A list test asserts this page
    /// is cut short, so it is known to exercise DynamoDB's 1 MB page end.
    pub async fn first_page(&self) -> (usize, bool) {
        let (items, next) = self.page(&client().await, None).await;
        (items.len(), next.is_some())
    }

    /// Asserts that the emulator ends the partition's first `Query` page at its 1 MB
    /// limit before the partition's `total` items, as DynamoDB does.
    pub async fn assert_first_page_cut(&self, total: usize) {
        let (first, more) = self.first_page().await;
        assert!(
            more && first < total,
            "the emulator returned {first} of {total} items in its first page (more: {more}): \
             the items are too small to test DynamoDB's 1 MB page end"
        );
    }
}

/// Makes every base-table item of the partition `bytes` larger, with an attribute no code
/// reads (`padding`), so that a few of them fill DynamoDB's 1 MB `Query` page the way
/// thousands of ordinary ones would. Returns how many items it padded.
pub async fn pad(partition: &Partition, bytes: usize) -> usize {
    let client = client().await;
    let items = partition.all().await;
    let padding = "p".repeat(bytes);
    for item in &items {
        client
            .update_item()
            .table_name(table(partition.table))
            .key("pk", item["pk"].clone())
            .key("sk", item["sk"].clone())
            .update_expression("SET padding = :padding")
            .expression_attribute_values(":padding", AttributeValue::S(padding.clone()))
            .send()
            .await
            .expect("pad an item");
    }
    items.len()
}

/// Writes items straight into a table, 25 to a `BatchWriteItem`, retrying what the
/// emulator leaves unprocessed.
pub async fn put_items(logical_table: &str, items: Vec<Item>) {
    let client = client().await;
    let name = table(logical_table);
    for chunk in items.chunks(25) {
        let mut requests: Vec<WriteRequest> = chunk
            .iter()
            .map(|item| {
                WriteRequest::builder()
                    .put_request(
                        PutRequest::builder()
                            .set_item(Some(item.clone()))
                            .build()
                            .expect("put request"),
                    )
                    .build()
            })
            .collect();
        while !requests.is_empty() {
            let out = client
                .batch_write_item()
                .request_items(&name, requests)
                .send()
                .await
                .expect("batch write to the emulator");
            requests = out
                .unprocessed_items
                .and_then(|mut u| u.remove(&name))
                .unwrap_or_default();
        }
    }
}
