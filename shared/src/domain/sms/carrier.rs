//! What the carrier said about a text we sent: delivered, or failed with a reason; and,
//! when AWS reports that the recipient opted out, the platform-wide opt-out, so our
//! state agrees with AWS's and no later claim can succeed (every claim checks
//! `OPTOUT`).
//!
//! The reports are SNS's SMS delivery-status log records ("Amazon SNS SMS delivery
//! monitoring with Amazon CloudWatch metrics and logs"): one per text SNS published,
//! in the log groups `sns/<region>/<account>/DirectPublishToPhoneNumber` and
//! `…/Failure`, each naming the Publish's message id; `functions/sms-delivery-status`
//! receives them through the groups' subscription filters and parses them. They arrive
//! at least once and in any order: each step is idempotent and the later report (by
//! the record's own time) wins.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{CarrierOutcome, CarrierStatus};
use crate::domain::consent::{ConsentAction, ConsentSource};
use crate::domain::inbound::{record_everywhere, StateCause};
use crate::domain::DomainError;
use crate::ports::{CarrierOutcomeStore, ConsentStore, InboundStore, OptOutChange};

/// Whether the carrier has already confirmed this opt-out itself: on a number whose
/// carrier answers STOP (US toll-free), a text that is the STOP keyword (any case,
/// surrounding spaces and punctuation ignored). A plain-language opt-out ("please stop
/// texting me") is ours alone to confirm.
pub fn carrier_confirmed_stop(carrier_answers_stop: bool, body: &str) -> bool {
    carrier_answers_stop
        && body
            .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
            .eq_ignore_ascii_case("STOP")
}

/// The failure reason SNS gives when the destination is on the account's opt-out list
/// ("SMS delivery failure reasons": `Phone number is opted out`). The only report on
/// this path that says the recipient asked not to get texts; a block by the phone or
/// the carrier, an unreachable or invalid number are not the person's wish.
pub const OPTED_OUT_RESPONSE: &str = "Phone number is opted out";

/// One delivery report, as the domain needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarrierEvent {
    /// The id SNS gave the message when it accepted it (the record's
    /// `notification.messageId`).
    pub message_id: String,
    /// The record's `status`: `SUCCESS` or `FAILURE`.
    pub status: String,
    /// The record's `delivery.providerResponse`: the carrier's answer or the reason
    /// for the failure.
    pub provider_response: Option<String>,
    /// The record's `delivery.destination`, used only when the text is not one of ours
    /// and only if it is a whole E.164 number.
    pub destination: Option<String>,
    /// When SNS reported it.
    pub at: DateTime<Utc>,
}

/// What a report means for the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub status: CarrierStatus,
    /// AWS reports that the recipient opted out.
    pub opted_out: bool,
}

