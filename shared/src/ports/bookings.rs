//! Bookings, their manage links, and the changes made to them.
use crate::domain::phone::Phone;
use chrono::{DateTime, Utc};

use super::{IdempotencyRecord, StoreError};
use crate::domain::bookings::{Booking, BookingWrite};
use crate::domain::consent::ConsentRecord;
use crate::domain::sms::SmsIntent;

pub trait BookingStore {
    async fn get_booking(&self, booking_id: &str) -> Result<Option<Booking>, StoreError>;
    /// Writes the participant (created, or refreshed if already there), the booking,
    /// its manage link and, with consent, the consent record and state: all or nothing.
    async fn create_booking(
        &self,
        write: &BookingWrite,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn find_booking_by_manage_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<Booking>, StoreError>;
    /// Moves the booking to `starts_at` if it is still at `expected_version` and booked,
    /// replacing its reminder and filing the new intents, at once.
    async fn reschedule_booking(
        &self,
        booking: &Booking,
        starts_at: DateTime<Utc>,
        intents: &[SmsIntent],
    ) -> Result<(), StoreError>;
    /// Cancels the booking if it is still at its version and booked, dropping its
    /// reminder and filing the cancellation intent, at once.
    async fn cancel_booking(
        &self,
        booking: &Booking,
        intents: &[SmsIntent],
    ) -> Result<(), StoreError>;
    /// Files intents for a booking that must still be booked.
    async fn file_intents(
        &self,
        booking: &Booking,
        intents: &[SmsIntent],
    ) -> Result<(), StoreError>;
    /// Removes `phone` from the booking and records the revocation, at once;
    /// `ConditionFailed` if the booking no longer has that phone.
    async fn remove_booking_phone(
        &self,
        booking: &Booking,
        phone: &Phone,
        record: &ConsentRecord,
    ) -> Result<(), StoreError>;
}
