//! Verifying messages SNS delivers to an HTTPS endpoint. Only signature version 2
//! (RSA with SHA256) is accepted, the signing certificate must come over https from an
//! `sns.<region>.amazonaws.com` host, and the topic must be ours; anything else is
//! refused. Certificates are cached per URL for the life of the process. There is no
//! way to turn verification off: the only thing a deployment chooses is where
//! certificates come from, and production fetches them from AWS.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("not an SNS message: {0}")]
    Malformed(&'static str),
    #[error("only SignatureVersion 2 (SHA256) is accepted")]
    UnsupportedSignatureVersion,
    #[error("the signing certificate URL is not an https URL on an SNS host")]
    UntrustedCertificateUrl,
    #[error("the SubscribeURL is not an https URL on an SNS host")]
    UntrustedSubscribeUrl,
    #[error("the message is not from our topic")]
    WrongTopic,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the signing certificate could not be obtained: {0}")]
    CertificateUnavailable(String),
}

/// An SNS HTTP(S) delivery, as its JSON names the fields.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct SnsMessage {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(rename = "MessageId")]
    pub message_id: String,
    #[serde(rename = "TopicArn")]
    pub topic_arn: String,
    #[serde(rename = "Message")]
    pub message: String,
    #[serde(rename = "Timestamp")]
    pub timestamp: String,
    #[serde(rename = "Subject", default)]
    pub subject: Option<String>,
    #[serde(rename = "SubscribeURL", default)]
    pub subscribe_url: Option<String>,
    #[serde(rename = "Token", default)]
    pub token: Option<String>,
    #[serde(rename = "SignatureVersion")]
    pub signature_version: String,
    #[serde(rename = "Signature")]
    pub signature: String,
    #[serde(rename = "SigningCertURL")]
    pub signing_cert_url: String,
}

/// Where signing certificates (PEM) come from, and how subscriptions are confirmed.
/// (Used only with concrete types, so `async fn` is fine here.)
#[allow(async_fn_in_trait)]
pub trait SnsEndpoint {
    async fn certificate_pem(&self, url: &str) -> Result<Vec<u8>, VerifyError>;
    async fn confirm_subscription(&self, subscribe_url: &str) -> Result<(), VerifyError>;
}

