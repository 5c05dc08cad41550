//! The one `Query` loop of the store, and the page cursor it issues.
//!
//! DynamoDB ends a `Query` page at `Limit` items *or* 1 MB of data, whichever comes first,
//! and says so with `LastEvaluatedKey`; a `FilterExpression` is applied after that, so a
//! page can even come back empty with more to read. `query_page` keeps reading until it
//! holds one item more than the page asks for, or the partition ends: a page is full
//! unless it is the last, and `next` is given exactly when another item exists.
//! `query_all` reads a partition to its end.
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::codec::{s, Stored};
use super::{unavailable, DynamoStore, Item};
use crate::domain::pagination::{Page, PageRequest};
use crate::ports::StoreError;

/// How many items a filtered query evaluates per request at least: most of them may be
/// filtered out, and one request per wanted item would be slow.
const FILTERED_BATCH: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Table {
    Main,
    Consent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Index {
    Gsi1,
    Gsi2,
}

impl Index {
    fn name(self) -> &'static str {
        match self {
            Self::Gsi1 => "gsi1",
            Self::Gsi2 => "gsi2",
        }
    }
}

/// Which items of the partition, by sort key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SortKey {
    Any,
    Prefix(String),
    Equals(String),
    /// Strictly before.
    Before(String),
    /// At or after.
    From(String),
    /// From the first to the second, both included.
    Between(String, String),
}

impl SortKey {
    /// Whether a sort key from a cursor lies inside this range: a cursor of another list
    /// (another prefix, another window) is refused.
    fn admits(&self, value: &str) -> bool {
        match self {
            Self::Any => !value.is_empty(),
            Self::Prefix(prefix) => {
                value.starts_with(prefix.as_str()) && value.len() > prefix.len()
            }
            Self::Equals(v) => value == v,
            Self::Before(end) => value < end.as_str(),
            Self::From(start) => value >= start.as_str(),
            Self::Between(start, end) => start.as_str() <= value && value <= end.as_str(),
        }
    }

    fn is_empty_range(&self) -> bool {
        matches!(self, Self::Between(start, end) if start > end)
    }
}

struct Filter {
    expression: String,
    names: Vec<(String, String)>,
    values: Vec<(String, AttributeValue)>,
}

/// One partition of a table or index, the sort-key range wanted, the direction and an
/// optional filter.
pub(super) struct KeyQuery {
    table: Table,
    index: Option<Index>,
    partition: String,
    sort: SortKey,
    descending: bool,
    consistent: bool,
    filter: Option<Filter>,
}

impl KeyQuery {
    pub(super) fn new(table: Table, partition: impl Into<String>) -> Self {
        Self {
            table,
            index: None,
            partition: partition.into(),
            sort: SortKey::Any,
            descending: false,
            consistent: false,
            filter: None,
        }
    }

    /// A partition of the main table.
    pub(super) fn main(partition: impl Into<String>) -> Self {
        Self::new(Table::Main, partition)
    }

    /// The partition is one of this index's.
    pub(super) fn on(mut self, index: Index) -> Self {
        self.index = Some(index);
        self
    }

    pub(super) fn sort(mut self, sort: SortKey) -> Self {
        self.sort = sort;
        self
    }

    pub(super) fn prefix(self, prefix: &str) -> Self {
        self.sort(SortKey::Prefix(prefix.to_owned()))
    }

    /// Highest sort key first.
    pub(super) fn descending(mut self) -> Self {
        self.descending = true;
        self
    }