/// The meaning of a delivery-status record: `SUCCESS` is delivered (SNS's example:
/// "Message has been accepted by phone carrier"), `FAILURE` is failed for the reason
/// in `providerResponse`, an opt-out only for [`OPTED_OUT_RESPONSE`]. `None` for a
/// status SNS does not document.
pub fn verdict(status: &str, provider_response: Option<&str>) -> Option<Verdict> {
    match status {
        "SUCCESS" => Some(Verdict {
            status: CarrierStatus::Delivered,
            opted_out: false,
        }),
        "FAILURE" => Some(Verdict {
            status: CarrierStatus::Failed,
            opted_out: provider_response
                .is_some_and(|r| r.trim().eq_ignore_ascii_case(OPTED_OUT_RESPONSE)),
        }),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarrierEventOutcome {
    /// Recorded on the text's log entry.
    Recorded,
    /// A later report was already recorded (or the entry is gone).
    Superseded,
    /// No text of ours has that message id (a STOP/HELP reply, a code).
    UnknownMessage,
    /// A status SNS does not document: nothing recorded.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CarrierEventReport {
    pub outcome: CarrierEventOutcome,
    /// Whether the report set the platform-wide opt-out.
    pub opted_out: bool,
}

/// Records one delivery report (see the module comment). An opt-out is set first,
/// through the same port and records as a STOP (source `carrier`), on the number the
/// text went to.
pub async fn record_carrier_event<S>(
    store: &S,
    event: &CarrierEvent,
    now: DateTime<Utc>,
) -> Result<CarrierEventReport, DomainError>
where
    S: CarrierOutcomeStore + InboundStore + ConsentStore,
{
    let Some(verdict) = verdict(&event.status, event.provider_response.as_deref()) else {
        tracing::warn!(message_id = %event.message_id, status = %event.status, "delivery report with an undocumented status; not recorded");
        return Ok(CarrierEventReport {
            outcome: CarrierEventOutcome::Unknown,
            opted_out: false,
        });
    };
    let text = store.find_text(&event.message_id).await?;
    let mut opted_out = false;
    if verdict.opted_out {
        opted_out = record_opt_out(store, event, text.as_ref(), now).await?;
    }
    let Some(text) = text else {
        tracing::info!(message_id = %event.message_id, status = %event.status, "delivery report for a message no intent sent");
        return Ok(CarrierEventReport {
            outcome: CarrierEventOutcome::UnknownMessage,
            opted_out,
        });
    };
    let reason = (verdict.status == CarrierStatus::Failed).then(|| {
        event
            .provider_response
            .clone()
            .unwrap_or_else(|| event.status.clone())
    });
    let outcome = CarrierOutcome {
        status: verdict.status,
        reason,
        at: event.at,
    };
    let recorded = store.record_carrier_outcome(&text, &outcome).await?;
    tracing::info!(booking_id = %text.booking_id, intent_id = %text.intent_id, message_id = %event.message_id, delivery_status = verdict.status.as_str(), recorded, "carrier outcome");
    Ok(CarrierEventReport {
        outcome: if recorded {
            CarrierEventOutcome::Recorded
        } else {
            CarrierEventOutcome::Superseded
        },
        opted_out,
    })
}

/// The platform-wide opt-out for the number the text went to (kept with its message
/// id), else the record's destination when it is a whole number. `true` if it stands.
async fn record_opt_out<S>(
    store: &S,
    event: &CarrierEvent,
    text: Option<&super::TextRef>,
    now: DateTime<Utc>,
) -> Result<bool, DomainError>
where
    S: InboundStore + ConsentStore,
{
    let phone = text.and_then(|t| t.phone.clone()).or_else(|| {
        event
            .destination
            .as_deref()
            .and_then(|d| crate::domain::phone::parse_e164("destination", d).ok())
    });
    let Some(phone) = phone else {
        tracing::error!(message_id = %event.message_id, "AWS reports an opt-out for a text whose number is unknown; not recorded");
        return Ok(false);
    };
    let event_id = format!("carrier:{}", event.message_id);
    let change = store
        .set_opted_out(&phone, true, event.at, &event_id, now)
        .await?;
    if change == OptOutChange::Changed {
        let cause = StateCause {
            event_id: &event_id,
            at: event.at,
            source: ConsentSource::Carrier,
            keyword: None,
            note: event.provider_response.clone(),
        };
        record_everywhere(store, &cause, &phone, ConsentAction::OptedOut).await?;
        tracing::info!(message_id = %event.message_id, source = "carrier", "opt-out recorded");
    }
    tracing::info!(message_id = %event.message_id, phone_last4 = %crate::telemetry::phone_last4(&phone), change = ?change, "AWS reports the recipient opted out; recorded platform-wide");
    Ok(change != OptOutChange::Stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_stop_keyword_on_a_carrier_that_answers_it_is_confirmed_by_the_carrier() {
        assert!(carrier_confirmed_stop(true, "STOP"));
        assert!(carrier_confirmed_stop(true, " stop. "));
        assert!(!carrier_confirmed_stop(true, "please stop texting me"));
        assert!(!carrier_confirmed_stop(false, "STOP"));
    }

    #[test]
    fn success_is_delivered_and_only_the_opted_out_reason_is_an_opt_out() {
        let delivered = verdict(
            "SUCCESS",
            Some("Message has been accepted by phone carrier"),
        );
        assert_eq!(
            delivered,
            Some(Verdict {
                status: CarrierStatus::Delivered,
                opted_out: false
            })
        );
        let opted_out = verdict("FAILURE", Some("Phone number is opted out")).unwrap();
        assert_eq!(opted_out.status, CarrierStatus::Failed);
        assert!(opted_out.opted_out);
        // Every other documented failure reason: not delivered, and not the person's wish.
        for reason in [
            "Blocked as spam by phone carrier",
            "Destination is blacklisted",
            "Invalid phone number",
            "Message body is invalid",
            "Phone carrier has blocked this message",
            "Phone carrier is currently unreachable/unavailable",
            "Phone has blocked SMS",
            "Phone is blacklisted",
            "Phone is currently unreachable/unavailable",
            "This delivery would exceed max price",
            "Unknown error attempting to reach phone",
        ] {
            let v = verdict("FAILURE", Some(reason)).unwrap();
            assert_eq!(v.status, CarrierStatus::Failed, "{reason}");
            assert!(!v.opted_out, "{reason} is not an opt-out");
        }
        assert_eq!(verdict("PENDING", None), None);
    }
}
