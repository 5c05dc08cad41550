//! The JSON bodies this function reads.
use schemars::JsonSchema;
use shared::domain::studies::{NewStudy, Recruitment, StudyKind, TeamRole};
use shared::http::schema;

/// `POST /workspaces/{ws}/studies`.
#[derive(JsonSchema)]
pub struct CreateStudy {
    #[schemars(with = "schema::Name")]
    pub name: String,
    pub kind: StudyKind,
    pub recruitment: Recruitment,
    /// The number participants may text or call about the study.
    #[schemars(with = "Option<schema::Phone>")]
    pub contact_phone: Option<String>,
}

shared::read_fields!(CreateStudy {
    name,
    kind,
    recruitment,
    contact_phone
});

/// `PUT /studies/{sid}/team/{user_id}`.
#[derive(JsonSchema)]
pub struct SetTeamMember {
    pub role: TeamRole,
    pub external_panel: bool,
}

shared::read_fields!(SetTeamMember {
    role,
    external_panel
});

/// `PUT /studies/{sid}/sms`.
#[derive(JsonSchema)]
pub struct SetStudySms {
    pub interview_reminder: bool,
}

shared::read_fields!(SetStudySms { interview_reminder });

shared::from_fields!(|c: CreateStudy| NewStudy {
    name,
    kind,
    recruitment,
    contact_phone
});
