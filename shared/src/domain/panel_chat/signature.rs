//! The panel's webhook signature: `X-Panel-Signature: sha256=<hex HMAC-SHA256 of
//! "<timestamp>.<raw body>">` under the shared secret, with `X-Panel-Timestamp` (unix
//! seconds) at most 5 minutes from now either way. The comparison is constant-time.
use hmac::{Hmac, Mac};
use sha2::Sha256;
use thiserror::Error;

pub const TOLERANCE_SECONDS: i64 = 5 * 60;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("X-Panel-Timestamp missing or not unix seconds")]
    BadTimestamp,
    #[error("the timestamp is more than 5 minutes from now")]
    Stale,
    #[error("X-Panel-Signature missing or not sha256=<hex>")]
    BadSignatureHeader,
    #[error("the signature does not match")]
    Mismatch,
    #[error("no webhook secret is configured")]
    NoSecret,
}

pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

pub fn verify(
    secret: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_unix: i64,
) -> Result<(), SignatureError> {
    if secret.is_empty() {
        return Err(SignatureError::NoSecret);
    }
    let raw_timestamp = timestamp
        .map(str::trim)
        .ok_or(SignatureError::BadTimestamp)?;
    let ts: i64 = raw_timestamp
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    if (now_unix - ts).abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    let expected = signature
        .and_then(|s| s.trim().strip_prefix("sha256="))
        .and_then(|h| hex::decode(h).ok())
        .ok_or(SignatureError::BadSignatureHeader)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| SignatureError::NoSecret)?;
    // Signed over the header's own digits, exactly as sent.
    mac.update(raw_timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_fresh_correct_signature_verifies() {
        let sig = sign(b"secret", NOW, b"{}");
        assert_eq!(
            verify(
                b"secret",
                Some(&NOW.to_string()),
                Some(&sig),
                b"{}",
                NOW + 299
            ),
            Ok(())
        );
    }

    #[test]
    fn forged_stale_and_malformed_are_refused() {
        let sig = sign(b"secret", NOW, b"{}");
        let ts = NOW.to_string();
        assert_eq!(
            verify(b"other", Some(&ts), Some(&sig), b"{}", NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"secret", Some(&ts), Some(&sig), b"{ }", NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"secret", Some(&ts), Some(&sig), b"{}", NOW + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"secret", Some(&ts), Some(&sig), b"{}", NOW - 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"secret", None, Some(&sig), b"{}", NOW),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify(b"secret", Some("soon"), Some(&sig), b"{}", NOW),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify(b"secret", Some(&ts), None, b"{}", NOW),
            Err(SignatureError::BadSignatureHeader)
        );
        assert_eq!(
            verify(b"secret", Some(&ts), Some("md5=00"), b"{}", NOW),
            Err(SignatureError::BadSignatureHeader)
        );
        assert_eq!(
            verify(b"", Some(&ts), Some(&sig), b"{}", NOW),
            Err(SignatureError::NoSecret)
        );
    }
}
