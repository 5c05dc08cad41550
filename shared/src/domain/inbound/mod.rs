//! Inbound texts (AWS End User Messaging two-way SMS): STOP, HELP and START, honoured
//! at once across the platform, each message processed once however often and in
//! whatever order it arrives.
//!
//! Replies follow the state:
//! - an opt-out (a keyword or a plain-language revocation): the number is opted out
//!   everywhere (every send's claim transaction checks it), an `opted_out` record is
//!   written for every workspace holding consent, and one confirmation goes back: only
//!   when the state changed. A second STOP changes nothing and gets no answer.
//! - START, UNSTOP or YES lifts an opt-out the same way, with a confirmation; from a
//!   number that has none it changes nothing, writes no record and is an ordinary reply.
//! - texts are ordered by their inbound time: a STOP older than the START that
//!   decided the state (or the reverse) changes nothing and gets no answer.
//! - an opted-out number gets no automatic answer of any kind but that one
//!   confirmation: no HELP text, no "does not accept replies", no how-to-stop line.
//! - HELP: one reply with product, support contact, frequency, rates and STOP line.
//! - a text that may be a revocation but is not clearly one: at most one reply a day
//!   saying exactly how to stop.
//! - anything else: at most one "this number does not accept replies" a day.
//!
//! Every step is idempotent (records and replies are keyed by the inbound message),
//! and the message is marked done only at the end: a retry after a failure half-way
//! completes what the first attempt began.
mod another_channel;
mod asked_back;
mod asks_nothing;
mod clause;
pub mod confirmations;
#[cfg(test)]
mod corpus;
pub mod development;
mod exclamations;
#[cfg(test)]
mod fold_in_tests;
mod keyword_senses;
pub mod keywords;
#[cfg(test)]
mod kinds_tests;
pub mod language;
pub mod lexicon;
mod lists;
mod matching;
pub mod model;
mod negation;
mod neighbours;
mod objects;
mod quotes;
pub mod reading;
#[cfg(test)]
mod rules_tests;
mod text;
mod wishes;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::consent::{ConsentAction, ConsentRecord, ConsentSource};
use super::phone::{self, Phone};
use super::DomainError;
use crate::ports::{AutoReply, ConsentStore, InboundStore, OptOutChange, SmsSender, StoreError};
use keywords::Intent;
use lexicon::Lang;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundSms {
    /// `inboundMessageId`: the key that makes redelivery harmless.
    pub id: String,
    /// `originationNumber`: the person's phone.
    pub from: String,
    /// `destinationNumber`: our number, which replies go out from.
    pub to: String,
    pub body: String,
    /// When AWS received it; orders opt-outs and opt-ins that arrive out of order.
    pub received_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct InboundSettings {
    pub product_name: String,
    pub support_contact: String,
    /// The carrier answers STOP itself (a US toll-free number): no confirmation of ours.
    pub carrier_answers_stop: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InboundOutcome {
    Duplicate,
    OptedOut,
    /// An opt-out from a number already opted out: nothing written, no answer.
    AlreadyOptedOut,
    OptedIn,
    /// Older than the message that decided the state: nothing changed, no answer.
    Stale,
    Helped,
    /// May be a revocation: told exactly how to stop.
    ToldHowToStop,
    AutoReplied,
    /// Not answered: the number is opted out.
    Silent,
    /// Not answered: the day's answer already went, or the sender is no number.
    Ignored,
}

pub fn help_text(settings: &InboundSettings) -> String {
    format!(
        "{}: Interview reminders and updates. Help: {}. Up to 6 msgs per event. Msg & data rates may apply. Reply STOP to opt out.",
        settings.product_name, settings.support_contact
    )
}

/// The opt-out confirmation, in the language the person wrote in.
pub fn opt_out_text(lang: Lang, product: &str) -> String {
    confirmations::opt_out_text(lang, product)
}

pub fn opt_in_text(product: &str) -> String {
    format!("{product}: You are resubscribed to interview messages. Up to 6 msgs per event. Msg & data rates may apply. Reply HELP for help, STOP to opt out.")
}

pub fn how_to_stop_text(product: &str) -> String {
    format!("{product}: To stop all texts from {product}, reply STOP. To keep getting your interview texts, no reply is needed.")
}

pub fn no_replies_text(product: &str) -> String {
    format!("{product}: This number does not accept replies. For help reply HELP; to stop messages reply STOP.")
}

/// A record id that is the same on every retry of the same message.
fn record_id(message_id: &str, workspace_id: &str) -> String {
    let digest = hex::encode(Sha256::digest(format!("{message_id}\n{workspace_id}")));
    format!("cr_{}", &digest[..24])
}

/// The platform-wide opt-out or opt-in, written into every workspace that holds consent
/// for the number: one record each, its id fixed by the event that moved the state and
/// the workspace, so a retried event writes nothing twice. A STOP and a carrier's
/// opt-out report both come through here.
pub(crate) async fn record_everywhere<S: InboundStore + ConsentStore>(
    store: &S,
    cause: &StateCause<'_>,
    phone: &Phone,
    action: ConsentAction,
) -> Result<(), DomainError> {
    for workspace_id in store.consenting_workspaces(phone).await? {
        let mut record = ConsentRecord::new(action, cause.source, phone, &workspace_id, cause.at);
        record.id = record_id(cause.event_id, &workspace_id);
        record.keyword = cause.keyword.clone();
        record.note = cause.note.clone();
        match store.append_consent(&record, false).await {
            // Already written by an earlier attempt at this event.
            Ok(()) | Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// What moved a number's platform-wide state: the event (an inbound text, a carrier's
/// report), when, and how the records name it.
pub(crate) struct StateCause<'a> {
    pub event_id: &'a str,
    pub at: DateTime<Utc>,
    pub source: ConsentSource,
    pub keyword: Option<String>,
    pub note: Option<String>,
}

impl<'a> StateCause<'a> {
    fn inbound(sms: &'a InboundSms) -> Self {
        Self {
            event_id: &sms.id,
            at: sms.received_at,
            source: ConsentSource::SmsKeyword,
            keyword: Some(
                keywords::keyword(&sms.body).unwrap_or_else(|| "plain_language".to_owned()),
            ),
            note: None,
        }
    }
}

async fn reply_once<S: InboundStore, T: SmsSender>(
    store: &S,
    sender: &T,
    sms: &InboundSms,
    phone: &Phone,
    text: &str,
) -> Result<(), DomainError> {
    if !store.claim_reply(&sms.id).await? {
        return Ok(());
    }
    let last4 = crate::telemetry::phone_last4(phone);
    if let Err(e) = sender.send_sms(phone, Some(&sms.to), text, &sms.id).await {
        // The reply is at most once: a failure is logged for a person, not retried.
        tracing::error!(inbound_id = %sms.id, phone_last4 = %last4, error = %e, "reply to an inbound text failed");
    } else {
        tracing::info!(inbound_id = %sms.id, phone_last4 = %last4, "replied to an inbound text");
    }
    Ok(())
}

/// Which way the state moves: an opt-out (confirmed in the language it was asked in)
/// or an opt-in.
#[derive(Clone, Copy)]
enum Move {
    /// In this language, read by a keyword or not (the dashboard counts both).
    OptOut(Lang, bool),
    OptIn,
}

/// An opt-out or an opt-in: the state moves, then (only if it did) the records and
/// the one confirmation.
async fn move_state<S, T>(
    store: &S,
    sender: &T,
    settings: &InboundSettings,
    sms: &InboundSms,
    phone: &Phone,
    to: Move,
    now: DateTime<Utc>,
) -> Result<InboundOutcome, DomainError>
where
    S: InboundStore + ConsentStore,
    T: SmsSender,
{
    let (opt_out, lang) = match to {
        Move::OptOut(lang, _) => (true, lang),
        Move::OptIn => (false, Lang::En),
    };
    // From this commit on (an opt-out), no send can be claimed.
    let change = store
        .set_opted_out(phone, opt_out, sms.received_at, &sms.id, now)
        .await?;
    match (change, opt_out) {
        (OptOutChange::Changed, true) => {
            record_everywhere(
                store,
                &StateCause::inbound(sms),
                phone,
                ConsentAction::OptedOut,
            )
            .await?;
            let source = match to {
                Move::OptOut(_, true) => "sms_keyword",
                _ => "sms_plain_words",
            };
            tracing::info!(inbound_id = %sms.id, source, "opt-out recorded");
            // On a US toll-free number the carrier itself confirms a STOP.
            let carrier_confirmed = crate::domain::sms::carrier::carrier_confirmed_stop(
                settings.carrier_answers_stop,
                &sms.body,
            );
            if !carrier_confirmed {
                let text = opt_out_text(lang, &settings.product_name);
                reply_once(store, sender, sms, phone, &text).await?;
            }
            Ok(InboundOutcome::OptedOut)
        }
        (OptOutChange::Changed, false) => {
            record_everywhere(
                store,
                &StateCause::inbound(sms),
                phone,
                ConsentAction::OptedIn,
            )
            .await?;
            let text = opt_in_text(&settings.product_name);
            reply_once(store, sender, sms, phone, &text).await?;
            Ok(InboundOutcome::OptedIn)
        }
        (OptOutChange::Unchanged, true) => Ok(InboundOutcome::AlreadyOptedOut),
        // START or YES from a number that has no opt-out: an ordinary reply.
        (OptOutChange::Unchanged, false) => {
            answer_daily(store, sender, settings, sms, phone, AutoReply::NoReplies).await
        }
        (OptOutChange::Stale, _) => Ok(InboundOutcome::Stale),
    }
}

/// An automatic answer at most once a day per kind, and never to an opted-out number.
async fn answer_daily<S, T>(
    store: &S,
    sender: &T,
    settings: &InboundSettings,
    sms: &InboundSms,
    phone: &Phone,
    kind: AutoReply,
) -> Result<InboundOutcome, DomainError>
where
    S: InboundStore + ConsentStore,
    T: SmsSender,
{
    if store.is_opted_out(phone).await? {
        return Ok(InboundOutcome::Silent);
    }
    let day = sms.received_at.format("%Y-%m-%d").to_string();
    if !store.claim_daily_auto_reply(phone, &day, kind).await? {
        return Ok(InboundOutcome::Ignored);
    }
    let product = &settings.product_name;
    let (text, outcome) = match kind {
        AutoReply::NoReplies => (no_replies_text(product), InboundOutcome::AutoReplied),
        AutoReply::HowToStop => (how_to_stop_text(product), InboundOutcome::ToldHowToStop),
    };
    reply_once(store, sender, sms, phone, &text).await?;
    Ok(outcome)
}

pub async fn handle_inbound<S, T>(
    store: &S,
    sender: &T,
    settings: &InboundSettings,
    sms: &InboundSms,
    now: DateTime<Utc>,
) -> Result<InboundOutcome, DomainError>
where
    S: InboundStore + ConsentStore,
    T: SmsSender,
{
    if store.inbound_done(&sms.id).await? {
        return Ok(InboundOutcome::Duplicate);
    }
    let Ok(phone) = phone::parse_e164("originationNumber", &sms.from) else {
        tracing::warn!(inbound_id = %sms.id, "inbound text from something that is not a phone number; ignored");
        store.mark_inbound_done(&sms.id, now).await?;
        return Ok(InboundOutcome::Ignored);
    };
    let reading = reading::read(&sms.body, &settings.product_name);
    let intent = reading.intent;
    let lang = reading.lang;
    let outcome = match intent {
        Intent::OptOut => {
            move_state(
                store,
                sender,
                settings,
                sms,
                &phone,
                Move::OptOut(lang, reading.basis == reading::Basis::Keyword),
                now,
            )
            .await?
        }
        Intent::OptIn => move_state(store, sender, settings, sms, &phone, Move::OptIn, now).await?,
        Intent::Help => {
            if store.is_opted_out(&phone).await? {
                InboundOutcome::Silent
            } else {
                reply_once(store, sender, sms, &phone, &help_text(settings)).await?;
                InboundOutcome::Helped
            }
        }
        Intent::Unclear => {
            answer_daily(store, sender, settings, sms, &phone, AutoReply::HowToStop).await?
        }
        Intent::Other => {
            answer_daily(store, sender, settings, sms, &phone, AutoReply::NoReplies).await?
        }
    };
    tracing::info!(
        inbound_id = %sms.id,
        phone_last4 = %crate::telemetry::phone_last4(&phone),
        intent = ?intent,
        lang = ?lang,
        outcome = ?outcome,
        "inbound text"
    );
    store.mark_inbound_done(&sms.id, now).await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_says_what_the_carriers_require() {
        let text = help_text(&InboundSettings {
            product_name: "Rally".into(),
            support_contact: "support@rally.example".into(),
            carrier_answers_stop: false,
        });
        for part in [
            "Rally",
            "support@rally.example",
            "Up to 6 msgs per event",
            "Msg & data rates may apply",
            "Reply STOP to opt out",
        ] {
            assert!(text.contains(part), "{text}");
        }
    }

    #[test]
    fn record_ids_repeat_for_the_same_message_and_workspace() {
        assert_eq!(record_id("m1", "ws1"), record_id("m1", "ws1"));
        assert_ne!(record_id("m1", "ws1"), record_id("m1", "ws2"));
        assert_ne!(record_id("m1", "ws1"), record_id("m2", "ws1"));
    }
}
