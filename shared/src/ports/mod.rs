//! What the domain needs from storage, as small traits. `adapters::dynamodb` holds the
//! one implementation of each.
//!
//! The traits use `async fn`: they are only ever used with the concrete DynamoDB store,
//! so the `Send`-ness of their futures is known wherever it matters.
#![allow(async_fn_in_trait)]
use thiserror::Error;

mod access;
mod email_suppressions;
mod lists;
mod phone_records;
mod rate_limits;
mod team_notices;
pub use access::{AccessStore, Removal};
pub use email_suppressions::EmailSuppressionStore;
pub use lists::{MemberDirectory, StudyDirectory};
pub use phone_records::PhoneRecordStore;
pub use rate_limits::RateLimitStore;
pub use team_notices::TeamNoticeStore;

use chrono::{DateTime, Utc};

use crate::domain::bookings::{Booking, BookingStatus, BookingWrite};
use crate::domain::consent::{ConsentRecord, ConsentState};
use crate::domain::messaging::email::Email;
use crate::domain::messaging::{Conversation, Message, Notification};
use crate::domain::pagination::{Page, PageRequest};
use crate::domain::panel_chat::{DeliveryStatus, PanelDelivery, PanelMessage};
use crate::domain::participants::{Participant, ParticipantFilter};
use crate::domain::phone_verification::{PendingCode, VerifiedPhone};
use crate::domain::sms::{
    CarrierOutcome, Claim, ClaimWatch, SendRecord, SmsIntent, SmsKind, SmsLogEntry, Suppression,
    TextRef,
};
use crate::domain::studies::{Study, TeamMember, TeamRole};
use crate::domain::support::SupportRequest;
use crate::domain::workspaces::{Membership, Workspace, WorkspaceRole};

#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be reached or refused the call; safe to retry.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A conditional write found the data changed since it was read.
    #[error("a conditional write found the data changed")]
    ConditionFailed,
    /// The idempotency key was claimed by a concurrent request with the same key.
    #[error("the idempotency key was claimed concurrently")]
    IdempotencyKeyTaken,
    #[error("the page cursor is not one this list issued")]
    InvalidCursor,
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

/// The remembered outcome of a creating request, written with the object it created.
#[derive(Clone, Debug, PartialEq)]
pub struct IdempotencyRecord {
    pub scope_key: String,
    pub fingerprint: String,
    pub result: serde_json::Value,
    /// Unix seconds; the table's TTL removes the record after this.
    pub expires_at: i64,
}

