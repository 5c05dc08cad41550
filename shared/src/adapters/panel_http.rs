//! The external panel's API over HTTP(S), and its credentials from Secrets Manager.
//! The secret (JSON `{"api_key", "webhook_secret"}`) is read once per cold start; it
//! is never logged and never in the template.
use bytes::Bytes;
use http_body_util::Full;
use serde::Deserialize;

use crate::domain::panel_chat::PanelDelivery;
use crate::ports::{PanelApi, PanelError};

#[derive(Clone, Deserialize)]
pub struct PanelCredentials {
    pub api_key: String,
    pub webhook_secret: String,
}

impl std::fmt::Debug for PanelCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PanelCredentials(..)")
    }
}

impl PanelCredentials {
    /// No secret configured: nothing verifies and nothing is delivered.
    pub fn none() -> Self {
        Self {
            api_key: String::new(),
            webhook_secret: String::new(),
        }
    }
}

/// Reads the panel's credentials from the secret `arn` (empty: none configured).
pub async fn load_credentials(
    sdk: &aws_config::SdkConfig,
    arn: Option<&str>,
) -> Result<PanelCredentials, String> {
    let Some(arn) = arn.filter(|a| !a.is_empty()) else {
        tracing::warn!(
            "no panel credentials secret configured; panel chat cannot deliver or verify"
        );
        return Ok(PanelCredentials::none());
    };
    let out = aws_sdk_secretsmanager::Client::new(sdk)
        .get_secret_value()
        .secret_id(arn)
        .send()
        .await
        .map_err(|e| {
            format!(
                "reading the panel credentials secret: {}",
                aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
            )
        })?;
    let text = out
        .secret_string()
        .ok_or("the panel credentials secret has no string value")?;
    serde_json::from_str(text).map_err(|_| {
        "the panel credentials secret is not {\"api_key\", \"webhook_secret\"} JSON".to_owned()
    })
}

type Client = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

#[derive(Clone)]
pub struct HttpPanelApi {
    client: Client,
    base_url: String,
    api_key: String,
}

impl HttpPanelApi {
    pub fn new(
        base_url: impl Into<String>,
        credentials: &PanelCredentials,
    ) -> Result<Self, String> {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config((*crate::trust::client_config()).clone())
            // The local stack's stand-in for the panel is plain http on loopback.
            .https_or_http()
            .enable_http1()
            .build();
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        Ok(Self {
            client,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            api_key: credentials.api_key.clone(),
        })
    }
}

impl PanelApi for HttpPanelApi {
    async fn deliver(&self, delivery: &PanelDelivery) -> Result<(), PanelError> {
        if self.base_url.is_empty() || self.api_key.is_empty() {
            return Err(PanelError::Unavailable("panel API not configured".into()));
        }
        let body = serde_json::to_vec(delivery).map_err(|e| PanelError::Rejected(e.to_string()))?;
        let request = lambda_http::http::Request::builder()
            .method("POST")
            .uri(format!("{}/messages", self.base_url))
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {}", self.api_key))
            // The panel drops a message id it has seen: a retry never posts twice.
            .header("idempotency-key", &delivery.message_id)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| PanelError::Rejected(e.to_string()))?;
        let response = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            self.client.request(request),
        )
        .await
        .map_err(|_| PanelError::Unavailable("timed out".into()))?
        .map_err(|e| PanelError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            Err(PanelError::Unavailable(format!("status {status}")))
        } else {
            Err(PanelError::Rejected(format!("status {status}")))
        }
    }
}