/// True for `https://sns.<region>.amazonaws.com[.cn]/...`.
pub fn is_sns_url(url: &str) -> bool {
    let Ok(uri) = url.parse::<lambda_http::http::Uri>() else {
        return false;
    };
    if uri.scheme_str() != Some("https") || uri.port().is_some() {
        return false;
    }
    let Some(host) = uri.host() else { return false };
    let region = host.strip_prefix("sns.").and_then(|rest| {
        rest.strip_suffix(".amazonaws.com")
            .or_else(|| rest.strip_suffix(".amazonaws.com.cn"))
    });
    matches!(region, Some(r) if !r.is_empty() && r.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
}

/// The string SNS signs, per message type.
pub fn string_to_sign(m: &SnsMessage) -> Result<String, VerifyError> {
    let mut out = String::new();
    let mut add = |name: &str, value: &str| {
        out.push_str(name);
        out.push('\n');
        out.push_str(value);
        out.push('\n');
    };
    match m.kind.as_str() {
        "Notification" => {
            add("Message", &m.message);
            add("MessageId", &m.message_id);
            if let Some(subject) = &m.subject {
                add("Subject", subject);
            }
            add("Timestamp", &m.timestamp);
            add("TopicArn", &m.topic_arn);
            add("Type", &m.kind);
        }
        "SubscriptionConfirmation" | "UnsubscribeConfirmation" => {
            let subscribe_url = m
                .subscribe_url
                .as_deref()
                .ok_or(VerifyError::Malformed("SubscribeURL missing"))?;
            let token = m
                .token
                .as_deref()
                .ok_or(VerifyError::Malformed("Token missing"))?;
            add("Message", &m.message);
            add("MessageId", &m.message_id);
            add("SubscribeURL", subscribe_url);
            add("Timestamp", &m.timestamp);
            add("Token", token);
            add("TopicArn", &m.topic_arn);
            add("Type", &m.kind);
        }
        _ => return Err(VerifyError::Malformed("unknown Type")),
    }
    Ok(out)
}

fn pem_to_der(pem: &[u8]) -> Result<Vec<u8>, VerifyError> {
    let text = std::str::from_utf8(pem)
        .map_err(|_| VerifyError::CertificateUnavailable("not PEM".into()))?;
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END CERTIFICATE-----"))
        .collect();
    STANDARD
        .decode(body.trim())
        .map_err(|_| VerifyError::CertificateUnavailable("not PEM".into()))
}

pub struct SnsVerifier<E> {
    endpoint: E,
    topic_arn: String,
    certificates: Mutex<HashMap<String, Vec<u8>>>,
}

impl<E: SnsEndpoint> SnsVerifier<E> {
    pub fn new(endpoint: E, topic_arn: impl Into<String>) -> Self {
        Self {
            endpoint,
            topic_arn: topic_arn.into(),
            certificates: Mutex::new(HashMap::new()),
        }
    }

    pub fn endpoint(&self) -> &E {
        &self.endpoint
    }

    async fn certificate_der(&self, url: &str) -> Result<Vec<u8>, VerifyError> {
        if let Some(der) = self
            .certificates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(url)
        {
            return Ok(der.clone());
        }
        let der = pem_to_der(&self.endpoint.certificate_pem(url).await?)?;
        self.certificates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(url.to_owned(), der.clone());
        Ok(der)
    }

    /// The message, if it is a genuine delivery from our topic.
    pub async fn verify(&self, body: &[u8]) -> Result<SnsMessage, VerifyError> {
        let message: SnsMessage = serde_json::from_slice(body)
            .map_err(|_| VerifyError::Malformed("not an SNS JSON message"))?;
        if message.signature_version != "2" {
            return Err(VerifyError::UnsupportedSignatureVersion);
        }
        if !is_sns_url(&message.signing_cert_url) {
            return Err(VerifyError::UntrustedCertificateUrl);
        }
        if message.topic_arn != self.topic_arn {
            return Err(VerifyError::WrongTopic);
        }
        // We follow a confirmation's SubscribeURL, so it must lead to SNS too.
        if matches!(&message.subscribe_url, Some(url) if !is_sns_url(url)) {
            return Err(VerifyError::UntrustedSubscribeUrl);
        }
        let signed = string_to_sign(&message)?;
        let signature = STANDARD
            .decode(&message.signature)
            .map_err(|_| VerifyError::BadSignature)?;
        let der = self.certificate_der(&message.signing_cert_url).await?;
        let certificate = rustls_pki_types::CertificateDer::from(der);
        let end_entity = webpki::EndEntityCert::try_from(&certificate)
            .map_err(|_| VerifyError::CertificateUnavailable("not an X.509 certificate".into()))?;
        end_entity
            .verify_signature(
                webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256,
                signed.as_bytes(),
                &signature,
            )
            .map_err(|_| VerifyError::BadSignature)?;
        Ok(message)
    }
}

/// Production: certificates fetched over https (the roots of `crate::trust`) from the SNS host the
/// URL names, and subscriptions confirmed the same way.
pub struct HttpsSnsEndpoint {
    client: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        http_body_util::Empty<bytes::Bytes>,
    >,
}

impl HttpsSnsEndpoint {
    pub fn new() -> Result<Self, VerifyError> {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config((*crate::trust::client_config()).clone())
            .https_only()
            .enable_http1()
            .build();
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        Ok(Self { client })
    }

    async fn get(&self, url: &str) -> Result<Vec<u8>, VerifyError> {
        use http_body_util::BodyExt;
        if !is_sns_url(url) {
            return Err(VerifyError::UntrustedCertificateUrl);
        }
        let uri: lambda_http::http::Uri = url
            .parse()
            .map_err(|_| VerifyError::UntrustedCertificateUrl)?;
        let response =
            tokio::time::timeout(std::time::Duration::from_secs(5), self.client.get(uri))
                .await
                .map_err(|_| VerifyError::CertificateUnavailable("timed out".into()))?
                .map_err(|e| VerifyError::CertificateUnavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(VerifyError::CertificateUnavailable(format!(
                "status {}",
                response.status()
            )));
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| VerifyError::CertificateUnavailable(e.to_string()))?;
        Ok(body.to_bytes().to_vec())
    }
}

impl SnsEndpoint for HttpsSnsEndpoint {
    async fn certificate_pem(&self, url: &str) -> Result<Vec<u8>, VerifyError> {
        self.get(url).await
    }

    async fn confirm_subscription(&self, subscribe_url: &str) -> Result<(), VerifyError> {
        self.get(subscribe_url).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_sns_hosts_are_trusted() {
        assert!(is_sns_url(
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem"
        ));
        assert!(is_sns_url("https://sns.cn-north-1.amazonaws.com.cn/x.pem"));
        for bad in [
            "http://sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
            "https://evil.example/sns.us-east-1.amazonaws.com/x.pem",
            "https://sns..amazonaws.com/x.pem",
            "https://sqs.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com:8443/x.pem",
            "not a url",
        ] {
            assert!(!is_sns_url(bad), "{bad}");
        }
    }

    #[test]
    fn notifications_sign_their_fields_in_order() {
        let m = SnsMessage {
            kind: "Notification".into(),
            message_id: "id".into(),
            topic_arn: "arn".into(),
            message: "hello".into(),
            timestamp: "t".into(),
            subject: None,
            subscribe_url: None,
            token: None,
            signature_version: "2".into(),
            signature: String::new(),
            signing_cert_url: String::new(),
        };
        assert_eq!(
            string_to_sign(&m).unwrap(),
            "Message\nhello\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n"
        );
    }
}
