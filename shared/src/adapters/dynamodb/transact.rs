//! The items of a `TransactWriteItems`, each kind built in one place: a put, a delete, a
//! condition check and an update of one item, with the condition that guards it. The
//! adapter files say which item and which condition; this file says how DynamoDB is
//! told.
use aws_sdk_dynamodb::types::{ConditionCheck, Delete, Put, TransactWriteItem, Update};

use super::codec::{key, s};
use super::condition::{guarded, Condition};
use super::update::ItemUpdate;
use super::{build_err, Item};
use crate::ports::StoreError;

/// The item's `role` is still the one read (`placeholder` names the value).
pub(super) fn role_is(placeholder: &str, role: &str) -> Condition {
    Condition::new(format!("#role = {placeholder}"))
        .name("#role", "role")
        .value(placeholder, s(role))
}

/// Puts `item` into `table`, while `condition` holds when there is one.
pub(super) fn put(
    table: &str,
    item: Item,
    condition: Option<Condition>,
) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder().table_name(table).set_item(Some(item));
    let put = guarded!(put, Condition::parts(condition));
    Ok(TransactWriteItem::builder()
        .put(put.build().map_err(build_err)?)
        .build())
}

/// Creates `item` in `table`: the transaction fails if it is already there.
pub(super) fn put_new(table: &str, item: Item) -> Result<TransactWriteItem, StoreError> {
    put(table, item, Some(Condition::absent()))
}

/// Deletes the item at (`pk`, `sk`), while `condition` holds when there is one.
pub(super) fn delete(
    table: &str,
    (pk, sk): (String, String),
    condition: Option<Condition>,
) -> Result<TransactWriteItem, StoreError> {
    let delete = Delete::builder()
        .table_name(table)
        .set_key(Some(key(pk, sk)));
    let delete = guarded!(delete, Condition::parts(condition));
    Ok(TransactWriteItem::builder()
        .delete(delete.build().map_err(build_err)?)
        .build())
}

/// Writes nothing: the transaction fails unless `condition` holds on (`pk`, `sk`).
pub(super) fn check(
    table: &str,
    (pk, sk): (String, String),
    condition: Condition,
) -> Result<TransactWriteItem, StoreError> {
    let check = ConditionCheck::builder()
        .table_name(table)
        .set_key(Some(key(pk, sk)));
    let check = guarded!(check, Condition::parts(Some(condition)));
    let check = check.build().map_err(build_err)?;
    Ok(TransactWriteItem::builder().condition_check(check).build())
}

/// `update` as one item of a transaction in `table`.
pub(super) fn update(table: &str, update: ItemUpdate) -> Result<TransactWriteItem, StoreError> {
    let (pk, sk, expression, c) = update.into_parts();
    let update = Update::builder()
        .table_name(table)
        .set_key(Some(key(pk, sk)))
        .update_expression(expression);
    let update = guarded!(update, c);
    Ok(TransactWriteItem::builder()
        .update(update.build().map_err(build_err)?)
        .build())
}
