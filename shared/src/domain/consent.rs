//! SMS consent: the versioned disclosure, the append-only evidence records, and the
//! current state they add up to. A person's STOP is platform-wide and only they can
//! lift it (START); staff may revoke at any time but never grant over a STOP.
use crate::domain::phone::Phone;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::enums::string_enum;
use super::pagination::{Page, PageRequest};
use super::studies::require_team;
use super::workspaces::{require_admin, require_member};
use super::{ids, phone, Caller, DomainError, TeamAsk};
use crate::ports::{
    ConsentStore, ParticipantStore, PhoneRecordStore, StoreError, StudyStore, WorkspaceStore,
};

/// The version stored on every record made from the disclosure below. Change the
/// text, change the version: a record must always say which words the person saw.
pub const DISCLOSURE_VERSION: &str = "2026-11-25.1";

pub const NOTE_MAX_CHARS: usize = 1000;

/// How many records an export reads from the store at a time.
const EXPORT_CHUNK: usize = 1_000;

/// The disclosure shown beside the phone field and recorded with a signup's consent.
pub fn disclosure_text(product_name: &str) -> String {
    format!(
        "By entering your phone number, you consent to receive messages for this event via SMS. \
         Message and data rates may apply. You may receive up to 6 messages per each event. \
         Reply STOP to opt out, HELP for help. {product_name}'s Privacy Policy and Terms of Service apply."
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    Granted,
    Revoked,
    OptedOut,
    OptedIn,
}
string_enum!(ConsentAction { Granted => "granted", Revoked => "revoked", OptedOut => "opted_out", OptedIn => "opted_in" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    SignupForm,
    SmsKeyword,
    Staff,
    ManageLink,
    /// AWS or the carrier reported that the recipient opted out.
    Carrier,
}
string_enum!(ConsentSource { SignupForm => "signup_form", SmsKeyword => "sms_keyword", Staff => "staff", ManageLink => "manage_link", Carrier => "carrier" });

/// A workspace's standing consent for a phone number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    Granted,
    Revoked,
    None,
}
string_enum!(ConsentState { Granted => "granted", Revoked => "revoked", None => "none" });

/// Where a request came from, as API Gateway reports it; kept as evidence of a signup.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// One event in the consent evidence. Records are only ever appended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConsentRecord {
    pub id: String,
    pub at: DateTime<Utc>,
    pub action: ConsentAction,
    pub phone: Phone,
    /// The participant the number belongs to, where known.
    pub person: Option<String>,
    pub workspace_id: String,
    pub study_id: Option<String>,
    pub booking_id: Option<String>,
    pub source: ConsentSource,
    /// The staff user who acted, for staff changes.
    pub actor: Option<String>,
    pub disclosure_version: Option<String>,
    pub keyword: Option<String>,
    pub note: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ConsentRecord {
    /// A record with the parts every record has; callers fill in the rest.
    pub fn new(
        action: ConsentAction,
        source: ConsentSource,
        phone: &Phone,
        workspace_id: &str,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: ids::new_id("cr"),
            at,
            action,
            phone: phone.clone(),
            person: None,
            workspace_id: workspace_id.to_owned(),
            study_id: None,
            booking_id: None,
            source,
            actor: None,
            disclosure_version: None,
            keyword: None,
            note: None,
            ip: None,
            user_agent: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ConsentStatus {
    pub phone: Phone,
    /// The platform-wide opt-out; always `false` for a number the workspace does not
    /// hold (`on_record: false`): no workspace learns what a stranger's number did.
    pub opted_out: bool,
    pub consent: ConsentState,
    /// Whether the workspace holds the number: a consent record, or a participant with it.
    pub on_record: bool,
}

fn parse_phone_query(phone: Option<&str>) -> Result<Phone, DomainError> {
    let raw = phone.ok_or_else(|| DomainError::invalid("phone", "is required"))?;
    phone::parse_e164("phone", raw).map_err(|e| DomainError::Validation(vec![e]))
}

/// The consent evidence of a workspace, oldest first: for one number, or all of them,
/// a page at a time. Only the workspace's admins may read it.
///
/// A page holds at most `page.limit` records (any number: read `EXPORT_CHUNK` at a time)
/// and at most `max_bytes` as `size` measures them in the answer's format, but always
/// one record; its `next` continues after its last record, in either format. Whatever
/// the evidence's size, no answer outgrows what a function may return.
pub async fn consent_records<S: WorkspaceStore + ConsentStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    phone: Option<&str>,
    page: &PageRequest,
    max_bytes: usize,
    size: impl Fn(&ConsentRecord) -> usize,
) -> Result<Page<ConsentRecord>, DomainError> {
    require_admin(store, workspace_id, caller).await?;
    let phone = match phone {
        Some(raw) => Some(parse_phone_query(Some(raw))?),
        None => None,
    };
    let list = |limit: usize, cursor: Option<String>| {
        let request = PageRequest {
            limit: limit as u32,
            cursor,
        };
        let phone = phone.clone();
        async move {
            store
                .list_consent_records(workspace_id, phone.as_ref(), &request)
                .await
                .map_err(DomainError::from)
        }
    };
    let rows = page.limit as usize;
    let mut items: Vec<ConsentRecord> = Vec::new();
    let mut used = 0;
    let mut cursor = page.cursor.clone();
    while items.len() < rows {
        let chunk = list((rows - items.len()).min(EXPORT_CHUNK), cursor.clone()).await?;
        let mut fit = 0;
        for record in &chunk.items {
            let bytes = size(record);
            if used + bytes > max_bytes && !(items.is_empty() && fit == 0) {
                break;
            }
            used += bytes;
            fit += 1;
        }
        if fit == chunk.items.len() {
            items.extend(chunk.items);
            cursor = chunk.next;
            if cursor.is_none() {
                break;
            }
            continue;
        }
        // Only the first `fit` belong on this page: read them again as a page of their
        // own, for the cursor after the last of them.
        if fit > 0 {
            let part = list(fit, cursor.clone()).await?;
            items.extend(part.items);
            cursor = part.next;
        }
        break;
    }
    Ok(Page {
        items,
        next: cursor,
    })
}

pub async fn consent_status<S: WorkspaceStore + ConsentStore + PhoneRecordStore>(
    store: &S,
    caller: &Caller,
    workspace_id: &str,
    phone: Option<&str>,
) -> Result<ConsentStatus, DomainError> {
    require_member(store, workspace_id, caller).await?;
    let phone = parse_phone_query(phone)?;
    let consent = store.consent_state(workspace_id, &phone).await?;
    // Every consent record moves the state, so a number without one was never given
    // at a booking or by staff consent here; a participant may still have it.
    let on_record =
        consent != ConsentState::None || store.holds_phone(workspace_id, &phone).await?;
    Ok(ConsentStatus {
        opted_out: on_record && store.is_opted_out(&phone).await?,
        consent,
        on_record,
        phone,
    })
}

/// A study team member records a consent change for a participant's phone, in the
/// study's workspace, with a note saying why. A grant never lifts a keyword STOP.
pub async fn staff_set_consent<S: StudyStore + ParticipantStore + ConsentStore>(
    store: &S,
    ask: TeamAsk<'_>,
    granted: bool,
    note: &str,
) -> Result<ConsentStatus, DomainError> {
    let (caller, now) = (ask.caller, ask.now);
    let (study, _) = require_team(store, ask.study_id, caller).await?;
    let note = note.trim();
    if note.is_empty() || note.chars().count() > NOTE_MAX_CHARS {
        return Err(DomainError::invalid(
            "note",
            "must say why, in 1 to 1000 characters",
        ));
    }
    let participant = store
        .get_participant(&study.id, ask.id)
        .await?
        .ok_or(DomainError::NotFound("participant"))?;
    let phone = participant.phone.clone().ok_or_else(|| {
        DomainError::conflict("no_phone", "the participant has no phone number on record")
    })?;
    let action = if granted {
        ConsentAction::Granted
    } else {
        ConsentAction::Revoked
    };
    let mut record = ConsentRecord::new(
        action,
        ConsentSource::Staff,
        &phone,
        &study.workspace_id,
        now,
    );
    record.person = Some(participant.id.clone());
    record.study_id = Some(study.id.clone());
    record.actor = Some(caller.user_id.clone());
    record.note = Some(note.to_owned());
    match store.append_consent(&record, granted).await {
        Ok(()) if !granted => {
            tracing::info!(participant_id = %participant.id, source = "staff", "opt-out recorded")
        }
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => {
            return Err(DomainError::conflict(
                "opted_out",
                "this number opted out by text message; only the person can opt back in (START)",
            ))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(ConsentStatus {
        opted_out: store.is_opted_out(&phone).await?,
        consent: if granted {
            ConsentState::Granted
        } else {
            ConsentState::Revoked
        },
        on_record: true,
        phone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_disclosure_names_the_product_and_the_keywords() {
        let text = disclosure_text("Rally");
        assert!(text.starts_with("By entering your phone number, you consent"));
        assert!(text.contains("up to 6 messages per each event"));
        assert!(text.contains("Reply STOP to opt out, HELP for help."));
        assert!(text.ends_with("Rally's Privacy Policy and Terms of Service apply."));
    }
}
