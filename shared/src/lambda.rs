//! The Lambda entry point API functions share: configuration and SDK clients are built
//! once per cold start, then every request is handed to the function's handler.
use std::convert::Infallible;
use std::future::Future;

use lambda_http::{service_fn, Body, Request, Response};

use crate::adapters::dynamodb::DynamoStore;
use crate::adapters::eventbridge::EventBridgePublisher;
use crate::adapters::ses::SesMailer;
use crate::adapters::sns::SnsSmsSender;
use crate::adapters::sqs::SqsFailureQueue;
use crate::config::AppConfig;
use crate::domain::destinations::SmsDestinations;
use crate::domain::inbound::InboundSettings;
use crate::domain::messaging::MessagingSettings;
use crate::domain::sms::dispatch::SmsSettings;

/// What an API handler needs, built once per process.
#[derive(Clone, Debug)]
pub struct ApiState {
    pub store: DynamoStore,
    pub events: EventBridgePublisher,
    pub mailer: SesMailer,
    /// Texts sent straight from a request (phone verification codes).
    pub sms: SnsSmsSender,
    pub messaging: MessagingSettings,
    /// Where texts may go (the allowed countries, never our own number).
    pub destinations: SmsDestinations,
    pub config: AppConfig,
}

fn store(sdk: &aws_config::SdkConfig, config: &AppConfig) -> DynamoStore {
    DynamoStore::new(
        aws_sdk_dynamodb::Client::new(sdk),
        config.table_name.clone(),
        config.consent_table_name.clone(),
    )
}

impl ApiState {
    pub fn new(sdk: &aws_config::SdkConfig, config: AppConfig) -> Self {
        Self {
            store: store(sdk, &config),
            events: EventBridgePublisher::new(
                aws_sdk_eventbridge::Client::new(sdk),
                config.event_bus_name.clone(),
            ),
            mailer: SesMailer::from_sdk(sdk, config.sender_email.clone())
                .with_configuration_set(config.ses_configuration_set.clone()),
            sms: SnsSmsSender::from_sdk(sdk),
            messaging: MessagingSettings {
                product_name: config.product_name.clone(),
                app_url: config.app_url.clone(),
            },
            destinations: config.sms_destinations(),
            config,
        }
    }
}

/// What the SMS sender and the reminder dispatcher need, built once per process.
#[derive(Clone, Debug)]
pub struct WorkerState {
    pub store: DynamoStore,
    pub sender: SnsSmsSender,
    pub failures: SqsFailureQueue,
    pub settings: SmsSettings,
    pub inbound: InboundSettings,
}

impl WorkerState {
    pub fn new(sdk: &aws_config::SdkConfig, config: AppConfig) -> Self {
        Self {
            store: store(sdk, &config),
            sender: SnsSmsSender::from_sdk(sdk),
            failures: SqsFailureQueue::new(
                aws_sdk_sqs::Client::new(sdk),
                config.sms_failure_queue_url.clone(),
            ),
            settings: SmsSettings {
                product_name: config.product_name.clone(),
                public_base_url: config.public_base_url.clone(),
                sender_number: config.sender_number.clone(),
                destinations: config.sms_destinations(),
                messages_per_second: config.sms_messages_per_second,
                concurrency: 16,
            },
            inbound: InboundSettings {
                product_name: config.product_name.clone(),
                support_contact: config.support_contact.clone(),
                carrier_answers_stop: config.carrier_answers_stop(),
            },
        }
    }
}

/// One line per cold start with where its init time went (docs/benchmarks.md, Cold
/// start): configuration and SDK set-up, then building the clients and adapters.
fn log_init(sdk_loaded: std::time::Duration, total: std::time::Duration) {
    tracing::info!(
        sdk_config_ms = sdk_loaded.as_secs_f64() * 1000.0,
        clients_ms = (total - sdk_loaded).as_secs_f64() * 1000.0,
        "initialised"
    );
}

/// Runs a worker function (an EventBridge rule or schedule target): `handler` gets
/// each event's JSON; an error fails the invocation so Lambda retries it and, in the
/// end, sends it to the function's dead-letter queue.
pub async fn run_worker<F, Fut, R>(handler: F) -> Result<(), lambda_runtime::Error>
where
    F: Fn(&'static WorkerState, serde_json::Value) -> Fut,
    Fut: Future<Output = Result<R, crate::domain::DomainError>> + Send,
    R: serde::Serialize,
{
    let started = std::time::Instant::now();
    crate::telemetry::init();
    let config = AppConfig::from_env()?;
    let sdk = crate::aws::load_sdk_config().await;
    let sdk_loaded = started.elapsed();
    let state: &'static WorkerState = Box::leak(Box::new(WorkerState::new(&sdk, config)));
    log_init(sdk_loaded, started.elapsed());
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<serde_json::Value>| {
            let result = handler(state, event.payload);
            async move { result.await.map_err(lambda_runtime::Error::from) }
        },
    ))
    .await
}

/// Runs an API function: `handler` answers every request; it never fails, because
/// every error has already become a problem+json response.
pub async fn run_api<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static ApiState, Request) -> Fut,
    Fut: Future<Output = Response<Body>> + Send,
{
    let started = std::time::Instant::now();
    crate::telemetry::init();
    let config = AppConfig::from_env()?;
    let sdk = crate::aws::load_sdk_config().await;
    let sdk_loaded = started.elapsed();
    // Lives as long as the execution environment; leaking it lets every invocation
    // borrow it without reference counting.
    let state: &'static ApiState = Box::leak(Box::new(ApiState::new(&sdk, config)));
    log_init(sdk_loaded, started.elapsed());
    lambda_http::run(service_fn(move |req| {
        let response = handler(state, req);
        async move { Ok::<_, Infallible>(response.await) }
    }))
    .await
}
