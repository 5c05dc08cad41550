//! The lists of `ports::lists`, from the index entries whose keys the item families' own
//! files spell: a user's memberships and team entries (`gsi1`), a study's participants
//! (`gsi2`), its schedule (`gsi1`) and each participant's bookings (`gsi2`).
use chrono::{DateTime, Utc};

use super::bookings::{participant_bookings_gsi, schedule_gsi, PARTICIPANT_BOOKING_PREFIX};
use super::codec::{get_s, Stored};
use super::participants::{filtered, study_participants_gsi};
use super::query::{Index, KeyQuery, SortKey};
use super::studies::{study_pk, team_sk, user_gsi, user_studies_prefix};
use super::workspaces::{member_sk, workspace_pk, META, USER_WORKSPACES_PREFIX};
use super::DynamoStore;
use crate::domain::bookings::Booking;
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::participants::{Participant, ParticipantFilter};
use crate::domain::sms::sortable;
use crate::domain::studies::Study;
use crate::domain::workspaces::{Membership, Workspace};
use crate::ports::{MemberDirectory, StoreError, StudyDirectory};

impl MemberDirectory for DynamoStore {
    async fn list_user_workspaces(
        &self,
        user_id: &str,
        page: &PageRequest,
    ) -> Result<Page<(Workspace, Membership)>, StoreError> {
        let query = KeyQuery::main(user_gsi(user_id))
            .on(Index::Gsi1)
            .prefix(USER_WORKSPACES_PREFIX);
        let found = self.query_page(&query, page).await?;
        // The index lags the table: each membership is read again (one just removed is
        // gone), with its workspace.
        let mut keys = Vec::new();
        for item in &found.items {
            let pk = workspace_pk(&get_s(item, "workspace_id")?);
            keys.push((pk.clone(), member_sk(user_id)));
            keys.push((pk, META.to_owned()));
        }
        let mut items = Vec::new();
        for pair in self.batch_get(&keys).await?.chunks(2) {
            if let [Some(membership), Some(workspace)] = pair {
                items.push((
                    Workspace::read_from(workspace)?,
                    Membership::read_from(membership)?,
                ));
            }
        }
        Ok(Page {
            items,
            next: found.next,
        })
    }

    async fn list_user_studies(
        &self,
        user_id: &str,
        workspace_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Study>, StoreError> {
        let query = KeyQuery::main(user_gsi(user_id))
            .on(Index::Gsi1)
            .prefix(&user_studies_prefix(workspace_id));
        let found = self.query_page(&query, page).await?;
        // As above: the team entry read again, with its study.
        let mut keys = Vec::new();
        for item in &found.items {
            let pk = study_pk(&get_s(item, "study_id")?);
            keys.push((pk.clone(), team_sk(user_id)));
            keys.push((pk, META.to_owned()));
        }
        let mut items = Vec::new();
        for pair in self.batch_get(&keys).await?.chunks(2) {
            if let [Some(_), Some(study)] = pair {
                items.push(Study::read_from(study)?);
            }
        }
        Ok(Page {
            items,
            next: found.next,
        })
    }
}

impl StudyDirectory for DynamoStore {
    async fn list_participants(
        &self,
        study_id: &str,
        filter: &ParticipantFilter,
        page: &PageRequest,
    ) -> Result<Page<Participant>, StoreError> {
        let query = KeyQuery::main(study_participants_gsi(study_id))
            .on(Index::Gsi2)
            .descending();
        self.query_page_as(&filtered(query, filter), page).await
    }

    async fn list_participant_bookings(
        &self,
        study_id: &str,
        participant_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Booking>, StoreError> {
        let query = KeyQuery::main(participant_bookings_gsi(study_id, participant_id))
            .on(Index::Gsi2)
            .prefix(PARTICIPANT_BOOKING_PREFIX)
            .descending();
        self.query_page_as(&query, page).await
    }

    async fn list_study_bookings(
        &self,
        study_id: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        page: &PageRequest,
    ) -> Result<Page<Booking>, StoreError> {
        let window = match (from, to) {
            (Some(from), Some(to)) => SortKey::Between(sortable(from), sortable(to)),
            (Some(from), None) => SortKey::From(sortable(from)),
            (None, Some(to)) => SortKey::Before(sortable(to)),
            (None, None) => SortKey::Any,
        };
        let query = KeyQuery::main(schedule_gsi(study_id))
            .on(Index::Gsi1)
            .sort(window);
        self.query_page_as(&query, page).await
    }
}
