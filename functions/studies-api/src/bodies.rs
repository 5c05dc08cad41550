//! The JSON bodies this function reads.
use schemars::JsonSchema;
use shared::domain::studies::{Recruitment, StudyKind, TeamRole};
use shared::http::{schema, Fields, ReadBody};

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

impl ReadBody for CreateStudy {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let name = fields.string("name");
        let kind = fields.one_of("kind", StudyKind::NAMES, StudyKind::parse);
        let recruitment = fields.one_of("recruitment", Recruitment::NAMES, Recruitment::parse);
        let contact_phone = fields.optional_string("contact_phone");
        Some(Self {
            name: name?,
            kind: kind?,
            recruitment: recruitment?,
            contact_phone,
        })
    }
}

/// `PUT /studies/{sid}/team/{user_id}`.
#[derive(JsonSchema)]
pub struct SetTeamMember {
    pub role: TeamRole,
    pub external_panel: bool,
}

impl ReadBody for SetTeamMember {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let role = fields.one_of("role", TeamRole::NAMES, TeamRole::parse);
        let external_panel = fields.bool("external_panel");
        Some(Self {
            role: role?,
            external_panel: external_panel?,
        })
    }
}

/// `PUT /studies/{sid}/sms`.
#[derive(JsonSchema)]
pub struct SetStudySms {
    pub interview_reminder: bool,
}

impl ReadBody for SetStudySms {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let interview_reminder = fields.bool("interview_reminder");
        Some(Self {
            interview_reminder: interview_reminder?,
        })
    }
}
