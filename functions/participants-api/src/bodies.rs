//! The JSON body and the list query this function reads.
use schemars::JsonSchema;
use shared::domain::participants::{NewParticipant, ParticipantStatus};
use shared::domain::studies::Recruitment;
use shared::http::doc::PageQuery;
use shared::http::schema;

/// `POST /studies/{sid}/participants`.
#[derive(JsonSchema)]
pub struct AddParticipant {
    #[schemars(with = "schema::Email")]
    pub email: String,
    #[schemars(with = "schema::Name")]
    pub name: String,
    #[schemars(with = "Option<schema::Phone>")]
    pub phone: Option<String>,
    pub source: Recruitment,
    /// The panel's id of a participant recruited there (`source: respondent`).
    #[schemars(with = "Option<schema::Name>")]
    pub panel_participant_id: Option<String>,
}

shared::read_fields!(AddParticipant {
    email,
    name,
    phone,
    source,
    panel_participant_id
});

shared::from_fields!(|a: AddParticipant| NewParticipant {
    email,
    name,
    phone,
    source,
    panel_participant_id,
});

/// The query of `GET /studies/{sid}/participants`.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct ListQuery {
    /// Only participants with this status.
    status: Option<ParticipantStatus>,
    #[serde(flatten)]
    page: PageQuery,
}
