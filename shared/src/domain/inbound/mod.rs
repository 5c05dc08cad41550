//! Inbound texts (AWS End User Messaging two-way SMS): STOP, HELP and START, honoured
//! at once across the platform, each message processed once however often and in
//! whatever order it arrives.
//!
//! - STOP (or a plain-language request to stop): the number is opted out everywhere
//!   (every send's claim transaction checks it), an `opted_out` record is written for
//!   every workspace holding consent, and one confirmation goes back.
//! - START: the opt-out is lifted and recorded the same way, with a confirmation.
//! - HELP: one reply with product, support contact, frequency, rates and STOP line.
//! - Anything else: at most one "this number does not accept replies" a day.
//!
//! Every step is idempotent (records and replies are keyed by the inbound message),
//! and the message is marked done only at the end: a retry after a failure half-way
//! completes what the first attempt began.
pub mod keywords;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::consent::{ConsentAction, ConsentRecord, ConsentSource};
use super::{phone, DomainError};
use crate::ports::{ConsentStore, InboundStore, SmsSender, StoreError};
use keywords::Intent;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundOutcome {
    Duplicate,
    OptedOut,
    OptedIn,
    Helped,
    AutoReplied,
    /// Not answered: the day's auto-reply already went, or the sender is no number.
    Ignored,
}

pub fn help_text(settings: &InboundSettings) -> String {
    format!(
        "{}: Interview reminders and updates. Help: {}. Up to 6 msgs per event. Msg & data rates may apply. Reply STOP to opt out.",
        settings.product_name, settings.support_contact
    )
}

pub fn opt_out_text(product: &str) -> String {
    format!("{product}: You are unsubscribed and will get no more messages. Reply START to resubscribe.")
}

pub fn opt_in_text(product: &str) -> String {
    format!("{product}: You are resubscribed to interview messages. Up to 6 msgs per event. Msg & data rates may apply. Reply HELP for help, STOP to opt out.")
}

pub fn no_replies_text(product: &str) -> String {
    format!("{product}: This number does not accept replies. For help reply HELP; to stop messages reply STOP.")
}

/// A record id that is the same on every retry of the same message.
fn record_id(message_id: &str, workspace_id: &str) -> String {
    let digest = hex::encode(Sha256::digest(format!("{message_id}\n{workspace_id}")));
    format!("cr_{}", &digest[..24])
}

async fn record_everywhere<S: InboundStore + ConsentStore>(
    store: &S,
    sms: &InboundSms,
    phone: &str,
    action: ConsentAction,
) -> Result<(), DomainError> {
    let keyword = keywords::keyword(&sms.body).unwrap_or_else(|| "plain_language".to_owned());
    for workspace_id in store.consenting_workspaces(phone).await? {
        let mut record = ConsentRecord::new(
            action,
            ConsentSource::SmsKeyword,
            phone,
            &workspace_id,
            sms.received_at,
        );
        record.id = record_id(&sms.id, &workspace_id);
        record.keyword = Some(keyword.clone());
        match store.append_consent(&record, false).await {
            // Already written by an earlier attempt at this message.
            Ok(()) | Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

async fn reply_once<S: InboundStore, T: SmsSender>(
    store: &S,
    sender: &T,
    sms: &InboundSms,
    phone: &str,
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
    let intent = keywords::classify(&sms.body);
    tracing::info!(inbound_id = %sms.id, phone_last4 = %crate::telemetry::phone_last4(&phone), intent = ?intent, "inbound text");
    let outcome = match intent {
        Intent::OptOut => {
            // First the opt-out itself: from this commit on, no send can be claimed.
            store
                .set_opted_out(&phone, true, sms.received_at, &sms.id, now)
                .await?;
            record_everywhere(store, sms, &phone, ConsentAction::OptedOut).await?;
            if !crate::domain::sms::carrier::carrier_confirmed_stop(
                settings.carrier_answers_stop,
                &sms.body,
            ) {
                reply_once(
                    store,
                    sender,
                    sms,
                    &phone,
                    &opt_out_text(&settings.product_name),
                )
                .await?;
            }
            InboundOutcome::OptedOut
        }
        Intent::OptIn => {
            store
                .set_opted_out(&phone, false, sms.received_at, &sms.id, now)
                .await?;
            record_everywhere(store, sms, &phone, ConsentAction::OptedIn).await?;
            reply_once(
                store,
                sender,
                sms,
                &phone,
                &opt_in_text(&settings.product_name),
            )
            .await?;
            InboundOutcome::OptedIn
        }
        Intent::Help => {
            reply_once(store, sender, sms, &phone, &help_text(settings)).await?;
            InboundOutcome::Helped
        }
        Intent::Other => {
            let day = sms.received_at.format("%Y-%m-%d").to_string();
            if store.claim_daily_auto_reply(&phone, &day).await? {
                reply_once(
                    store,
                    sender,
                    sms,
                    &phone,
                    &no_replies_text(&settings.product_name),
                )
                .await?;
                InboundOutcome::AutoReplied
            } else {
                InboundOutcome::Ignored
            }
        }
    };
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
