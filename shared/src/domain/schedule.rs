//! A study's schedule: its bookings by start time, within an optional window.
use chrono::{DateTime, Utc};

use super::booking_changes::TeamBookingView;
use super::pagination::{Page, PageRequest};
use super::studies::require_team;
use super::{Caller, DomainError, FieldError};
use crate::ports::{StudyDirectory, StudyStore};

fn parse_time(field: &str, raw: Option<&str>) -> Result<Option<DateTime<Utc>>, FieldError> {
    match raw {
        None => Ok(None),
        Some(raw) => DateTime::parse_from_rfc3339(raw)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                FieldError::new(field, "must be an RFC 3339 time, e.g. 2026-12-01T15:00:00Z")
            }),
    }
}

/// `GET /studies/{sid}/bookings?from=&to=`: the study's bookings (cancelled ones too,
/// with their status) that start at or after `from` and before `to`, by start time.
pub async fn study_schedule<S: StudyStore + StudyDirectory>(
    store: &S,
    caller: &Caller,
    study_id: &str,
    from: Option<&str>,
    to: Option<&str>,
    page: &PageRequest,
) -> Result<Page<TeamBookingView>, DomainError> {
    let (study, _) = require_team(store, study_id, caller).await?;
    let (from, to) = match (parse_time("from", from), parse_time("to", to)) {
        (Ok(from), Ok(to)) => (from, to),
        (from, to) => {
            return Err(DomainError::Validation(
                [from.err(), to.err()].into_iter().flatten().collect(),
            ))
        }
    };
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(DomainError::invalid("to", "must not be before from"));
        }
    }
    let page = store.list_study_bookings(&study.id, from, to, page).await?;
    Ok(page.map(|b| TeamBookingView::from(&b)))
}
