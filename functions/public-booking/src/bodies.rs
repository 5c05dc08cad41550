//! The JSON body this function reads.
use schemars::JsonSchema;
use shared::domain::bookings::NewBooking;
use shared::http::{schema, Fields, ReadBody};

/// `POST /public/studies/{share_token}/bookings`: a participant books a slot, and may
/// give a phone number and consent to interview reminders by SMS.
#[derive(JsonSchema)]
pub struct Book {
    #[schemars(with = "schema::Name")]
    pub name: String,
    #[schemars(with = "schema::Email")]
    pub email: String,
    #[schemars(with = "schema::Timestamp")]
    pub starts_at: String,
    #[schemars(with = "schema::Name")]
    pub time_zone: String,
    #[schemars(with = "Option<schema::Phone>")]
    pub phone: Option<String>,
    /// Consent to interview reminders by SMS; needs `phone`.
    pub sms_consent: Option<bool>,
}

impl ReadBody for Book {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let name = fields.string("name");
        let email = fields.string("email");
        let starts_at = fields.string("starts_at");
        let time_zone = fields.string("time_zone");
        let phone = fields.optional_string("phone");
        let sms_consent = fields.optional_bool("sms_consent");
        Some(Self {
            name: name?,
            email: email?,
            starts_at: starts_at?,
            time_zone: time_zone?,
            phone,
            sms_consent,
        })
    }
}

impl From<Book> for NewBooking {
    fn from(b: Book) -> Self {
        NewBooking {
            name: b.name,
            email: b.email,
            starts_at: b.starts_at,
            time_zone: b.time_zone,
            phone: b.phone,
            sms_consent: b.sms_consent,
        }
    }
}
