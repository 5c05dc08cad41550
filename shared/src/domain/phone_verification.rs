//! A signed-in person proves they hold a phone number with a code sent by SMS. Codes
//! are stored only as a hash bound to the user and the number, expire after 10 minutes,
//! allow 5 tries, and can be re-sent once a minute; how many codes a user and a phone
//! may be sent is counted (`domain::limits`, 5 an hour and 10 a day by default). A
//! number that opted out (STOP), abroad or our own is never texted a code.
use crate::domain::phone::Phone;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::destinations::SmsDestinations;
use super::limits::{self, Quota, Scope, SmsLimits, Window};
use super::{phone, Caller, DomainError};
use crate::ports::{ConsentStore, PhoneVerificationStore, RateLimitStore, SmsSender, StoreError};

pub const CODE_LIFETIME_MINUTES: i64 = 10;
pub const MAX_ATTEMPTS: i64 = 5;
pub const RESEND_AFTER_SECONDS: i64 = 60;

/// The code waiting to be entered, as stored: never the code itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingCode {
    pub user_id: String,
    pub phone: Phone,
    pub code_hash: String,
    pub expires_at: DateTime<Utc>,
    pub attempts: i64,
    pub last_sent_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedPhone {
    pub user_id: String,
    pub phone: Phone,
    pub verified_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CodeSent {
    pub status: &'static str,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PhoneVerified {
    pub phone: Phone,
    pub verified: bool,
    pub verified_at: DateTime<Utc>,
}

pub fn code_hash(user_id: &str, phone: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{user_id}\n{phone}\n{code}")))
}

/// Six random digits from the operating system's CSPRNG (via a v4 UUID).
fn new_code() -> String {
    format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000)
}

fn code_text(product: &str, code: &str) -> String {
    format!(
        "{product}: your verification code is {code}. It expires in {CODE_LIFETIME_MINUTES} minutes. Never share it."
    )
}

/// Where the code may be sent from.
pub struct CodeSettings<'a> {
    pub product_name: &'a str,
    pub sender_number: Option<&'a str>,
    pub destinations: &'a SmsDestinations,
    pub limits: &'a SmsLimits,
}

/// `POST /me/phone`: texts a new code to `raw_phone`.
pub async fn request_code<S, T>(
    store: &S,
    sender: &T,
    settings: &CodeSettings<'_>,
    caller: &Caller,
    raw_phone: &str,
    now: DateTime<Utc>,
) -> Result<CodeSent, DomainError>
where
    S: PhoneVerificationStore + ConsentStore + RateLimitStore,
    T: SmsSender,
{
    let phone = phone::parse_e164("phone", raw_phone)
        .and_then(|p| settings.destinations.check_field("phone", &p).map(|()| p))
        .map_err(|e| DomainError::Validation(vec![e]))?;
    if store.is_opted_out(&phone).await? {
        return Err(DomainError::conflict(
            "opted_out",
            "this number replied STOP; reply START from it before verifying",
        ));
    }
    let previous = store.pending_code(&caller.user_id).await?;
    if let Some(p) = previous
        .as_ref()
        .filter(|p| now - p.last_sent_at < Duration::seconds(RESEND_AFTER_SECONDS))
    {
        return Err(DomainError::RateLimited {
            message: "A code was sent less than a minute ago.".into(),
            retry_after_seconds: RESEND_AFTER_SECONDS - (now - p.last_sent_at).num_seconds(),
        });
    }
    let quotas = [
        Quota::new(
            Scope::CodesPerUser,
            &caller.user_id,
            settings.limits.codes_per_user_per_hour,
            Window::Hour,
            now,
        ),
        Quota::new(
            Scope::CodesPerPhone,
            &phone,
            settings.limits.codes_per_phone_per_day,
            Window::Day,
            now,
        ),
    ];
    limits::take(store, &quotas, now).await?;
    let code = new_code();
    let pending = PendingCode {
        user_id: caller.user_id.clone(),
        phone: phone.clone(),
        code_hash: code_hash(&caller.user_id, &phone, &code),
        expires_at: now + Duration::minutes(CODE_LIFETIME_MINUTES),
        attempts: 0,
        last_sent_at: now,
    };
    match store
        .save_code(&pending, previous.as_ref().map(|p| p.last_sent_at))
        .await
    {
        Ok(()) => {}
        // A concurrent request sent a code first.
        Err(StoreError::ConditionFailed) => {
            return Err(DomainError::RateLimited {
                message: "A code was just sent.".into(),
                retry_after_seconds: RESEND_AFTER_SECONDS,
            })
        }
        Err(e) => return Err(e.into()),
    }
    let last4 = &phone[phone.len().saturating_sub(4)..];
    sender
        .send_sms(
            &phone,
            settings.sender_number,
            &code_text(settings.product_name, &code),
            &format!("verify:{}", caller.user_id),
        )
        .await
        .map_err(|e| {
            tracing::error!(user_id = %caller.user_id, phone_last4 = %last4, error = %e, "verification code text failed");
            DomainError::DeliveryUnavailable(e.to_string())
        })?;
    tracing::info!(user_id = %caller.user_id, phone_last4 = %last4, "verification code sent");
    Ok(CodeSent {
        status: "code_sent",
        expires_at: pending.expires_at,
    })
}

/// `POST /me/phone/verify`: checks the code; the fifth wrong try ends the code.
pub async fn verify_code<S: PhoneVerificationStore>(
    store: &S,
    caller: &Caller,
    raw_code: &str,
    now: DateTime<Utc>,
) -> Result<PhoneVerified, DomainError> {
    let code = raw_code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(DomainError::invalid("code", "must be the 6 digits we sent"));
    }
    let pending = store
        .pending_code(&caller.user_id)
        .await?
        .ok_or_else(|| DomainError::conflict("no_pending_code", "request a code first"))?;
    if now >= pending.expires_at {
        return Err(DomainError::conflict(
            "code_expired",
            "the code expired; request a new one",
        ));
    }
    if pending.attempts >= MAX_ATTEMPTS {
        return Err(DomainError::conflict(
            "too_many_attempts",
            "too many wrong codes; request a new one",
        ));
    }
    if code_hash(&caller.user_id, &pending.phone, code) != pending.code_hash {
        // Counted in a conditional write, so parallel guesses cannot exceed the limit.
        return match store.count_failed_attempt(&pending).await {
            Ok(()) => Err(DomainError::invalid("code", "is not the code we sent")),
            Err(StoreError::ConditionFailed) => Err(DomainError::conflict(
                "too_many_attempts",
                "too many wrong codes; request a new one",
            )),
            Err(e) => Err(e.into()),
        };
    }
    let verified = VerifiedPhone {
        user_id: caller.user_id.clone(),
        phone: pending.phone.clone(),
        verified_at: now,
    };
    match store.complete_verification(&pending, &verified).await {
        Ok(()) => Ok(PhoneVerified {
            phone: verified.phone,
            verified: true,
            verified_at: now,
        }),
        Err(StoreError::ConditionFailed) => Err(DomainError::conflict(
            "no_pending_code",
            "the code was used or replaced; request a new one",
        )),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_hashes_bind_user_and_number() {
        let code = new_code();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        let h = code_hash("u1", "+16175550123", "123456");
        assert_ne!(h, code_hash("u2", "+16175550123", "123456"));
        assert_ne!(h, code_hash("u1", "+16175550124", "123456"));
        assert!(!h.contains("123456"));
    }
}
