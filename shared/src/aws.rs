//! AWS SDK configuration, loaded once per cold start.
use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;

/// The SDK configuration every client is built from, as the functions name it.
pub use aws_config::SdkConfig;
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

/// Loads the SDK configuration. Call once per process and build every client from the
/// result. On Lambda it is built straight from what Lambda sets ([`lambda_sdk_config`]);
/// elsewhere (a developer's machine, `AWS_ENDPOINT_URL` pointing at the emulator) from
/// the SDK's default chain.
pub async fn load_sdk_config() -> SdkConfig {
    match LambdaEnvironment::read(|key| std::env::var(key).ok()) {
        Some(env) => lambda_sdk_config(&env),
        None => {
            aws_config::defaults(BehaviorVersion::latest())
                .http_client(https_client())
                .timeout_config(timeouts(ATTEMPT_TIMEOUT))
                .load()
                .await
        }
    }
}

/// What Lambda puts in every function's environment that the SDK needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaEnvironment {
    pub region: String,
    /// `AWS_ENDPOINT_URL`, where one is set (a local Runtime API run).
    pub endpoint_url: Option<String>,
}

impl LambdaEnvironment {
    /// Present only inside Lambda (`AWS_LAMBDA_FUNCTION_NAME`) with the region and the
    /// execution role's credentials in the environment, as Lambda always sets them.
    pub fn read(lookup: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let set = |key: &str| lookup(key).filter(|v| !v.is_empty());
        set("AWS_LAMBDA_FUNCTION_NAME")?;
        set("AWS_ACCESS_KEY_ID")?;
        set("AWS_SECRET_ACCESS_KEY")?;
        Some(Self {
            region: set("AWS_REGION").or_else(|| set("AWS_DEFAULT_REGION"))?,
            endpoint_url: set("AWS_ENDPOINT_URL"),
        })
    }
}

/// The SDK configuration on Lambda: the region from `AWS_REGION`, the credentials from
/// the variables Lambda sets (read by the SDK's environment provider, as its default
/// chain does first there), standard retries, our HTTPS client and timeouts. None of
/// the default chain's other look-ups (profile files, IMDS, SSO, web identity) run:
/// on Lambda they find nothing and only cost start-up time.
pub fn lambda_sdk_config(env: &LambdaEnvironment) -> SdkConfig {
    let mut builder = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(aws_config::Region::new(env.region.clone()))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_config::environment::credentials::EnvironmentVariableCredentialsProvider::new(),
            ),
        )
        .retry_config(aws_config::retry::RetryConfig::standard())
        .timeout_config(timeouts(ATTEMPT_TIMEOUT))
        .sleep_impl(aws_smithy_async::rt::sleep::TokioSleep::new())
        .time_source(aws_smithy_async::time::SystemTimeSource::new())
        .http_client(https_client());
    if let Some(url) = &env.endpoint_url {
        builder = builder.endpoint_url(url);
    }
    builder.build()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::lookup as env;

    const LAMBDA: [(&str, &str); 4] = [
        ("AWS_LAMBDA_FUNCTION_NAME", "stack-BookingsApi"),
        ("AWS_REGION", "us-east-2"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ];

    #[test]
    fn only_inside_lambda_is_the_lean_set_up_used() {
        assert_eq!(
            LambdaEnvironment::read(env(&LAMBDA)),
            Some(LambdaEnvironment {
                region: "us-east-2".into(),
                endpoint_url: None
            })
        );
        // A developer's shell, or the emulator: the default chain.
        assert_eq!(LambdaEnvironment::read(env(&LAMBDA[1..])), None);
        assert_eq!(
            LambdaEnvironment::read(env(&[LAMBDA[0], LAMBDA[1]])),
            None,
            "no credentials in the environment: leave it to the default chain"
        );
    }

    #[tokio::test]
    async fn the_lean_set_up_has_the_region_and_the_environments_credentials() {
        let sdk = lambda_sdk_config(&LambdaEnvironment::read(env(&LAMBDA)).unwrap());
        assert_eq!(sdk.region().map(|r| r.as_ref()), Some("us-east-2"));
        assert!(sdk.credentials_provider().is_some());
        assert!(sdk.sleep_impl().is_some() && sdk.time_source().is_some());
        assert_eq!(
            sdk.timeout_config()
                .and_then(|t| t.operation_attempt_timeout()),
            Some(ATTEMPT_TIMEOUT)
        );
    }
}
