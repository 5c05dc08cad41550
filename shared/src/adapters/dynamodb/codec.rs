//! Reading and writing attribute values.
use crate::domain::phone::Phone;
use aws_sdk_dynamodb::types::AttributeValue;
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

/// A phone number from our records, which hold only parsed (E.164) numbers.
pub(crate) fn get_phone(item: &Item, key: &str) -> Result<Phone, StoreError> {
    get_s(item, key).map(Phone::stored)
}

pub(crate) fn get_opt_phone(item: &Item, key: &str) -> Option<Phone> {
    get_opt_s(item, key).map(Phone::stored)
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
