//! AWS SDK configuration, loaded once per cold start.
use aws_config::{BehaviorVersion, SdkConfig};

/// Loads the SDK configuration from the environment (region, credentials and, locally,
/// `AWS_ENDPOINT_URL` pointing at the emulator). Call once per process and build every
/// client from the result.
pub async fn load_sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).load().await
}

/// SDK configuration for the emulator on loopback, used by the local stack and tests:
/// fixed region, dummy static credentials, explicit endpoint.
pub async fn emulator_sdk_config(endpoint_url: &str) -> SdkConfig {
    let region = aws_config::Region::new("us-east-1");
    aws_config::defaults(BehaviorVersion::latest())
        .region(region)
        .endpoint_url(endpoint_url)
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "testing", "testing", None, None, "emulator",
        ))
        .load()
        .await
}