    /// Strongly consistent (base table only).
    pub(super) fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Only items matching `expression` (a DynamoDB filter; its placeholders must not
    /// start with `:q` or `#q`, which the key condition uses).
    pub(super) fn filter(
        mut self,
        expression: impl Into<String>,
        names: &[(&str, &str)],
        values: Vec<(&str, AttributeValue)>,
    ) -> Self {
        self.filter = Some(Filter {
            expression: expression.into(),
            names: names
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            values: values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        });
        self
    }

    /// The key attributes: the partition's, the sort key's, and the base table's key
    /// (which an index's `ExclusiveStartKey` needs too).
    fn key_names(&self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self.index {
            None => ("pk", "sk", &[]),
            Some(Index::Gsi1) => ("gsi1pk", "gsi1sk", &["pk", "sk"]),
            Some(Index::Gsi2) => ("gsi2pk", "gsi2sk", &["pk", "sk"]),
        }
    }

    fn request(
        &self,
        store: &DynamoStore,
        start: Option<Item>,
        limit: Option<usize>,
    ) -> QueryFluentBuilder {
        let (hash, range, _) = self.key_names();
        let table = match self.table {
            Table::Main => &store.table,
            Table::Consent => &store.consent_table,
        };
        let mut query = store
            .client
            .query()
            .table_name(table)
            .set_index_name(self.index.map(|i| i.name().to_owned()))
            .scan_index_forward(!self.descending)
            .expression_attribute_values(":qpk", s(&self.partition))
            .set_exclusive_start_key(start)
            .set_limit(limit.map(|l| i32::try_from(l).unwrap_or(i32::MAX)));
        if self.consistent && self.index.is_none() {
            query = query.consistent_read(true);
        }
        let condition = match &self.sort {
            SortKey::Any => format!("{hash} = :qpk"),
            SortKey::Prefix(p) => {
                query = query.expression_attribute_values(":qsk", s(p));
                format!("{hash} = :qpk AND begins_with({range}, :qsk)")
            }
            SortKey::Equals(v) => {
                query = query.expression_attribute_values(":qsk", s(v));
                format!("{hash} = :qpk AND {range} = :qsk")
            }
            SortKey::Before(v) => {
                query = query.expression_attribute_values(":qsk", s(v));
                format!("{hash} = :qpk AND {range} < :qsk")
            }
            SortKey::From(v) => {
                query = query.expression_attribute_values(":qsk", s(v));
                format!("{hash} = :qpk AND {range} >= :qsk")
            }
            SortKey::Between(a, b) => {
                query = query
                    .expression_attribute_values(":qsk", s(a))
                    .expression_attribute_values(":qsk2", s(b));
                format!("{hash} = :qpk AND {range} BETWEEN :qsk AND :qsk2")
            }
        };
        query = query.key_condition_expression(condition);
        if let Some(filter) = &self.filter {
            query = query.filter_expression(&filter.expression);
            for (name, attribute) in &filter.names {
                query = query.expression_attribute_names(name, attribute);
            }
            for (name, value) in &filter.values {
                query = query.expression_attribute_values(name, value.clone());
            }
        }
        query
    }

    /// The cursor after `item`: its sort key (and, on an index, its table key), with
    /// nothing of the partition, which the list supplies; so a cursor can never open
    /// another workspace's or study's list.
    fn cursor_after(&self, item: &Item) -> Result<String, StoreError> {
        let (_, range, table_key) = self.key_names();
        let mut parts = Vec::with_capacity(1 + table_key.len());
        for name in std::iter::once(&range).chain(table_key) {
            let value = item
                .get(*name)
                .and_then(|v| v.as_s().ok())
                .ok_or_else(|| StoreError::Corrupt(format!("listed item without {name}")))?;
            parts.push(value.as_str());
        }
        Ok(encode_cursor(&parts.join("\n")))
    }

    /// The `ExclusiveStartKey` a cursor stands for, if it is one of this list's.
    fn start_after(&self, cursor: &str) -> Result<Item, StoreError> {
        let (hash, range, table_key) = self.key_names();
        let text = decode_cursor(cursor)?;
        let parts: Vec<&str> = text.split('\n').collect();
        if parts.len() != 1 + table_key.len()
            || !self.sort.admits(parts[0])
            || parts[1..].iter().any(|p| p.is_empty())
        {
            return Err(StoreError::InvalidCursor);
        }
        let mut key = Item::from([
            (hash.to_owned(), s(&self.partition)),
            (range.to_owned(), s(parts[0])),
        ]);
        for (name, value) in table_key.iter().zip(&parts[1..]) {
            key.insert((*name).to_owned(), s(*value));
        }
        Ok(key)
    }
}

fn encode_cursor(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

fn decode_cursor(cursor: &str) -> Result<String, StoreError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| StoreError::InvalidCursor)?;
    String::from_utf8(bytes).map_err(|_| StoreError::InvalidCursor)
}

/// A query DynamoDB refused because of the start key we gave it from a cursor is the
/// cursor's fault (422), not an outage.
fn query_error<E: ProvideErrorMetadata, R>(err: SdkError<E, R>, from_cursor: bool) -> StoreError {
    let refused_input = err
        .as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "ValidationException");
    if from_cursor && refused_input {
        return StoreError::InvalidCursor;
    }
    unavailable("Query", err)
}

