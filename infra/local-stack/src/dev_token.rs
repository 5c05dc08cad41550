//! Local stand-in for Cognito's ID tokens: HS256 JWTs signed with a local secret. The
//! local gateway verifies them and hands the claims to handlers exactly where the API
//! Gateway JWT authorizer puts them.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;
use std::collections::HashMap;

const ISSUER: &str = "local-stack";
const LIFETIME_SECONDS: i64 = 12 * 60 * 60;

#[derive(Clone)]
pub struct DevTokens {
    secret: Vec<u8>,
}

impl DevTokens {
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        Hmac::<Sha256>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!())
    }

    /// An ID token for `sub`, as Cognito would issue it (`token_use` `id`, a verified
    /// email when one is given), with `extra` claims put in as given: they override
    /// those defaults, so a test can mint an access token or an unverified address.
    /// `iss`, `iat` and `exp` stay the local issuer's.
    pub fn issue(
        &self,
        sub: &str,
        email: Option<&str>,
        extra: &Map<String, Value>,
        now_epoch: i64,
    ) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let mut claims = json!({
            "sub": sub,
            "iss": ISSUER,
            "token_use": "id",
            "iat": now_epoch,
            "exp": now_epoch + LIFETIME_SECONDS,
        });
        if let Some(email) = email {
            claims["email"] = json!(email);
            claims["email_verified"] = json!("true");
        }
        // A claim given as null is left out (an address Cognito did not state verified).
        if let Value::Object(map) = &mut claims {
            for (name, value) in extra {
                if ["iss", "iat", "exp", "sub"].contains(&name.as_str()) {
                    continue;
                }
                if value.is_null() {
                    map.remove(name);
                } else {
                    map.insert(name.clone(), value.clone());
                }
            }
        }
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{payload}");
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// The token's claims as strings (as API Gateway presents them), or None if the
    /// token is malformed, forged or expired.
    pub fn verify(&self, token: &str, now_epoch: i64) -> Option<HashMap<String, String>> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let mut mac = self.mac();
        mac.update(format!("{header}.{payload}").as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(signature).ok()?)
            .ok()?;
        let claims: Map<String, Value> =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        let exp = claims.get("exp").and_then(Value::as_i64)?;
        if exp <= now_epoch || claims.get("iss").and_then(Value::as_str) != Some(ISSUER) {
            return None;
        }
        Some(
            claims
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, v)
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_forgeries_do_not() {
        let tokens = DevTokens::new("secret");
        let token = tokens.issue("user-1", Some("a@example.org"), &Map::new(), 1_000);
        let claims = tokens.verify(&token, 1_001).unwrap();
        assert_eq!(claims["sub"], "user-1");
        assert_eq!(claims["email"], "a@example.org");
        assert!(DevTokens::new("other").verify(&token, 1_001).is_none());
        assert!(tokens.verify(&token, 1_000 + LIFETIME_SECONDS).is_none());
        let mut forged = token.clone();
        forged.insert(forged.find('.').unwrap() + 2, 'x');
        assert!(tokens.verify(&forged, 1_001).is_none());
        assert!(tokens.verify("not-a-token", 1_001).is_none());
    }

    #[test]
    fn further_claims_are_put_in_as_given_and_handed_over_as_strings() {
        let tokens = DevTokens::new("secret");
        let extra =
            json!({"token_use": "access", "client_id": "app", "email_verified": false, "exp": 1});
        let token = tokens.issue(
            "user-1",
            Some("a@example.org"),
            extra.as_object().unwrap(),
            1_000,
        );
        let claims = tokens.verify(&token, 1_001).unwrap();
        assert_eq!(claims["token_use"], "access");
        assert_eq!(claims["client_id"], "app");
        assert_eq!(claims["email_verified"], "false");
        // The local issuer's expiry stays: the token still verifies.
        assert_eq!(claims["exp"], (1_000 + LIFETIME_SECONDS).to_string());
        let unstated = json!({"email_verified": null});
        let token = tokens.issue(
            "user-1",
            Some("a@example.org"),
            unstated.as_object().unwrap(),
            1_000,
        );
        assert!(!tokens
            .verify(&token, 1_001)
            .unwrap()
            .contains_key("email_verified"));
    }
}
