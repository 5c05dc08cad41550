//! Consent evidence in its own append-only table (`ConsentTable`): pk
//! `WS#<ws>#PHONE#<e164>`, sk `<at>#<record id>`; GSI `gsi1` by workspace. The current
//! state lives in the phone partition of the main table (`phone.rs`).
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::SecondsFormat;

use super::codec::{get_enum, get_opt_s, get_s, get_time, opt_s, s};
use super::{build_err, unavailable, DynamoStore, Item};
use crate::domain::consent::{ConsentAction, ConsentRecord, ConsentSource, ConsentState};
use crate::domain::pagination::{Page, PageRequest};
use crate::ports::{ConsentStore, StoreError};

fn ledger_pk(workspace_id: &str, phone: &str) -> String {
    format!("WS#{workspace_id}#PHONE#{phone}")
}

fn record_item(r: &ConsentRecord) -> Item {
    // Fixed-width times keep the sort key in time order.
    let at = r.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let sort = format!("{at}#{}", r.id);
    let mut item = Item::from([
        ("pk".to_owned(), s(ledger_pk(&r.workspace_id, &r.phone))),
        ("sk".to_owned(), s(&sort)),
        ("gsi1pk".to_owned(), s(format!("WS#{}", r.workspace_id))),
        ("gsi1sk".to_owned(), s(&sort)),
        ("record_id".to_owned(), s(&r.id)),
        ("at".to_owned(), s(at)),
        ("action".to_owned(), s(r.action.as_str())),
        ("phone".to_owned(), s(&r.phone)),
        ("workspace_id".to_owned(), s(&r.workspace_id)),
        ("source".to_owned(), s(r.source.as_str())),
    ]);
    opt_s(&mut item, "person", r.person.as_deref());
    opt_s(&mut item, "study_id", r.study_id.as_deref());
    opt_s(&mut item, "booking_id", r.booking_id.as_deref());
    opt_s(&mut item, "actor", r.actor.as_deref());
    opt_s(
        &mut item,
        "disclosure_version",
        r.disclosure_version.as_deref(),
    );
    opt_s(&mut item, "keyword", r.keyword.as_deref());
    opt_s(&mut item, "note", r.note.as_deref());
    opt_s(&mut item, "ip", r.ip.as_deref());
    opt_s(&mut item, "user_agent", r.user_agent.as_deref());
    item
}

fn record_from(item: &Item) -> Result<ConsentRecord, StoreError> {
    Ok(ConsentRecord {
        id: get_s(item, "record_id")?,
        at: get_time(item, "at")?,
        action: get_enum(item, "action", ConsentAction::parse)?,
        phone: get_s(item, "phone")?,
        person: get_opt_s(item, "person"),
        workspace_id: get_s(item, "workspace_id")?,
        study_id: get_opt_s(item, "study_id"),
        booking_id: get_opt_s(item, "booking_id"),
        source: get_enum(item, "source", ConsentSource::parse)?,
        actor: get_opt_s(item, "actor"),
        disclosure_version: get_opt_s(item, "disclosure_version"),
        keyword: get_opt_s(item, "keyword"),
        note: get_opt_s(item, "note"),
        ip: get_opt_s(item, "ip"),
        user_agent: get_opt_s(item, "user_agent"),
    })
}

impl DynamoStore {
    /// The writes one consent record makes: the record itself (never overwritten) and,
    /// for grants and revocations, the workspace's consent state for the number.
    pub(super) fn consent_record_writes(
        &self,
        r: &ConsentRecord,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        let ledger = Put::builder()
            .table_name(&self.consent_table)
            .set_item(Some(record_item(r)))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(build_err)?;
        let mut writes = vec![TransactWriteItem::builder().put(ledger).build()];
        let state = match r.action {
            ConsentAction::Granted => Some(ConsentState::Granted),
            ConsentAction::Revoked => Some(ConsentState::Revoked),
            ConsentAction::OptedOut | ConsentAction::OptedIn => None,
        };
        if let Some(state) = state {
            writes.push(self.consent_state_put(
                &r.phone,
                &r.workspace_id,
                state,
                &r.at.to_rfc3339(),
            )?);
        }
        Ok(writes)
    }
}

