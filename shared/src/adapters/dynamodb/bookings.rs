//! Bookings `BOOKING#<bid>/META`, manage links `MANAGE#<sha256(token)>/MANAGE`, and the
//! booking write that also creates the participant (when new) and records consent.
use crate::domain::phone::Phone;
use aws_sdk_dynamodb::types::TransactWriteItem;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::codec::{get_opt_s, get_s, n, s, stored, stored_item};
use super::condition::Condition;
use super::participants::{participant_item, participant_key};
use super::transact;
use super::update::ItemUpdate;
use super::{DynamoStore, Item};
use crate::domain::bookings::{Booking, BookingStatus, BookingWrite, IntentRef};
use crate::domain::consent::ConsentRecord;
use crate::domain::sms::{sortable, SmsIntent, SmsKind};
use crate::ports::{BookingStore, IdempotencyRecord, StoreError};

const META: &str = "META";
const MANAGE_SK: &str = "MANAGE";

pub(super) fn booking_pk(booking_id: &str) -> String {
    format!("BOOKING#{booking_id}")
}

/// A study's schedule: `gsi1` `STUDY#<sid>#BOOKINGS` / `<starts_at, µs>#<bid>`.
pub(super) fn schedule_gsi(study_id: &str) -> String {
    format!("STUDY#{study_id}#BOOKINGS")
}

/// Where on the schedule a booking starting at `starts_at` sorts; every booking's key is
/// longer than the bare time, so `BETWEEN from AND to` takes `[from, to)`.
pub(super) fn schedule_sk(starts_at: DateTime<Utc>, booking_id: &str) -> String {
    format!("{}#{booking_id}", sortable(starts_at))
}

/// A participant's bookings, newest first: `gsi2` `PARTICIPANT#<sid>#<pid>` /
/// `BOOKING#<created_at, µs>#<bid>`.
pub(super) fn participant_bookings_gsi(study_id: &str, participant_id: &str) -> String {
    format!("PARTICIPANT#{study_id}#{participant_id}")
}

pub(super) const PARTICIPANT_BOOKING_PREFIX: &str = "BOOKING#";

stored! {
    Booking {
        id: "booking_id", study_id, workspace_id, participant_id, starts_at, status, phone,
        created_at, manage_token, version;
        time_zone = time_zone_from,
        reminder = |item| Ok(reminder_from(item)),
    }
}

fn booking_item(b: &Booking) -> Item {
    let by_participant = participant_bookings_gsi(&b.study_id, &b.participant_id);
    let created = sortable(b.created_at);
    let mut item = stored_item(
        (booking_pk(&b.id), META.to_owned()),
        b,
        [
            ("entity", s("booking")),
            ("time_zone", s(b.time_zone.name())),
            ("sms_count", n(0)),
            ("gsi1pk", s(schedule_gsi(&b.study_id))),
            ("gsi1sk", s(schedule_sk(b.starts_at, &b.id))),
            ("gsi2pk", s(by_participant)),
            (
                "gsi2sk",
                s(format!("{PARTICIPANT_BOOKING_PREFIX}{created}#{}", b.id)),
            ),
        ],
    );
    if let Some(reminder) = &b.reminder {
        item.insert("reminder_bucket".to_owned(), s(&reminder.bucket));
        item.insert("reminder_id".to_owned(), s(&reminder.id));
    }
    item
}

fn time_zone_from(item: &Item) -> Result<Tz, StoreError> {
    get_s(item, "time_zone")?
        .parse::<Tz>()
        .map_err(|_| StoreError::Corrupt("booking time_zone".into()))
}

fn reminder_from(item: &Item) -> Option<IntentRef> {
    match (
        get_opt_s(item, "reminder_bucket"),
        get_opt_s(item, "reminder_id"),
    ) {
        (Some(bucket), Some(id)) => Some(IntentRef { bucket, id }),
        _ => None,
    }
}

/// An update of the booking that holds only while it is still booked at the version
/// read: `expression` may use `:one`.
fn booked_at_version(booking: &Booking, expression: &str) -> ItemUpdate {
    ItemUpdate::new(booking_pk(&booking.id), META, expression)
        .condition("version = :version AND #status = :booked")
        .name("#status", "status")
        .value(":version", n(booking.version))
        .value(":booked", s(BookingStatus::Booked.as_str()))
        .value(":one", n(1))
}

impl DynamoStore {
    /// A participant new to the study is created (if still absent); one already there is
    /// left as it is, and must still be there.
    fn participant_write(&self, write: &BookingWrite) -> Result<TransactWriteItem, StoreError> {
        let p = &write.participant;
        if !write.participant_exists {
            return transact::put_new(&self.table, participant_item(p));
        }
        let key = participant_key(&p.study_id, &p.id);
        transact::check(&self.table, key, Condition::present())
    }
}

