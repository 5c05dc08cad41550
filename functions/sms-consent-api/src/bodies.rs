//! The JSON body and the queries this function reads.
use schemars::JsonSchema;
use shared::http::doc::PageQuery;
use shared::http::schema;

/// `PUT /studies/{sid}/participants/{pid}/sms-consent`: staff record a consent given or
/// withdrawn some other way (on the phone, in person), and say how.
#[derive(JsonSchema)]
pub struct StaffConsent {
    pub granted: bool,
    #[schemars(with = "schema::Text")]
    pub note: String,
}

shared::read_fields!(StaffConsent { granted, note });

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

/// The query of `GET /studies/{sid}/participants/{pid}`: the profile holds the first
/// page of the bookings and of the consent history, `limit` items each.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct ProfileQuery {
    /// Items in each of the two first pages: 1 to 100, 50 when absent.
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}
