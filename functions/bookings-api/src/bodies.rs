//! The JSON bodies and the list query this function reads.
use schemars::JsonSchema;
use shared::domain::sms::DayOfUpdate;
use shared::http::doc::PageQuery;
use shared::http::schema;

/// `PATCH /studies/{sid}/bookings/{bid}`.
#[derive(JsonSchema)]
pub struct Reschedule {
    #[schemars(with = "schema::Timestamp")]
    pub starts_at: String,
}

shared::read_fields!(Reschedule { starts_at });

/// `POST /studies/{sid}/bookings/{bid}/day-of-update`.
#[derive(JsonSchema)]
pub struct DayOf {
    pub update: DayOfUpdate,
}

shared::read_fields!(DayOf { update });

/// The query of `GET /studies/{sid}/bookings`.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct ScheduleQuery {
    /// Bookings starting at or after this time.
    #[schemars(with = "Option<schema::Timestamp>")]
    from: Option<String>,
    /// Bookings starting before this time.
    #[schemars(with = "Option<schema::Timestamp>")]
    to: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}