impl DynamoStore {
    /// A change of a booking (`update`, guarded by the version read) in one
    /// transaction with its pending reminder taken out of its bucket and the texts the
    /// change calls for filed.
    async fn change_booking(
        &self,
        booking: &Booking,
        update: ItemUpdate,
        intents: &[SmsIntent],
    ) -> Result<(), StoreError> {
        let mut items = vec![transact::update(&self.table, update)?];
        items.extend(self.reminder_drop(booking)?);
        for intent in intents {
            items.push(self.intent_put(intent)?);
        }
        self.transact(items, None).await
    }

    /// Takes the booking's pending reminder out of its bucket, if it has one.
    fn reminder_drop(&self, booking: &Booking) -> Result<Option<TransactWriteItem>, StoreError> {
        let Some(reminder) = &booking.reminder else {
            return Ok(None);
        };
        let key = super::sms::intent_key(&reminder.bucket, &reminder.id);
        transact::delete(&self.table, key, None).map(Some)
    }
}

impl BookingStore for DynamoStore {
    async fn get_booking(&self, booking_id: &str) -> Result<Option<Booking>, StoreError> {
        self.get_as(&booking_pk(booking_id), META).await
    }

    async fn create_booking(
        &self,
        write: &BookingWrite,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let manage = Item::from([
            (
                "pk".to_owned(),
                s(format!("MANAGE#{}", write.manage_token_hash)),
            ),
            ("sk".to_owned(), s(MANAGE_SK)),
            ("entity".to_owned(), s("manage_link")),
            ("booking_id".to_owned(), s(&write.booking.id)),
        ]);
        let mut items = vec![
            self.participant_write(write)?,
            transact::put_new(&self.table, booking_item(&write.booking))?,
            transact::put_new(&self.table, manage)?,
        ];
        if let Some(record) = &write.consent {
            items.extend(self.consent_record_writes(record)?);
        }
        for intent in &write.intents {
            items.push(self.intent_put(intent)?);
        }
        self.transact(items, idempotency).await
    }

    async fn reschedule_booking(
        &self,
        booking: &Booking,
        starts_at: chrono::DateTime<chrono::Utc>,
        intents: &[SmsIntent],
    ) -> Result<(), StoreError> {
        let reminder = intents.iter().find(|i| i.kind == SmsKind::Reminder);
        let expression = match reminder {
            Some(_) => "SET starts_at = :starts_at, gsi1sk = :slot, version = version + :one, reminder_bucket = :rb, reminder_id = :rid",
            None => "SET starts_at = :starts_at, gsi1sk = :slot, version = version + :one REMOVE reminder_bucket, reminder_id",
        };
        let mut update = booked_at_version(booking, expression)
            .value(":starts_at", s(starts_at.to_rfc3339()))
            .value(":slot", s(schedule_sk(starts_at, &booking.id)));
        if let Some(r) = reminder {
            update = update.value(":rb", s(r.bucket())).value(":rid", s(&r.id));
        }
        self.change_booking(booking, update, intents).await
    }

    async fn cancel_booking(
        &self,
        booking: &Booking,
        intents: &[SmsIntent],
    ) -> Result<(), StoreError> {
        let update = booked_at_version(
            booking,
            "SET #status = :cancelled, version = version + :one REMOVE reminder_bucket, reminder_id",
        )
        .value(":cancelled", s(BookingStatus::Cancelled.as_str()));
        self.change_booking(booking, update, intents).await
    }

    async fn file_intents(
        &self,
        booking: &Booking,
        intents: &[SmsIntent],
    ) -> Result<(), StoreError> {
        let booked = Condition::new("#status = :booked")
            .name("#status", "status")
            .value(":booked", s(BookingStatus::Booked.as_str()));
        let key = (booking_pk(&booking.id), META.to_owned());
        let mut items = vec![transact::check(&self.table, key, booked)?];
        for intent in intents {
            items.push(self.intent_put(intent)?);
        }
        self.transact(items, None).await
    }

    async fn find_booking_by_manage_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<Booking>, StoreError> {
        let Some(link) = self.get(&format!("MANAGE#{token_hash}"), MANAGE_SK).await? else {
            return Ok(None);
        };
        let booking_id = get_s(&link, "booking_id")?;
        self.get_as(&booking_pk(&booking_id), META).await
    }

    async fn remove_booking_phone(
        &self,
        booking: &Booking,
        phone: &Phone,
        record: &ConsentRecord,
    ) -> Result<(), StoreError> {
        let update = ItemUpdate::new(booking_pk(&booking.id), META, "REMOVE phone")
            .condition("phone = :phone")
            .value(":phone", s(phone));
        let mut items = vec![transact::update(&self.table, update)?];
        items.extend(self.consent_record_writes(record)?);
        self.transact(items, None).await
    }
}
