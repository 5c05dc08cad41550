//! AWS SDK configuration, loaded once per cold start.
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long one attempt of an AWS call may take before the SDK gives up on it and
/// retries (its standard retry mode: 3 attempts, backoff with jitter). Without it a
/// call whose answer never comes holds the function until the Lambda timeout.
/// DynamoDB, SNS, SES and EventBridge answer in milliseconds.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// The emulator on a loaded 2-core machine (tests run in parallel against one
/// serialised moto) can take longer than AWS; the local default is more patient.
pub const EMULATOR_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

fn timeouts(attempt: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(3100))
        .operation_attempt_timeout(attempt)
        .build()
}

/// The SDK's HTTPS client (hyper + rustls with aws-lc, as its default), trusting the
/// compiled-in roots of `crate::trust` instead of loading the system's at every cold
/// start. One per process: every client built from the `SdkConfig` shares it.
fn https_client() -> SharedHttpClient {
    let trust = TrustStore::empty().with_pem_certificate(crate::trust::roots_pem().as_bytes());
    let context = TlsContext::builder().with_trust_store(trust).build();
    let builder = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
    let inner = match context {
        Ok(context) => builder.tls_context(context).build_https(),
        Err(error) => {
            // Cannot happen with the pinned SDK (building a context does not fail);
            // if it ever does, the system's roots still work, only slower to load.
            tracing::warn!(%error, "compiled-in TLS roots refused; using the system's");
            builder.build_https()
        }
    };
    SharedHttpClient::new(ValidateOnce {
        inner,
        validated: AtomicBool::new(false),
    })
}

/// The SDK's HTTPS client, validated once per process instead of once per service
/// client. Its validation builds a connector and throws it away — parsing every root
/// certificate — so that loading certificates happens at init rather than on the first
/// request; an API function builds four service clients from one `SdkConfig`, and
/// paid for that four times (docs/benchmarks.md, Cold start). The first validation
/// still happens at init; requests go to the same shared client, which caches its
/// connectors.
#[derive(Debug)]
struct ValidateOnce {
    inner: SharedHttpClient,
    validated: AtomicBool,
}

impl HttpClient for ValidateOnce {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.inner.http_connector(settings, components)
    }

    fn validate_base_client_config(
        &self,
        components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        if self.validated.load(Ordering::Acquire) {
            return Ok(());
        }
        self.inner.validate_base_client_config(components, cfg)?;
        self.validated.store(true, Ordering::Release);
        Ok(())
    }

    fn validate_final_config(
        &self,
        components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_final_config(components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

/// Loads the SDK configuration from the environment (region, credentials and, locally,
/// `AWS_ENDPOINT_URL` pointing at the emulator). Call once per process and build every
/// client from the result.
pub async fn load_sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(https_client())
        .timeout_config(timeouts(ATTEMPT_TIMEOUT))
        .load()
        .await
}

/// SDK configuration for the emulator on loopback, used by the local stack and tests:
/// fixed region, dummy static credentials, explicit endpoint.
pub async fn emulator_sdk_config(endpoint_url: &str) -> SdkConfig {
    emulator_sdk_config_with_timeout(endpoint_url, EMULATOR_ATTEMPT_TIMEOUT).await
}

/// The same with another attempt timeout (the soak, whose fault proxy holds calls past
/// it).
pub async fn emulator_sdk_config_with_timeout(endpoint_url: &str, attempt: Duration) -> SdkConfig {
    let region = aws_config::Region::new("us-east-1");
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(https_client())
        .region(region)
        .endpoint_url(endpoint_url)
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "testing", "testing", None, None, "emulator",
        ))
        .timeout_config(timeouts(attempt))
        .load()
        .await
}
