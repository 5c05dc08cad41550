//! The reply rules, in the domain, over a store held in memory (the DynamoDB adapter is
//! tested end to end through `POST /_dev/sms/inbound` in `tests/system/inbound.rs`).
use crate::domain::phone::Phone as E164;
use std::collections::HashSet;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::domain::consent::ConsentState;
use crate::domain::pagination::{Page, PageRequest};
use crate::ports::SendError;

#[derive(Default)]
struct Memory {
    /// (opted out, inbound time of the deciding message, message that last flipped it)
    opt_out: Mutex<Option<(bool, DateTime<Utc>, String)>>,
    workspaces: Vec<String>,
    records: Mutex<Vec<ConsentRecord>>,
    markers: Mutex<HashSet<String>>,
    sent: Mutex<Vec<String>>,
}

impl InboundStore for Memory {
    async fn inbound_done(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.markers.lock().unwrap().contains(&format!("done/{id}")))
    }
    async fn mark_inbound_done(&self, id: &str, _: DateTime<Utc>) -> Result<(), StoreError> {
        self.markers.lock().unwrap().insert(format!("done/{id}"));
        Ok(())
    }
    async fn set_opted_out(
        &self,
        _: &E164,
        opted_out: bool,
        at: DateTime<Utc>,
        id: &str,
        _: DateTime<Utc>,
    ) -> Result<OptOutChange, StoreError> {
        let mut state = self.opt_out.lock().unwrap();
        let (current, decided_at, changed_by) =
            state
                .clone()
                .unwrap_or((false, DateTime::<Utc>::MIN_UTC, String::new()));
        if changed_by == id {
            return Ok(OptOutChange::Changed);
        }
        if decided_at > at {
            return Ok(OptOutChange::Stale);
        }
        if current == opted_out {
            *state = Some((current, at, changed_by));
            return Ok(OptOutChange::Unchanged);
        }
        *state = Some((opted_out, at, id.to_owned()));
        Ok(OptOutChange::Changed)
    }
    async fn consenting_workspaces(&self, _: &E164) -> Result<Vec<String>, StoreError> {
        Ok(self.workspaces.clone())
    }
    async fn claim_reply(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.markers.lock().unwrap().insert(format!("reply/{id}")))
    }
    async fn claim_daily_auto_reply(
        &self,
        phone: &E164,
        day: &str,
        kind: AutoReply,
    ) -> Result<bool, StoreError> {
        Ok(self
            .markers
            .lock()
            .unwrap()
            .insert(format!("auto/{phone}/{day}/{kind:?}")))
    }
}

impl ConsentStore for Memory {
    async fn list_consent_records(
        &self,
        _: &str,
        _: Option<&E164>,
        _: &PageRequest,
    ) -> Result<Page<ConsentRecord>, StoreError> {
        unreachable!("not used by the inbound handler")
    }
    async fn consent_state(&self, _: &str, _: &E164) -> Result<ConsentState, StoreError> {
        Ok(ConsentState::Granted)
    }
    async fn is_opted_out(&self, _: &E164) -> Result<bool, StoreError> {
        Ok(self.opt_out.lock().unwrap().as_ref().is_some_and(|s| s.0))
    }
    async fn append_consent(&self, record: &ConsentRecord, _: bool) -> Result<(), StoreError> {
        let mut records = self.records.lock().unwrap();
        if records.iter().any(|r| r.id == record.id) {
            return Err(StoreError::ConditionFailed);
        }
        records.push(record.clone());
        Ok(())
    }
}

impl SmsSender for Memory {
    async fn send_sms(
        &self,
        _: &str,
        _: Option<&str>,
        body: &str,
        _: &str,
    ) -> Result<String, SendError> {
        let mut sent = self.sent.lock().unwrap();
        sent.push(body.to_owned());
        Ok(format!("msg-{}", sent.len()))
    }
}

const PHONE: &str = "+16175550142";

fn number() -> E164 {
    crate::domain::phone::parse_e164("phone", PHONE).expect("a valid number")
}