/// Cursor for a workspace-wide page: the record's sort key and its partition, which
/// must belong to the same workspace.
fn encode_ledger_cursor(item: &Item) -> Option<String> {
    let pk = item.get("pk")?.as_s().ok()?;
    let sk = item.get("sk")?.as_s().ok()?;
    Some(URL_SAFE_NO_PAD.encode(format!("{sk}\n{pk}")))
}

fn decode_ledger_cursor(cursor: &str, pk_prefix: &str) -> Result<(String, String), StoreError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| StoreError::InvalidCursor)?;
    let text = String::from_utf8(bytes).map_err(|_| StoreError::InvalidCursor)?;
    let (sk, pk) = text.split_once('\n').ok_or(StoreError::InvalidCursor)?;
    if !pk.starts_with(pk_prefix) || sk.is_empty() {
        return Err(StoreError::InvalidCursor);
    }
    Ok((sk.to_owned(), pk.to_owned()))
}

impl ConsentStore for DynamoStore {
    async fn list_consent_records(
        &self,
        workspace_id: &str,
        phone: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<ConsentRecord>, StoreError> {
        let mut query = self
            .client
            .query()
            .table_name(&self.consent_table)
            .scan_index_forward(true)
            .limit(page.limit as i32 + 1);
        let pk_prefix = match phone {
            Some(phone) => ledger_pk(workspace_id, phone),
            None => format!("WS#{workspace_id}#PHONE#"),
        };
        query = match phone {
            Some(_) => query
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s(&pk_prefix)),
            None => query
                .index_name("gsi1")
                .key_condition_expression("gsi1pk = :ws")
                .expression_attribute_values(":ws", s(format!("WS#{workspace_id}"))),
        };
        if let Some(cursor) = &page.cursor {
            let (sk, pk) = decode_ledger_cursor(cursor, &pk_prefix)?;
            if phone.is_some() && pk != pk_prefix {
                return Err(StoreError::InvalidCursor);
            }
            query = query
                .exclusive_start_key("pk", s(&pk))
                .exclusive_start_key("sk", s(&sk));
            if phone.is_none() {
                query = query
                    .exclusive_start_key("gsi1pk", s(format!("WS#{workspace_id}")))
                    .exclusive_start_key("gsi1sk", s(&sk));
            }
        }
        let out = query.send().await.map_err(|e| unavailable("Query", e))?;
        let mut items = out.items.unwrap_or_default();
        let next = if items.len() > page.limit as usize {
            items.truncate(page.limit as usize);
            items.last().and_then(encode_ledger_cursor)
        } else {
            None
        };
        let items = items.iter().map(record_from).collect::<Result<_, _>>()?;
        Ok(Page { items, next })
    }

    async fn consent_state(
        &self,
        workspace_id: &str,
        phone: &str,
    ) -> Result<ConsentState, StoreError> {
        self.consent_state_of(phone, workspace_id).await
    }

    async fn is_opted_out(&self, phone: &str) -> Result<bool, StoreError> {
        self.opted_out(phone).await
    }

    async fn append_consent(
        &self,
        record: &ConsentRecord,
        refuse_if_opted_out: bool,
    ) -> Result<(), StoreError> {
        let mut items = self.consent_record_writes(record)?;
        if refuse_if_opted_out {
            items.push(self.not_opted_out_check(&record.phone)?);
        }
        self.transact(items, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_cursors_stay_inside_their_workspace() {
        let item = Item::from([
            ("pk".to_owned(), s("WS#a#PHONE#+16175550123")),
            ("sk".to_owned(), s("2026-11-25T12:00:00.000000Z#cr_1")),
        ]);
        let cursor = encode_ledger_cursor(&item).unwrap();
        assert!(decode_ledger_cursor(&cursor, "WS#a#PHONE#").is_ok());
        assert!(decode_ledger_cursor(&cursor, "WS#b#PHONE#").is_err());
        assert!(decode_ledger_cursor("garbage", "WS#a#PHONE#").is_err());
    }
}
