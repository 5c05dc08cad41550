//! The local stand-in for the external panel's API: `POST /_dev/panel/messages` takes
//! what the relay posts (checking its bearer key and dropping message ids it has seen,
//! as a real panel would), and `/_dev/outbox` shows what it received. Tests make it
//! fail the next N deliveries for one panel participant with `POST /_dev/panel/fail`.
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

pub const LOCAL_PANEL_API_KEY: &str = "local-panel-api-key";

#[derive(Default)]
struct State {
    received: Vec<Value>,
    seen: HashSet<String>,
    failures: HashMap<String, u32>,
    attempts: u64,
}

#[derive(Default)]
pub struct PanelStandIn {
    state: Mutex<State>,
}

pub enum Answer {
    Accepted,
    Duplicate,
    Unauthorized,
    Unavailable,
    BadRequest,
}

impl PanelStandIn {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn receive(
        &self,
        authorization: Option<&str>,
        idempotency_key: Option<&str>,
        body: &[u8],
    ) -> Answer {
        if authorization != Some(&format!("Bearer {LOCAL_PANEL_API_KEY}")) {
            return Answer::Unauthorized;
        }
        let Ok(message) = serde_json::from_slice::<Value>(body) else {
            return Answer::BadRequest;
        };
        let Some(panel_participant_id) =
            message.get("panel_participant_id").and_then(Value::as_str)
        else {
            return Answer::BadRequest;
        };
        let mut state = self.lock();
        state.attempts += 1;
        if let Some(left) = state.failures.get_mut(panel_participant_id) {
            if *left > 0 {
                *left -= 1;
                return Answer::Unavailable;
            }
        }
        let id = idempotency_key
            .map(str::to_owned)
            .or_else(|| {
                message
                    .get("message_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        if !state.seen.insert(id) {
            return Answer::Duplicate;
        }
        state.received.push(json!({
            "panel_participant_id": panel_participant_id,
            "body": message.get("body").cloned().unwrap_or(Value::Null),
            "message_id": message.get("message_id").cloned().unwrap_or(Value::Null),
            "study_id": message.get("study_id").cloned().unwrap_or(Value::Null),
        }));
        Answer::Accepted
    }

    pub fn fail_next(&self, panel_participant_id: &str, count: u32) {
        self.lock()
            .failures
            .insert(panel_participant_id.to_owned(), count);
    }

    pub fn received(&self) -> Vec<Value> {
        self.lock().received.clone()
    }
}
