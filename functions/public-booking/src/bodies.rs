//! The JSON body this function reads.
use schemars::JsonSchema;
use shared::domain::bookings::NewBooking;
use shared::http::schema;

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

shared::read_fields!(Book {
    name,
    email,
    starts_at,
    time_zone,
    phone,
    sms_consent
});

shared::from_fields!(|b: Book| NewBooking {
    name,
    email,
    starts_at,
    time_zone,
    phone,
    sms_consent,
});
