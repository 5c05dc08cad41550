//! Reading and writing attribute values, and the opaque page cursor.
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};

use super::Item;
use crate::ports::StoreError;

pub(crate) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(crate) fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

pub(crate) fn b(value: bool) -> AttributeValue {
    AttributeValue::Bool(value)
}

pub(crate) fn opt_s(item: &mut Item, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        item.insert(key.to_owned(), s(value));
    }
}

fn corrupt(key: &str) -> StoreError {
    StoreError::Corrupt(format!("attribute {key} missing or of the wrong type"))
}

pub(crate) fn get_s(item: &Item, key: &str) -> Result<String, StoreError> {
    item.get(key)
        .and_then(|v| v.as_s().ok())
        .cloned()
        .ok_or_else(|| corrupt(key))
}

pub(crate) fn get_opt_s(item: &Item, key: &str) -> Option<String> {
    item.get(key).and_then(|v| v.as_s().ok()).cloned()
}

pub(crate) fn get_bool(item: &Item, key: &str) -> Result<bool, StoreError> {
    item.get(key)
        .and_then(|v| v.as_bool().ok())
        .copied()
        .ok_or_else(|| corrupt(key))
}

pub(crate) fn get_i64(item: &Item, key: &str) -> Result<i64, StoreError> {
    item.get(key)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| corrupt(key))
}

pub(crate) fn get_time(item: &Item, key: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(&get_s(item, key)?)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| corrupt(key))
}

pub(crate) fn get_enum<T>(
    item: &Item,
    key: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    parse(&get_s(item, key)?).ok_or_else(|| corrupt(key))
}

/// The cursor is the sort key of the last item served, base64url-encoded. It names no
/// partition: the list it is used with supplies that, so a cursor can never open
/// another workspace's or study's list.
pub(crate) fn encode_cursor(sort_key: &str) -> String {
    URL_SAFE_NO_PAD.encode(sort_key.as_bytes())
}

pub(crate) fn decode_cursor(cursor: &str, expected_prefix: &str) -> Result<String, StoreError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| StoreError::InvalidCursor)?;
    let sort_key = String::from_utf8(bytes).map_err(|_| StoreError::InvalidCursor)?;
    if sort_key.starts_with(expected_prefix) && sort_key.len() > expected_prefix.len() {
        Ok(sort_key)
    } else {
        Err(StoreError::InvalidCursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_other_lists() {
        let cursor = encode_cursor("MEMBER#u1");
        assert_eq!(decode_cursor(&cursor, "MEMBER#").unwrap(), "MEMBER#u1");
        assert!(decode_cursor(&cursor, "TEAM#").is_err());
        assert!(decode_cursor("%%%", "MEMBER#").is_err());
        assert!(decode_cursor(&encode_cursor("MEMBER#"), "MEMBER#").is_err());
    }
}