fn settings() -> InboundSettings {
    InboundSettings {
        product_name: "Rally".into(),
        support_contact: "support@rally.example".into(),
        carrier_answers_stop: false,
    }
}

fn t0() -> DateTime<Utc> {
    "2026-12-01T14:00:00Z".parse().unwrap()
}

struct Phone {
    store: Memory,
    next: usize,
}

impl Phone {
    fn new() -> Self {
        Phone {
            store: Memory {
                workspaces: vec!["ws_a".into(), "ws_b".into()],
                ..Memory::default()
            },
            next: 0,
        }
    }

    /// Texts `body`, sent `minutes` after t0; what the handler did.
    async fn text(&mut self, body: &str, minutes: i64) -> InboundOutcome {
        self.next += 1;
        let sms = InboundSms {
            id: format!("m{}", self.next),
            from: PHONE.into(),
            to: "+16175550100".into(),
            body: body.into(),
            received_at: t0() + Duration::minutes(minutes),
        };
        self.replay(&sms).await
    }

    async fn replay(&self, sms: &InboundSms) -> InboundOutcome {
        handle_inbound(&self.store, &self.store, &settings(), sms, Utc::now())
            .await
            .unwrap()
    }

    fn sent(&self) -> Vec<String> {
        self.store.sent.lock().unwrap().clone()
    }

    fn records(&self) -> Vec<ConsentAction> {
        self.store
            .records
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.action)
            .collect()
    }
}

#[tokio::test]
async fn an_opt_out_records_every_workspace_and_confirms_once() {
    let mut p = Phone::new();
    assert_eq!(p.text("Please stop", 0).await, InboundOutcome::OptedOut);
    assert_eq!(
        p.records(),
        [ConsentAction::OptedOut, ConsentAction::OptedOut]
    );
    assert_eq!(p.sent().len(), 1);
    assert!(p.sent()[0].contains("unsubscribed"));
}

#[tokio::test]
async fn a_second_stop_changes_nothing_and_gets_no_answer() {
    let mut p = Phone::new();
    p.text("STOP", 0).await;
    assert_eq!(
        p.text("stop stop", 1).await,
        InboundOutcome::AlreadyOptedOut
    );
    assert_eq!(p.text("STOP", 2).await, InboundOutcome::AlreadyOptedOut);
    assert_eq!(p.sent().len(), 1, "{:?}", p.sent());
    assert_eq!(p.records().len(), 2, "one record per workspace, once");
}

#[tokio::test]
async fn start_or_yes_from_a_number_never_opted_out_writes_nothing() {
    for word in ["START", "YES", "unstop"] {
        let mut p = Phone::new();
        assert_eq!(p.text(word, 0).await, InboundOutcome::AutoReplied, "{word}");
        assert!(p.records().is_empty(), "{word}: {:?}", p.records());
        assert!(p.sent()[0].contains("does not accept replies"), "{word}");
    }
}

#[tokio::test]
async fn start_lifts_an_opt_out_with_records_and_a_confirmation() {
    let mut p = Phone::new();
    p.text("STOP", 0).await;
    assert_eq!(p.text("YES", 1).await, InboundOutcome::OptedIn);
    assert_eq!(p.records().last(), Some(&ConsentAction::OptedIn));
    assert!(p.sent()[1].contains("resubscribed"));
}

#[tokio::test]
async fn an_opted_out_number_gets_no_automatic_answer_of_any_kind() {
    let mut p = Phone::new();
    p.text("STOP", 0).await;
    for body in ["HELP", "See you then", "Cancel my interview please", "🛑"] {
        assert_eq!(p.text(body, 1).await, InboundOutcome::Silent, "{body}");
    }
    assert_eq!(p.sent().len(), 1, "{:?}", p.sent());
}

