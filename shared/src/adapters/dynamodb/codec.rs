//! Reading and writing attribute values, and an entity's attributes named once
//! (`stored!`).
use crate::domain::enums::WireName;
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

/// An item's key: its `pk` and `sk`.
pub(crate) fn key(pk: impl Into<String>, sk: impl Into<String>) -> Item {
    Item::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
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

/// A value an item attribute holds, written and read back the same way for every
/// entity: text, a flag, a count, an RFC 3339 time, a phone number, a wire-named enum,
/// or any of them optional (left out when `None`).
pub(crate) trait Attr: Sized {
    /// What the item holds; `None` leaves the attribute out.
    fn to_attr(&self) -> Option<AttributeValue>;
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError>;
}

impl Attr for String {
    fn to_attr(&self) -> Option<AttributeValue> {
        Some(s(self))
    }
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError> {
        get_s(item, key)
    }
}

impl Attr for bool {
    fn to_attr(&self) -> Option<AttributeValue> {
        Some(b(*self))
    }
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError> {
        get_bool(item, key)
    }
}

impl Attr for i64 {
    fn to_attr(&self) -> Option<AttributeValue> {
        Some(n(*self))
    }
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError> {
        get_i64(item, key)
    }
}

impl Attr for DateTime<Utc> {
    fn to_attr(&self) -> Option<AttributeValue> {
        Some(s(self.to_rfc3339()))
    }
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError> {
        get_time(item, key)
    }
}

impl Attr for Phone {
    fn to_attr(&self) -> Option<AttributeValue> {
        Some(s(self.as_str()))
    }
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError> {
        get_phone(item, key)
    }
}

impl<T: WireName> Attr for T {
    fn to_attr(&self) -> Option<AttributeValue> {
        Some(s(self.as_str()))
    }
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError> {
        get_enum(item, key, T::parse)
    }
}

/// Missing, or not readable as a `T`: `None`, as `get_opt_s` reads.
impl<T: Attr> Attr for Option<T> {
    fn to_attr(&self) -> Option<AttributeValue> {
        self.as_ref().and_then(Attr::to_attr)
    }
    fn from_attr(item: &Item, key: &str) -> Result<Self, StoreError> {
        Ok(T::from_attr(item, key).ok())
    }
}

/// An entity whose attributes `stored!` names.
pub(crate) trait Stored: Sized {
    /// Adds the entity's attributes to `item`.
    fn write_into(&self, item: &mut Item);
    fn read_from(item: &Item) -> Result<Self, StoreError>;
}

/// The item that stores `value` under `key`, with `more` (its kind, its index keys,
/// counters, and what `stored!` leaves to its adapter).
pub(crate) fn stored_item<T: Stored, const N: usize>(
    (pk, sk): (String, String),
    value: &T,
    more: [(&str, AttributeValue); N],
) -> Item {
    let mut item = key(pk, sk);
    value.write_into(&mut item);
    item.extend(more.map(|(key, value)| (key.to_owned(), value)));
    item
}

/// Names an entity's attributes once, for both the write and the read: `field` is
/// stored under its own name, `field: "key"` under `key`, each as its type's `Attr`
/// says. After a `;`, `field = read` is read by `read(item)` and written by the adapter
/// itself (a nested value, a time in a sort-key format, a default for old items).
macro_rules! stored {
    ($entity:ty { $($field:ident $(: $key:literal)?),+ $(; $($extra:ident = $read:expr),+)? $(,)? }) => {
        impl $crate::adapters::dynamodb::codec::Stored for $entity {
            fn write_into(&self, item: &mut $crate::adapters::dynamodb::Item) {
                $(
                    if let Some(value) = $crate::adapters::dynamodb::codec::Attr::to_attr(&self.$field) {
                        item.insert(stored!(@key $field $($key)?).to_owned(), value);
                    }
                )+
            }
            fn read_from(
                item: &$crate::adapters::dynamodb::Item,
            ) -> Result<Self, $crate::ports::StoreError> {
                Ok(Self {
                    $($field: $crate::adapters::dynamodb::codec::Attr::from_attr(
                        item,
                        stored!(@key $field $($key)?),
                    )?,)+
                    $($($extra: ($read)(item)?,)+)?
                })
            }
        }
    };
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
}

pub(crate) use stored;
