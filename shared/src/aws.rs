//! AWS SDK configuration, loaded once per cold start.
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
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

/// Loads the SDK configuration from the environment (region, credentials and, locally,
/// `AWS_ENDPOINT_URL` pointing at the emulator). Call once per process and build every
/// client from the result.
pub async fn load_sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
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
        .region(region)
        .endpoint_url(endpoint_url)
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "testing", "testing", None, None, "emulator",
        ))
        .timeout_config(timeouts(attempt))
        .load()
        .await
}
