//! The JSON body and the queries this function reads.
use schemars::JsonSchema;
use shared::http::doc::PageQuery;
use shared::http::{schema, Fields, ReadBody};

/// `PUT /studies/{sid}/participants/{pid}/sms-consent`: staff record a consent given or
/// withdrawn some other way (on the phone, in person), and say how.
#[derive(JsonSchema)]
pub struct StaffConsent {
    pub granted: bool,
    #[schemars(with = "schema::Text")]
    pub note: String,
}

impl ReadBody for StaffConsent {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let granted = fields.bool("granted");
        let note = fields.string("note");
        Some(Self {
            granted: granted?,
            note: note?,
        })
    }
}

/// The query of `GET /workspaces/{ws}/sms-consent/records`.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct RecordsQuery {
    /// Only this number's records.
    #[schemars(with = "Option<schema::Phone>")]
    phone: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

/// The query of `GET /workspaces/{ws}/sms-consent/status`.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct StatusQuery {
    #[schemars(with = "schema::Phone")]
    phone: String,
}