impl DynamoStore {
    /// One page of the query: `page.limit` items (fewer only on the last page) after
    /// the page's cursor, and `next` exactly when another item exists.
    pub(super) async fn query_page(
        &self,
        query: &KeyQuery,
        page: &PageRequest,
    ) -> Result<Page<Item>, StoreError> {
        let wanted = page.limit as usize;
        let mut start = match &page.cursor {
            Some(cursor) => Some(query.start_after(cursor)?),
            None => None,
        };
        if query.sort.is_empty_range() {
            return Ok(Page::empty());
        }
        let mut from_cursor = start.is_some();
        let mut items: Vec<Item> = Vec::new();
        loop {
            // One more than the page holds, to know whether another item exists.
            let room = wanted + 1 - items.len();
            let limit = match query.filter {
                Some(_) => room.max(FILTERED_BATCH),
                None => room,
            };
            let out = query
                .request(self, start.take(), Some(limit))
                .send()
                .await
                .map_err(|e| query_error(e, from_cursor))?;
            from_cursor = false;
            items.extend(out.items.unwrap_or_default());
            if items.len() > wanted {
                items.truncate(wanted);
                let next = match items.last() {
                    Some(last) => Some(query.cursor_after(last)?),
                    None => None,
                };
                return Ok(Page { items, next });
            }
            match out.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(Page { items, next: None }),
            }
        }
    }

    /// One page of the query, each item decoded with `from`.
    pub(super) async fn query_page_as<T: Stored>(
        &self,
        query: &KeyQuery,
        page: &PageRequest,
    ) -> Result<Page<T>, StoreError> {
        let found = self.query_page(query, page).await?;
        Ok(Page {
            items: found
                .items
                .iter()
                .map(T::read_from)
                .collect::<Result<_, _>>()?,
            next: found.next,
        })
    }

    /// Every item of the query, page after page to the end.
    pub(super) async fn query_all(&self, query: &KeyQuery) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        if query.sort.is_empty_range() {
            return Ok(items);
        }
        let mut start = None;
        loop {
            let out = query
                .request(self, start.take(), None)
                .send()
                .await
                .map_err(|e| query_error(e, false))?;
            items.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(items),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, &str)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), s(*v)))
            .collect()
    }

    #[test]
    fn cursors_round_trip_and_refuse_other_lists() {
        let members = KeyQuery::main("WS#a").prefix("MEMBER#");
        let cursor = members
            .cursor_after(&item(&[("pk", "WS#a"), ("sk", "MEMBER#u1")]))
            .unwrap();
        let start = members.start_after(&cursor).unwrap();
        assert_eq!(start["pk"], s("WS#a"));
        assert_eq!(start["sk"], s("MEMBER#u1"));
        // Another list's cursor, or garbage, is refused.
        assert!(KeyQuery::main("STUDY#s")
            .prefix("TEAM#")
            .start_after(&cursor)
            .is_err());
        assert!(members.start_after("%%%").is_err());
        assert!(members.start_after(&encode_cursor("MEMBER#")).is_err());
        // The partition always comes from the list, never from the cursor.
        let other = KeyQuery::main("WS#b").prefix("MEMBER#");
        assert_eq!(other.start_after(&cursor).unwrap()["pk"], s("WS#b"));
    }

    #[test]
    fn index_cursors_carry_the_table_key() {
        let inbox = KeyQuery::main("EMAIL#a@example.org")
            .on(Index::Gsi1)
            .prefix("CONVERSATION#");
        let cursor = inbox
            .cursor_after(&item(&[
                ("pk", "STUDY#s1"),
                ("sk", "CONVERSATION#c1"),
                ("gsi1pk", "EMAIL#a@example.org"),
                ("gsi1sk", "CONVERSATION#c1"),
            ]))
            .unwrap();
        let start = inbox.start_after(&cursor).unwrap();
        assert_eq!(start.len(), 4);
        assert_eq!(start["gsi1pk"], s("EMAIL#a@example.org"));
        assert_eq!(start["pk"], s("STUDY#s1"));
        // A base-table cursor has no table key: refused by an index list.
        assert!(inbox
            .start_after(&encode_cursor("CONVERSATION#c1"))
            .is_err());
    }

    #[test]
    fn a_cursor_must_lie_inside_the_range() {
        let before = KeyQuery::main("p").sort(SortKey::Before("b".into()));
        assert!(before.start_after(&encode_cursor("a")).is_ok());
        assert!(before.start_after(&encode_cursor("c")).is_err());
        let one = KeyQuery::main("p").sort(SortKey::Equals("x".into()));
        assert!(one.start_after(&encode_cursor("y")).is_err());
        let window = KeyQuery::main("p")
            .on(Index::Gsi2)
            .sort(SortKey::Between("2026-01".into(), "2026-02".into()));
        assert!(window
            .start_after(&encode_cursor("2026-01-15\nSTUDY#s\nPARTICIPANT#p"))
            .is_ok());
        assert!(window
            .start_after(&encode_cursor("2026-03-01\nSTUDY#s\nPARTICIPANT#p"))
            .is_err());
        assert!(SortKey::Between("b".into(), "a".into()).is_empty_range());
    }
}
