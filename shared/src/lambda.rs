//! The Lambda entry point API functions share: configuration and SDK clients are built
//! once per cold start, then every request is handed to the function's handler.
use std::convert::Infallible;
use std::future::Future;

use lambda_http::{service_fn, Body, Request, Response};

use crate::adapters::dynamodb::DynamoStore;
use crate::config::AppConfig;

/// What an API handler needs: its store and configuration, built once per process.
#[derive(Clone, Debug)]
pub struct ApiState {
    pub store: DynamoStore,
    pub config: AppConfig,
}

impl ApiState {
    pub fn new(sdk: &aws_config::SdkConfig, config: AppConfig) -> Self {
        let dynamodb = aws_sdk_dynamodb::Client::new(sdk);
        Self {
            store: DynamoStore::new(
                dynamodb,
                config.table_name.clone(),
                config.consent_table_name.clone(),
            ),
            config,
        }
    }
}

/// Runs an API function: `handler` answers every request; it never fails, because
/// every error has already become a problem+json response.
pub async fn run_api<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static ApiState, Request) -> Fut,
    Fut: Future<Output = Response<Body>> + Send,
{
    crate::telemetry::init();
    let config = AppConfig::from_env()?;
    let sdk = crate::aws::load_sdk_config().await;
    // Lives as long as the execution environment; leaking it lets every invocation
    // borrow it without reference counting.
    let state: &'static ApiState = Box::leak(Box::new(ApiState::new(&sdk, config)));
    lambda_http::run(service_fn(move |req| {
        let response = handler(state, req);
        async move { Ok::<_, Infallible>(response.await) }
    }))
    .await
}
