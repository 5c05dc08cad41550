//! The manage link: the booking it shows, and removing the phone from it.
use chrono::{DateTime, Utc};

use crate::domain::consent::{ClientInfo, ConsentAction, ConsentRecord, ConsentSource};
use crate::domain::DomainError;
use crate::ports::{BookingStore, StoreError};

use super::*;

async fn booking_for_token<S: BookingStore>(
    store: &S,
    token: &str,
) -> Result<Booking, DomainError> {
    store
        .find_booking_by_manage_token(&manage_token_hash(token))
        .await?
        .ok_or(DomainError::NotFound("booking"))
}

pub async fn manage_view<S: BookingStore>(
    store: &S,
    token: &str,
) -> Result<(Booking, ManageView), DomainError> {
    let booking = booking_for_token(store, token).await?;
    let view = ManageView {
        starts_at: booking.starts_at,
        time_zone: booking.time_zone.name().to_owned(),
        status: booking.status,
        phone_last4: booking.phone.as_deref().map(crate::telemetry::phone_last4),
    };
    Ok((booking, view))
}

/// The holder of the manage link removes the phone from the booking: the workspace's
/// consent for it is revoked and recorded, and no further text goes out for it.
/// Removing a number that is already gone changes nothing.
pub async fn remove_phone<S: BookingStore>(
    store: &S,
    token: &str,
    client: ClientInfo,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let booking = booking_for_token(store, token).await?;
    let Some(phone) = booking.phone.clone() else {
        return Ok(());
    };
    let mut record = ConsentRecord::new(
        ConsentAction::Revoked,
        ConsentSource::ManageLink,
        &phone,
        &booking.workspace_id,
        now,
    );
    record.person = Some(booking.participant_id.clone());
    record.study_id = Some(booking.study_id.clone());
    record.booking_id = Some(booking.id.clone());
    record.ip = client.ip;
    record.user_agent = client.user_agent;
    match store.remove_booking_phone(&booking, &phone, &record).await {
        Ok(()) => {
            tracing::info!(booking_id = %booking.id, source = "manage_link", "opt-out recorded");
            Ok(())
        }
        // A concurrent removal got there first: the number is gone either way.
        Err(StoreError::ConditionFailed) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
