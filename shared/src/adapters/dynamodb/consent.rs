//! Consent evidence in its own append-only table (`ConsentTable`): pk
//! `WS#<ws>#PHONE#<e164>`, sk `<at>#<record id>`; GSI `gsi1` by workspace. The current
//! state lives in the phone partition of the main table (`phone.rs`).
use crate::domain::phone::Phone;
use aws_sdk_dynamodb::types::TransactWriteItem;
use chrono::SecondsFormat;

use super::codec::{get_enum, get_opt_s, get_phone, get_s, get_time, opt_s, s};
use super::query::{Index, KeyQuery, Table};
use super::transact;
use super::{DynamoStore, Item};
use crate::domain::consent::{ConsentAction, ConsentRecord, ConsentSource, ConsentState};
use crate::domain::pagination::{Page, PageRequest};
use crate::ports::{ConsentStore, StoreError};

fn ledger_pk(workspace_id: &str, phone: &str) -> String {
    format!("WS#{workspace_id}#PHONE#{phone}")
}

fn workspace_gsi(workspace_id: &str) -> String {
    format!("WS#{workspace_id}")
}

fn record_item(r: &ConsentRecord) -> Item {
    // Fixed-width times keep the sort key in time order.
    let at = r.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let sort = format!("{at}#{}", r.id);
    let mut item = Item::from([
        ("pk".to_owned(), s(ledger_pk(&r.workspace_id, &r.phone))),
        ("sk".to_owned(), s(&sort)),
        ("gsi1pk".to_owned(), s(workspace_gsi(&r.workspace_id))),
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
        phone: get_phone(item, "phone")?,
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
        let mut writes = vec![transact::put_new(&self.consent_table, record_item(r))?];
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

impl ConsentStore for DynamoStore {
    async fn list_consent_records(
        &self,
        workspace_id: &str,
        phone: Option<&Phone>,
        page: &PageRequest,
    ) -> Result<Page<ConsentRecord>, StoreError> {
        // Oldest first: by number from its own partition, or the whole workspace's from
        // the index.
        let query = match phone {
            Some(phone) => KeyQuery::new(Table::Consent, ledger_pk(workspace_id, phone)),
            None => KeyQuery::new(Table::Consent, workspace_gsi(workspace_id)).on(Index::Gsi1),
        };
        self.query_page_as(&query, page, record_from).await
    }

    async fn consent_state(
        &self,
        workspace_id: &str,
        phone: &Phone,
    ) -> Result<ConsentState, StoreError> {
        self.consent_state_of(phone, workspace_id).await
    }

    async fn is_opted_out(&self, phone: &Phone) -> Result<bool, StoreError> {
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
