//! Participants `STUDY#<sid>/PARTICIPANT#<pid>`, with GSI1 `EMAIL#<email>` so a
//! signed-in person meets their study records by verified email.

use super::codec::{s, stored, stored_item};
use super::query::KeyQuery;
use super::transact;
use super::{DynamoStore, Item};
use crate::adapters::dynamodb::update::ItemUpdate;
use crate::domain::participants::{Participant, ParticipantFilter, ParticipantStatus};
use crate::domain::sms::sortable;
use crate::ports::{IdempotencyRecord, ParticipantStore, StoreError};

pub(super) fn participant_key(study_id: &str, participant_id: &str) -> (String, String) {
    (
        format!("STUDY#{study_id}"),
        format!("PARTICIPANT#{participant_id}"),
    )
}

pub(super) fn panel_id_key(study_id: &str, panel_participant_id: &str) -> (String, String) {
    (
        format!("STUDY#{study_id}"),
        format!("PANELID#{panel_participant_id}"),
    )
}

pub(super) fn email_gsi(email: &str) -> String {
    format!("EMAIL#{email}")
}

/// The study's participants, newest first: `gsi2` `STUDY#<sid>#PARTICIPANTS` /
/// `<created_at, µs>#<pid>`.
pub(super) fn study_participants_gsi(study_id: &str) -> String {
    format!("STUDY#{study_id}#PARTICIPANTS")
}

stored! {
    Participant {
        id: "participant_id", study_id, workspace_id, email, name, phone, source,
        panel_participant_id, status, created_at,
    }
}

pub(super) fn participant_item(p: &Participant) -> Item {
    let key = participant_key(&p.study_id, &p.id);
    let by_email = format!("STUDY#{}#{}", p.study_id, p.id);
    let by_time = format!("{}#{}", sortable(p.created_at), p.id);
    stored_item(
        key,
        p,
        [
            ("entity", s("participant")),
            ("gsi1pk", s(email_gsi(&p.email))),
            ("gsi1sk", s(by_email)),
            ("gsi2pk", s(study_participants_gsi(&p.study_id))),
            ("gsi2sk", s(by_time)),
        ],
    )
}

/// The filter that keeps the participants `filter` asks for, on a query of participant
/// items: the one place the filter's attributes are spelled.
pub(super) fn filtered(query: KeyQuery, filter: &ParticipantFilter) -> KeyQuery {
    let mut terms = Vec::new();
    let mut names = Vec::new();
    let mut values = Vec::new();
    if let Some(status) = filter.status {
        terms.push("#fstatus = :fstatus");
        names.push(("#fstatus", "status"));
        values.push((":fstatus", s(status.as_str())));
    }
    if let Some(source) = filter.source {
        terms.push("#fsource = :fsource");
        names.push(("#fsource", "source"));
        values.push((":fsource", s(source.as_str())));
    }
    if filter.panel_only {
        terms.push("attribute_exists(panel_participant_id)");
    }
    if terms.is_empty() {
        return query;
    }
    query.filter(terms.join(" AND "), &names, values)
}

impl ParticipantStore for DynamoStore {
    async fn get_participant(
        &self,
        study_id: &str,
        participant_id: &str,
    ) -> Result<Option<Participant>, StoreError> {
        let (pk, sk) = participant_key(study_id, participant_id);
        self.get_as(&pk, &sk).await
    }

    async fn create_participant(
        &self,
        participant: &Participant,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let mut items = vec![transact::put_new(
            &self.table,
            participant_item(participant),
        )?];
        if let Some(phone) = &participant.phone {
            items.push(self.held_put(phone, &participant.workspace_id)?);
        }
        // Panel replies name the panel's id: a lookup item finds the participant, and
        // makes one panel id one participant per study.
        if let Some(panel_id) = &participant.panel_participant_id {
            let (pk, sk) = panel_id_key(&participant.study_id, panel_id);
            let lookup = Item::from([
                ("pk".to_owned(), s(pk)),
                ("sk".to_owned(), s(sk)),
                ("entity".to_owned(), s("panel_participant_lookup")),
                ("participant_id".to_owned(), s(&participant.id)),
            ]);
            items.push(transact::put_new(&self.table, lookup)?);
        }
        self.transact(items, idempotency).await
    }

    async fn approve_participant(
        &self,
        study_id: &str,
        participant_id: &str,
    ) -> Result<(), StoreError> {
        let (pk, sk) = participant_key(study_id, participant_id);
        let update = ItemUpdate::new(pk, sk, "SET #status = :approved")
            .condition("attribute_exists(pk)")
            .name("#status", "status")
            .value(":approved", s(ParticipantStatus::Approved.as_str()));
        self.update_existing(update).await
    }
}
