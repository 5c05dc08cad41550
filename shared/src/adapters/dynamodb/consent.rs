//! Consent evidence in its own append-only table (`ConsentTable`): pk
//! `WS#<ws>#PHONE#<e164>`, sk `<at>#<record id>`; GSI `gsi1` by workspace. The current
//! state lives in the phone partition of the main table (`phone.rs`).
use crate::domain::phone::Phone;
use aws_sdk_dynamodb::types::TransactWriteItem;
use chrono::SecondsFormat;

use super::codec::{get_time, s, stored, stored_item};
use super::query::{Index, KeyQuery, Table};
use super::transact;
use super::{DynamoStore, Item};
use crate::domain::consent::{ConsentAction, ConsentRecord, ConsentState};
use crate::domain::pagination::{Page, PageRequest};
use crate::ports::{ConsentStore, StoreError};

fn ledger_pk(workspace_id: &str, phone: &str) -> String {
    format!("WS#{workspace_id}#PHONE#{phone}")
}

fn workspace_gsi(workspace_id: &str) -> String {
    format!("WS#{workspace_id}")
}

stored! {
    ConsentRecord {
        id: "record_id", action, phone, person, workspace_id, study_id, booking_id, source,
        actor, disclosure_version, keyword, note, ip, user_agent;
        at = |item| get_time(item, "at"),
    }
}

fn record_item(r: &ConsentRecord) -> Item {
    // Fixed-width times keep the sort key in time order.
    let at = r.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let sort = format!("{at}#{}", r.id);
    let key = (ledger_pk(&r.workspace_id, &r.phone), sort.clone());
    let by_workspace = workspace_gsi(&r.workspace_id);
    stored_item(
        key,
        r,
        [
            ("gsi1pk", s(by_workspace)),
            ("gsi1sk", s(sort)),
            ("at", s(at)),
        ],
    )
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
        self.query_page_as(&query, page).await
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