#[tokio::test]
async fn a_stale_stop_never_overrides_a_newer_start_and_the_reverse() {
    let mut p = Phone::new();
    p.text("STOP", 0).await;
    p.text("START", 10).await;
    assert_eq!(p.text("STOP", 5).await, InboundOutcome::Stale);
    assert!(!p.store.is_opted_out(&number()).await.unwrap());
    assert_eq!(p.sent().len(), 2, "no answer to the stale STOP");

    let mut q = Phone::new();
    q.text("STOP", 10).await;
    assert_eq!(q.text("START", 5).await, InboundOutcome::Stale);
    assert!(q.store.is_opted_out(&number()).await.unwrap());
    assert_eq!(q.sent().len(), 1);
}

#[tokio::test]
async fn a_possible_revocation_gets_one_how_to_stop_reply_a_day() {
    let mut p = Phone::new();
    assert_eq!(
        p.text("Remove the 3pm slot?", 0).await,
        InboundOutcome::ToldHowToStop
    );
    assert_eq!(
        p.text("Cancel my interview please", 1).await,
        InboundOutcome::Ignored
    );
    assert!(!p.store.is_opted_out(&number()).await.unwrap());
    assert_eq!(p.sent().len(), 1);
    assert!(p.sent()[0].contains("reply STOP"), "{:?}", p.sent());
    // The ordinary answer is a separate one.
    assert_eq!(p.text("See you then", 2).await, InboundOutcome::AutoReplied);
}

#[tokio::test]
async fn on_a_toll_free_number_the_carriers_stop_confirmation_is_not_doubled() {
    let mut p = Phone::new();
    let toll_free = InboundSettings {
        carrier_answers_stop: true,
        ..settings()
    };
    p.next += 1;
    let sms = InboundSms {
        id: "m-tf".into(),
        from: PHONE.into(),
        to: "+18005550100".into(),
        body: "STOP".into(),
        received_at: t0(),
    };
    let outcome = handle_inbound(&p.store, &p.store, &toll_free, &sms, Utc::now())
        .await
        .unwrap();
    assert_eq!(outcome, InboundOutcome::OptedOut);
    assert!(p.sent().is_empty(), "{:?}", p.sent());
    assert_eq!(p.records().len(), 2);
    // A plain-language opt-out the carrier does not answer still gets ours.
    let mut q = Phone::new();
    q.next += 1;
    let plain = InboundSms {
        body: "please stop texting me".into(),
        ..sms
    };
    handle_inbound(&q.store, &q.store, &toll_free, &plain, Utc::now())
        .await
        .unwrap();
    assert_eq!(q.sent().len(), 1);
}

#[tokio::test]
async fn a_retried_opt_out_finishes_what_it_began_and_confirms_once() {
    let p = Phone::new();
    let sms = InboundSms {
        id: "m-retry".into(),
        from: PHONE.into(),
        to: "+16175550100".into(),
        body: "take me off your list".into(),
        received_at: t0(),
    };
    assert_eq!(p.replay(&sms).await, InboundOutcome::OptedOut);
    // As if the first attempt had died before marking the message done.
    p.store.markers.lock().unwrap().remove("done/m-retry");
    assert_eq!(p.replay(&sms).await, InboundOutcome::OptedOut);
    assert_eq!(p.sent().len(), 1);
    assert_eq!(p.records().len(), 2);
}

#[test]
fn the_model_reads_what_no_lexicon_lists_but_never_moves_a_keyword_or_a_doubt() {
    use super::reading::{read, structured, Basis};
    // Typos of a keyword the structured reading does not match: the model's.
    for typo in ["qiut", "cancle"] {
        assert_eq!(structured(typo, "Rally").basis, Basis::Rest, "{typo}");
        assert_eq!(read(typo, "Rally").intent, Intent::OptOut, "{typo}");
    }
    // Keywords stay deterministic, a complaint keeps its one clarifying reply, and an
    // ordinary reply stays ordinary.
    assert_eq!(read("STOP", "Rally").intent, Intent::OptOut);
    assert_eq!(
        read("Cancel my interview please", "Rally").intent,
        Intent::Unclear
    );
    assert_eq!(read("spam", "Rally").intent, Intent::Unclear);
    assert_eq!(read("great, see you then", "Rally").intent, Intent::Other);
}