pub trait IdempotencyStore {
    async fn find_idempotency_record(
        &self,
        scope_key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;
}

pub trait WorkspaceStore {
    /// Creates the workspace with its first admin (and the idempotency record) at once.
    async fn create_workspace(
        &self,
        workspace: &Workspace,
        admin: &Membership,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_workspace(&self, workspace_id: &str) -> Result<Option<Workspace>, StoreError>;
    async fn get_membership(
        &self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<Membership>, StoreError>;
    /// Writes a membership. `previous` is the role read before (None: a new member).
    /// Fails with `ConditionFailed` if the membership changed meanwhile or if the write
    /// would leave the workspace without an admin.
    async fn put_membership(
        &self,
        membership: &Membership,
        previous: Option<WorkspaceRole>,
    ) -> Result<(), StoreError>;
    async fn list_memberships(
        &self,
        workspace_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Membership>, StoreError>;
    async fn set_sms_enabled(&self, workspace_id: &str, enabled: bool) -> Result<(), StoreError>;
    async fn set_require_phone_verification(
        &self,
        workspace_id: &str,
        required: bool,
    ) -> Result<(), StoreError>;
}

/// Studies live in workspaces: whoever reads a study may need its workspace's members.
pub trait StudyStore: WorkspaceStore {
    /// Creates the study, its share-link lookup and its owner (and the idempotency
    /// record) at once; fails with `ConditionFailed` if the creator is no longer a
    /// member of the workspace.
    async fn create_study(
        &self,
        study: &Study,
        owner: &TeamMember,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_study(&self, study_id: &str) -> Result<Option<Study>, StoreError>;
    async fn get_team_member(
        &self,
        study_id: &str,
        user_id: &str,
    ) -> Result<Option<TeamMember>, StoreError>;
    /// Writes a team member. `previous` is the role read before (None: new to the team).
    /// Fails with `ConditionFailed` if the user is not a member of the study's
    /// workspace, if the team changed meanwhile, or if no owner would remain.
    async fn put_team_member(
        &self,
        study: &Study,
        member: &TeamMember,
        previous: Option<TeamRole>,
    ) -> Result<(), StoreError>;
    async fn list_team(
        &self,
        study_id: &str,
        page: &PageRequest,
    ) -> Result<Page<TeamMember>, StoreError>;
    async fn set_interview_reminder(&self, study_id: &str, enabled: bool)
        -> Result<(), StoreError>;
}

pub trait ParticipantStore {
    async fn get_participant(
        &self,
        study_id: &str,
        participant_id: &str,
    ) -> Result<Option<Participant>, StoreError>;
    /// Adds a participant; `ConditionFailed` if one with that id is already there.
    async fn create_participant(
        &self,
        participant: &Participant,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    /// `ConditionFailed` if there is no such participant.
    async fn approve_participant(
        &self,
        study_id: &str,
        participant_id: &str,
    ) -> Result<(), StoreError>;
}

pub trait BookingStore {
    async fn find_study_by_share_token(
        &self,
        share_token: &str,
    ) -> Result<Option<Study>, StoreError>;
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
        phone: &str,
        record: &ConsentRecord,
    ) -> Result<(), StoreError>;
}

pub trait ConsentStore {
    /// Records oldest first, for one number or (with `None`) the whole workspace.
    async fn list_consent_records(
        &self,
        workspace_id: &str,
        phone: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<ConsentRecord>, StoreError>;
    async fn consent_state(
        &self,
        workspace_id: &str,
        phone: &str,
    ) -> Result<ConsentState, StoreError>;
    /// Whether the number opted out by keyword (platform-wide).
    async fn is_opted_out(&self, phone: &str) -> Result<bool, StoreError>;
    /// Appends a granted or revoked record and moves the workspace's consent state with
    /// it. With `refuse_if_opted_out`, fails with `ConditionFailed` when the number
    /// opted out by keyword, checked in the same transaction.
    async fn append_consent(
        &self,
        record: &ConsentRecord,
        refuse_if_opted_out: bool,
    ) -> Result<(), StoreError>;
}

/// What must still hold, in the claim transaction, for a text to go out.
#[derive(Clone, Debug)]
pub struct SendGuard<'a> {
    pub phone: &'a str,
    /// Its SMS switch must be on when the claim commits.
    pub workspace_id: &'a str,
    /// For a reminder: the study whose reminder switch must be on.
    pub reminder_study_id: Option<&'a str>,
    pub expected_status: BookingStatus,
    pub cap: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimResult {
    /// This run owns the intent and has counted it: send it now.
    Claimed,
    /// Another run claimed it, or it was already handled.
    AlreadyHandled,
    /// It must not be sent; the reason goes in the delivery log.
    Refused(Suppression),
}

pub trait SmsStore {
    async fn get_booking(&self, booking_id: &str) -> Result<Option<Booking>, StoreError>;
    /// The intents nobody has claimed yet filed under the minute buckets from `from`'s
    /// to `to`'s (both included), in no particular order; every page of a `Query` per
    /// UTC day the window touches.
    async fn due_intents(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SmsIntent>, StoreError>;
    async fn find_intent(
        &self,
        bucket: &str,
        intent_id: &str,
    ) -> Result<Option<SmsIntent>, StoreError>;
    /// In one transaction: takes the intent out of its bucket, counts it against the
    /// booking's cap (booking still in the expected state, with that phone, at that
    /// time), checks no opt-out and standing consent, opens its log entry (`sending`,
    /// carrying the claim's token) and writes the claim's watch (see `stale_claims`).
    async fn claim_intent(
        &self,
        intent: &SmsIntent,
        guard: &SendGuard<'_>,
        claim: &Claim,
        now: DateTime<Utc>,
    ) -> Result<ClaimResult, StoreError>;
    /// Takes an intent that must not be sent out of its bucket, logging why.
    async fn suppress_intent(
        &self,
        intent: &SmsIntent,
        reason: Suppression,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Records a claimed send's outcome (`sent` with its message id, or `failed` with
    /// its reason) and removes the claim's watch, in one transaction; a sent text's
    /// message id also gets its lookup (see `CarrierOutcomeStore`) in it.
    async fn finish_intent(
        &self,
        intent: &SmsIntent,
        claim: &Claim,
        record: &SendRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn sms_log(&self, booking_id: &str) -> Result<Vec<SmsLogEntry>, StoreError>;
    /// The watches of claims taken from `since` (included) to `before` (excluded),
    /// oldest first: every page of a `Query` per UTC day the window touches.
    async fn stale_claims(
        &self,
        since: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> Result<Vec<ClaimWatch>, StoreError>;
    /// Whether the watched claim is still open: its log entry `sending` with the
    /// claim's token.
    async fn claim_still_open(&self, watch: &ClaimWatch) -> Result<bool, StoreError>;
    /// In one transaction: marks the log entry `failed` with `reason`, on condition it
    /// is still `sending` with the claim's token, and removes the watch. `false` when
    /// the entry had moved on (then the watch alone is removed).
    async fn give_up_claim(
        &self,
        watch: &ClaimWatch,
        reason: Suppression,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Removes the watch of a claim whose outcome is recorded.
    async fn drop_claim_watch(&self, watch: &ClaimWatch) -> Result<(), StoreError>;
}

/// The carrier's outcome of the texts we sent, found by their message id.
pub trait CarrierOutcomeStore {
    /// The log entry of the text SNS gave this message id (one `GetItem`); `None` for
    /// a message no intent sent (a STOP or HELP reply, a verification code).
    async fn find_text(&self, message_id: &str) -> Result<Option<TextRef>, StoreError>;
    /// Records the carrier's outcome on the text's log entry, unless a report from a
    /// later time is already there; `false` when it was not recorded (older report, or
    /// no such entry).
    async fn record_carrier_outcome(
        &self,
        text: &TextRef,
        outcome: &CarrierOutcome,
    ) -> Result<bool, StoreError>;
}

#[derive(Debug, Error)]
pub enum SendError {
    /// Still throttled after the SDK's retries with backoff and jitter: not sent.
    #[error("throttled: {0}")]
    Throttled(String),
    /// The service refused the message (e.g. an invalid or blocked number): not sent.
    #[error("rejected: {0}")]
    Rejected(String),
    /// The service could not be reached (the request never went out): not sent.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The request went out and no answer says what became of it (a timeout, a 5xx, a
    /// connection lost after sending): the message may or may not have gone out. Never
    /// retried, since a retry could send it twice.
    #[error("unconfirmed: {0}")]
    Unconfirmed(String),
}

pub trait SmsSender {
    /// Sends one transactional SMS; the service's message id comes back (the key its
    /// carrier events name). `dedupe_key` identifies the intent in logs.
    async fn send_sms(
        &self,
        to: &str,
        from: Option<&str>,
        body: &str,
        dedupe_key: &str,
    ) -> Result<String, SendError>;
}

/// A text a person must look at: ids and a reason, never the number or the body.
#[derive(Clone, Copy, Debug)]
pub struct SmsFailure<'a> {
    pub booking_id: &'a str,
    pub intent_id: &'a str,
    pub kind: SmsKind,
    pub reason: &'a str,
}

#[derive(Debug, Error)]
#[error("the failure queue did not take the report: {0}")]
pub struct QueueError(pub String);

/// Where failures a person must act on go (the SMS failure queue). An error means the
/// report was not queued (it is logged either way).
pub trait FailureQueue {
    async fn report_failure(&self, failure: &SmsFailure<'_>) -> Result<(), QueueError>;
}

/// Domain events on the bus.
pub trait EventPublisher {
    /// Nudges the sender to send these intents now. Losing the nudge loses nothing:
    /// the dispatcher sweeps every due intent each minute.
    async fn sms_requested(&self, intents: &[SmsIntent]);
    /// Tells the panel relay to deliver this message; false when the bus refused it.
    async fn panel_message_posted(&self, message: &PanelMessage) -> bool;
}

pub trait InboundStore {
    async fn inbound_done(&self, inbound_id: &str) -> Result<bool, StoreError>;
    async fn mark_inbound_done(
        &self,
        inbound_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Moves the platform-wide opt-out for the message `inbound_id` sent at `at`,
    /// unless a later message already decided. A retry of a message whose change was
    /// applied answers `Changed` again.
    async fn set_opted_out(
        &self,
        phone: &str,
        opted_out: bool,
        at: DateTime<Utc>,
        inbound_id: &str,
        now: DateTime<Utc>,
    ) -> Result<OptOutChange, StoreError>;
    /// The workspaces whose consent for this number stands (granted).
    async fn consenting_workspaces(&self, phone: &str) -> Result<Vec<String>, StoreError>;
    /// True the first time for an inbound message: its one reply may go out.
    async fn claim_reply(&self, inbound_id: &str) -> Result<bool, StoreError>;
    /// True the first time for a number, a day and a kind: that day's automatic answer
    /// of that kind may go out.
    async fn claim_daily_auto_reply(
        &self,
        phone: &str,
        day: &str,
        kind: AutoReply,
    ) -> Result<bool, StoreError>;
}

/// What a message did to the platform-wide opt-out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptOutChange {
    /// It moved the state (opted out, or lifted the opt-out).
    Changed,
    /// The state already was what it asked; only its time was noted.
    Unchanged,
    /// A later message already decided; nothing changed.
    Stale,
}

/// The automatic answers a number gets at most once a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoReply {
    /// "This number does not accept replies."
    NoReplies,
    /// For a text that may be a revocation: exactly how to stop.
    HowToStop,
}

/// Secure messaging: conversations, their messages, read state and bell notifications.
pub trait ConversationStore {
    /// The conversation, its first message and the participant's bell notification,
    /// all or nothing.
    async fn create_conversation(
        &self,
        conversation: &Conversation,
        first: &Message,
        bell: &Notification,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_conversation(
        &self,
        study_id: &str,
        conversation_id: &str,
    ) -> Result<Option<Conversation>, StoreError>;
    /// The conversation with this id held by the participant with this email.
    async fn find_participant_conversation(
        &self,
        email: &str,
        conversation_id: &str,
    ) -> Result<Option<Conversation>, StoreError>;
    async fn list_study_conversations(
        &self,
        study_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Conversation>, StoreError>;
    async fn list_participant_conversations(
        &self,
        email: &str,
        page: &PageRequest,
    ) -> Result<Page<Conversation>, StoreError>;
    /// Appends a message and counts it on the conversation, with its bell notifications
    /// for a team message. A participant's message needs the conversation accepted
    /// (`ConditionFailed` otherwise).
    async fn append_message(
        &self,
        conversation: &Conversation,
        message: &Message,
        bells: &[Notification],
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn accept_conversation(&self, conversation: &Conversation) -> Result<(), StoreError>;
    /// Newest first.
    async fn list_messages(
        &self,
        conversation_id: &str,
        page: &PageRequest,
    ) -> Result<Page<Message>, StoreError>;
    /// How many participant messages `member_id` has read, per conversation id.
    async fn member_seen(
        &self,
        conversation_ids: &[String],
        member_id: &str,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError>;
    async fn set_member_seen(
        &self,
        conversation_id: &str,
        member_id: &str,
        seen: i64,
    ) -> Result<(), StoreError>;
    /// The participant has read `seen` team messages; the next one may email them.
    async fn set_participant_seen(
        &self,
        conversation: &Conversation,
        seen: i64,
    ) -> Result<(), StoreError>;
    /// True when no notification email for this conversation is waiting to be read:
    /// the caller may send one.
    async fn claim_email(&self, conversation: &Conversation) -> Result<bool, StoreError>;
    async fn release_email(&self, conversation: &Conversation) -> Result<(), StoreError>;
    /// Records that the last email's outcome is unknown (SES may have sent it).
    async fn record_email_unconfirmed(
        &self,
        conversation: &Conversation,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Newest first.
    async fn list_notifications(
        &self,
        email: &str,
        page: &PageRequest,
    ) -> Result<Page<Notification>, StoreError>;
    /// `ConditionFailed` when the user has no such notification.
    async fn mark_notification_read(
        &self,
        email: &str,
        notification_id: &str,
    ) -> Result<(), StoreError>;
}

/// Email through SES, from the configured sender address.
pub trait Mailer {
    async fn send_email(&self, to: &str, email: &Email) -> Result<(), SendError>;
}

/// Phone verification codes (hashed) and verified phones, per user.
pub trait PhoneVerificationStore {
    async fn pending_code(&self, user_id: &str) -> Result<Option<PendingCode>, StoreError>;
    /// Replaces the pending code, provided it is still the one last sent at
    /// `previous_sent_at` (`None`: there was none); `ConditionFailed` otherwise.
    async fn save_code(
        &self,
        code: &PendingCode,
        previous_sent_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError>;
    /// Counts a wrong code; `ConditionFailed` once the tries are used up.
    async fn count_failed_attempt(&self, code: &PendingCode) -> Result<(), StoreError>;
    /// Records the verified phone and removes the code, in one transaction that fails
    /// (`ConditionFailed`) if the code changed or its tries ran out meanwhile.
    async fn complete_verification(
        &self,
        code: &PendingCode,
        verified: &VerifiedPhone,
    ) -> Result<(), StoreError>;
    async fn verified_phone(&self, user_id: &str) -> Result<Option<VerifiedPhone>, StoreError>;
}

/// Requests to platform support, kept as a record.
pub trait SupportStore {
    async fn create_support_request(
        &self,
        request: &SupportRequest,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
}

/// External-panel chat: the study's record of every message, both ways.
pub trait PanelChatStore {
    /// The study's participants that pass `filter`, a page at a time.
    async fn list_study_participants(
        &self,
        study_id: &str,
        filter: &ParticipantFilter,
        page: &PageRequest,
    ) -> Result<Page<Participant>, StoreError>;
    async fn find_participant_by_panel_id(
        &self,
        study_id: &str,
        panel_participant_id: &str,
    ) -> Result<Option<Participant>, StoreError>;
    async fn save_panel_message(
        &self,
        message: &PanelMessage,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError>;
    async fn get_panel_message(
        &self,
        study_id: &str,
        participant_id: &str,
        sent_at: DateTime<Utc>,
        message_id: &str,
    ) -> Result<Option<PanelMessage>, StoreError>;
    /// True when this relay may deliver the message now (not delivered, and nobody
    /// else is delivering it).
    async fn claim_delivery(
        &self,
        message: &PanelMessage,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    async fn record_delivery(
        &self,
        message: &PanelMessage,
        status: DeliveryStatus,
        attempts: i64,
    ) -> Result<(), StoreError>;
    /// Records a reply once per panel message id, with the team's bell notifications;
    /// false when it was already recorded (and nothing is written).
    async fn save_panel_reply(
        &self,
        message: &PanelMessage,
        panel_message_id: &str,
        bells: &[Notification],
    ) -> Result<bool, StoreError>;
    /// Newest first.
    async fn list_panel_messages(
        &self,
        study_id: &str,
        participant_id: &str,
        page: &PageRequest,
    ) -> Result<Page<PanelMessage>, StoreError>;
}

#[derive(Debug, Error)]
pub enum PanelError {
    /// Worth retrying (timeouts, 5xx, 429).
    #[error("panel unavailable: {0}")]
    Unavailable(String),
    /// The panel refused the message (4xx); retrying will not help.
    #[error("panel refused: {0}")]
    Rejected(String),
}

/// The external panel's API.
pub trait PanelApi {
    async fn deliver(&self, delivery: &PanelDelivery) -> Result<(), PanelError>;
}
