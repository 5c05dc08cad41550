//! `Idempotency-Key` on creating POSTs: the same key and body within 24 hours returns
//! the first response and creates nothing new. The record is written in the same
//! transaction as the object it created, so a retry can never create a second one.
use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sha2::{Digest, Sha256};

use super::{DomainError, FieldError};
use crate::ports::{IdempotencyRecord, IdempotencyStore, StoreError};

pub const RETENTION_SECONDS: i64 = 24 * 60 * 60;

/// A caller's key for one request, scoped to that caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey {
    /// Hash of the caller and their key: one caller's key never meets another's.
    pub scope_key: String,
    /// Hash of the method, path and canonical JSON body the key was first used with.
    pub fingerprint: String,
}

impl IdempotencyKey {
    pub fn new(
        user_id: &str,
        key: &str,
        method: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<Self, FieldError> {
        if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(FieldError::new(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            ));
        }
        let scope_key = hex::encode(Sha256::digest(format!("{user_id}\n{key}")));
        // serde_json's map is ordered, so this is a canonical form: the same body with
        // other white space or key order is the same request.
        let fingerprint = hex::encode(Sha256::digest(format!("{method} {path}\n{body}")));
        Ok(Self {
            scope_key,
            fingerprint,
        })
    }

    pub fn record<T: Serialize>(&self, result: &T, now_epoch: i64) -> IdempotencyRecord {
        IdempotencyRecord {
            scope_key: self.scope_key.clone(),
            fingerprint: self.fingerprint.clone(),
            result: serde_json::to_value(result).unwrap_or(serde_json::Value::Null),
            expires_at: now_epoch + RETENTION_SECONDS,
        }
    }
}

/// The first response for this key, if the key was used before (and is still within
/// its 24 hours); an error if it was used with another request.
async fn replay<T, S>(
    store: &S,
    key: Option<&IdempotencyKey>,
    now_epoch: i64,
) -> Result<Option<T>, DomainError>
where
    T: DeserializeOwned,
    S: IdempotencyStore,
{
    let Some(key) = key else { return Ok(None) };
    let Some(found) = store.find_idempotency_record(&key.scope_key).await? else {
        return Ok(None);
    };
    if found.expires_at <= now_epoch {
        return Ok(None);
    }
    if found.fingerprint != key.fingerprint {
        return Err(DomainError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            "was already used with a different request",
        )]));
    }
    serde_json::from_value(found.result)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(format!("idempotency record: {e}")).into())
}

/// One create under an optional key, from the first look to its write: what a create
/// does about its key is these three steps, in this order.
#[derive(Clone, Copy)]
pub struct Once<'k> {
    key: Option<&'k IdempotencyKey>,
    now_epoch: i64,
}

impl<'k> Once<'k> {
    pub fn new(key: Option<&'k IdempotencyKey>, now: DateTime<Utc>) -> Self {
        Self {
            key,
            now_epoch: now.timestamp(),
        }
    }

    /// 1. The first response, when the key was used before (within its 24 hours).
    pub async fn replay<T, S>(self, store: &S) -> Result<Option<T>, DomainError>
    where
        T: DeserializeOwned,
        S: IdempotencyStore,
    {
        replay(store, self.key, self.now_epoch).await
    }

    /// 2. The record the create's write carries, so the key is claimed in the same
    ///    transaction as what it creates.
    pub fn record<T: Serialize>(self, result: &T) -> Option<IdempotencyRecord> {
        self.key.map(|k| k.record(result, self.now_epoch))
    }

    /// 3. What the write came to: `None` when it committed; the twin's first response
    ///    when a concurrent request with the key committed first; any other refusal as
    ///    `refused` names it.
    pub async fn settle<T, S>(
        self,
        store: &S,
        written: Result<(), StoreError>,
        refused: impl FnOnce(StoreError) -> DomainError,
    ) -> Result<Option<T>, DomainError>
    where
        T: DeserializeOwned,
        S: IdempotencyStore,
    {
        match written {
            Ok(()) => Ok(None),
            Err(StoreError::IdempotencyKeyTaken) => {
                replay_after_race(store, self.key, self.now_epoch)
                    .await
                    .map(Some)
            }
            Err(e) => Err(refused(e)),
        }
    }
}

/// Settles a create whose write reported that the key was claimed meanwhile: the
/// concurrent twin has committed, so answer with its result.
async fn replay_after_race<T, S>(
    store: &S,
    key: Option<&IdempotencyKey>,
    now_epoch: i64,
) -> Result<T, DomainError>
where
    T: DeserializeOwned,
    S: IdempotencyStore,
{
    replay(store, key, now_epoch).await?.ok_or_else(|| {
        DomainError::conflict(
            "request_in_progress",
            "a request with this Idempotency-Key is still being processed",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_body_in_any_key_order_has_the_same_fingerprint() {
        let a: serde_json::Value = serde_json::from_str(r#"{"a":1,"b":2}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{ "b": 2, "a": 1 }"#).unwrap();
        let ka = IdempotencyKey::new("u1", "k", "POST", "/workspaces", &a).unwrap();
        let kb = IdempotencyKey::new("u1", "k", "POST", "/workspaces", &b).unwrap();
        assert_eq!(ka, kb);
    }

    #[test]
    fn keys_are_scoped_per_user_and_request() {
        let body = json!({"name": "x"});
        let base = IdempotencyKey::new("u1", "k", "POST", "/workspaces", &body).unwrap();
        let other_user = IdempotencyKey::new("u2", "k", "POST", "/workspaces", &body).unwrap();
        let other_body =
            IdempotencyKey::new("u1", "k", "POST", "/workspaces", &json!({"name": "y"})).unwrap();
        assert_ne!(base.scope_key, other_user.scope_key);
        assert_eq!(base.scope_key, other_body.scope_key);
        assert_ne!(base.fingerprint, other_body.fingerprint);
    }

    #[test]
    fn unusable_keys_are_refused() {
        let body = json!({});
        assert!(IdempotencyKey::new("u", "", "POST", "/", &body).is_err());
        assert!(IdempotencyKey::new("u", "has space", "POST", "/", &body).is_err());
        assert!(IdempotencyKey::new("u", &"k".repeat(256), "POST", "/", &body).is_err());
    }
}
