//! The Lambda entry point API functions share: configuration and SDK clients are built
//! once per cold start, then every request is handed to the function's handler.
use std::convert::Infallible;
use std::future::Future;
use std::sync::OnceLock;

use lambda_http::{service_fn, Body, Request, Response};

use crate::adapters::dynamodb::DynamoStore;
use crate::adapters::eventbridge::EventBridgePublisher;
use crate::adapters::ses::SesMailer;
use crate::adapters::sns::SnsSmsSender;
use crate::adapters::sqs::SqsFailureQueue;
use crate::config::AppConfig;
use crate::domain::destinations::SmsDestinations;
use crate::domain::inbound::InboundSettings;
use crate::domain::messaging::{MessagingSettings, Messenger};
use crate::domain::sms::dispatch::{Dispatch, SmsSettings};

/// What an API handler needs, built once per process. The DynamoDB store is built at
/// start-up; every other client on its first use, so a function builds only the
/// clients it calls (and its IAM policy allows).
#[derive(Clone, Debug)]
pub struct ApiState {
    pub store: DynamoStore,
    sdk: aws_config::SdkConfig,
    events: OnceLock<EventBridgePublisher>,
    mailer: OnceLock<SesMailer>,
    sms: OnceLock<SnsSmsSender>,
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

fn events(sdk: &aws_config::SdkConfig, config: &AppConfig) -> EventBridgePublisher {
    EventBridgePublisher::new(
        aws_sdk_eventbridge::Client::new(sdk),
        config.event_bus_name.clone(),
    )
}

impl ApiState {
    pub fn new(sdk: &aws_config::SdkConfig, config: AppConfig) -> Self {
        Self {
            store: store(sdk, &config),
            sdk: sdk.clone(),
            events: OnceLock::new(),
            mailer: OnceLock::new(),
            sms: OnceLock::new(),
            messaging: MessagingSettings {
                product_name: config.product_name.clone(),
                app_url: config.app_url.clone(),
                support_contact: Some(config.support_contact.clone())
                    .filter(|c| !c.trim().is_empty()),
            },
            destinations: config.sms_destinations(),
            config,
        }
    }

    /// Domain events (EventBridge).
    pub fn events(&self) -> &EventBridgePublisher {
        self.events.get_or_init(|| events(&self.sdk, &self.config))
    }

    /// Messaging's writes that email someone: this function's store, mailer and settings.
    pub fn messenger(&self) -> Messenger<'_, DynamoStore, SesMailer> {
        Messenger {
            store: &self.store,
            mailer: self.mailer(),
            settings: &self.messaging,
        }
    }

    /// Email (SES, through the stack's configuration set).
    pub fn mailer(&self) -> &SesMailer {
        self.mailer.get_or_init(|| {
            SesMailer::from_sdk(&self.sdk, self.config.email.sender.clone())
                .with_configuration_set(self.config.email.configuration_set.clone())
        })
    }

    /// Texts sent straight from a request (phone verification codes).
    pub fn sms(&self) -> &SnsSmsSender {
        self.sms.get_or_init(|| SnsSmsSender::from_sdk(&self.sdk))
    }
}

/// What the SMS sender and the reminder dispatcher need, built once per process (the
/// SNS and SQS clients on first use).
#[derive(Clone, Debug)]
pub struct WorkerState {
    pub store: DynamoStore,
    sdk: aws_config::SdkConfig,
    sender: OnceLock<SnsSmsSender>,
    failures: OnceLock<SqsFailureQueue>,
    failure_queue_url: Option<String>,
    pub settings: SmsSettings,
    pub inbound: InboundSettings,
}

impl WorkerState {
    pub fn new(sdk: &aws_config::SdkConfig, config: AppConfig) -> Self {
        Self {
            store: store(sdk, &config),
            sdk: sdk.clone(),
            sender: OnceLock::new(),
            failures: OnceLock::new(),
            failure_queue_url: config.sms.failure_queue_url.clone(),
            settings: SmsSettings {
                product_name: config.product_name.clone(),
                public_base_url: config.public_base_url.clone(),
                sender_number: config.sms.sender_number.clone(),
                destinations: config.sms_destinations(),
                messages_per_second: config.sms.messages_per_second,
                concurrency: 16,
            },
            inbound: InboundSettings {
                product_name: config.product_name.clone(),
                support_contact: config.support_contact.clone(),
                carrier_answers_stop: config.carrier_answers_stop(),
            },
        }
    }

    /// What a text's send needs, from this cold start's clients.
    pub fn dispatch(&self) -> Dispatch<'_, DynamoStore, SnsSmsSender, SqsFailureQueue> {
        Dispatch {
            store: &self.store,
            sender: self.sender(),
            failures: self.failures(),
            settings: &self.settings,
        }
    }

    /// Texts (SNS `Publish`, at most once).
    pub fn sender(&self) -> &SnsSmsSender {
        self.sender
            .get_or_init(|| SnsSmsSender::from_sdk(&self.sdk))
    }

    /// Where failed sends go for a person to act on (SQS).
    pub fn failures(&self) -> &SqsFailureQueue {
        self.failures.get_or_init(|| {
            SqsFailureQueue::new(
                aws_sdk_sqs::Client::new(&self.sdk),
                self.failure_queue_url.clone(),
            )
        })
    }
}

/// Every function's start-up: telemetry, configuration and the SDK configuration,
/// timed. The function then builds its state and calls [`Startup::initialised`], which
/// logs the one `initialised` line of the cold start.
pub struct Startup {
    pub config: AppConfig,
    pub sdk: aws_config::SdkConfig,
    started: std::time::Instant,
    sdk_loaded: std::time::Duration,
}

impl Startup {
    pub async fn begin() -> Result<Self, crate::config::ConfigError> {
        let started = std::time::Instant::now();
        crate::telemetry::init();
        let config = AppConfig::from_env()?;
        let sdk = crate::aws::load_sdk_config().await;
        Ok(Self {
            config,
            sdk,
            sdk_loaded: started.elapsed(),
            started,
        })
    }

    pub fn initialised(&self) {
        log_init(self.sdk_loaded, self.started.elapsed());
    }
}

/// One line per cold start with where its init time went (docs/benchmarks.md, Cold
/// start): configuration and SDK set-up, then building the state (the store and, for
/// some functions, a secret read).
fn log_init(sdk_loaded: std::time::Duration, total: std::time::Duration) {
    tracing::info!(
        sdk_config_ms = sdk_loaded.as_secs_f64() * 1000.0,
        clients_ms = (total - sdk_loaded).as_secs_f64() * 1000.0,
        "initialised"
    );
}

/// Runs a worker function whose state `build` makes from the configuration and the SDK
/// configuration (a secret read, an outside API's client): as [`run_worker`] otherwise.
pub async fn run_worker_with<S, B, BFut, E, F, Fut, R>(
    build: B,
    handler: F,
) -> Result<(), lambda_runtime::Error>
where
    S: Send + Sync + 'static,
    B: FnOnce(AppConfig, aws_config::SdkConfig) -> BFut,
    BFut: Future<Output = Result<S, lambda_runtime::Error>>,
    E: serde::de::DeserializeOwned + Send + 'static,
    F: Fn(&'static S, E) -> Fut,
    Fut: Future<Output = Result<R, crate::domain::DomainError>> + Send + 'static,
    R: serde::Serialize + 'static,
{
    let startup = Startup::begin().await?;
    let state: &'static S = Box::leak(Box::new(
        build(startup.config.clone(), startup.sdk.clone()).await?,
    ));
    startup.initialised();
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<crate::aws_events::Scrubbed<E>>| {
            let result = handler(state, event.payload.0);
            boxed(async move { result.await.map_err(lambda_runtime::Error::from) })
        },
    ))
    .await
}

/// A handler's future behind a pointer. The compiler sizes `main`'s future through
/// every future it awaits; a deep domain future (the reminder dispatcher's) inlined into
/// the runtime's overflowed its query depth limit in a test build. Boxed, the runtime
/// holds a pointer, and one allocation per invocation is nothing beside its AWS calls.
fn boxed<T>(future: impl Future<Output = T> + Send + 'static) -> BoxFuture<T> {
    Box::pin(future)
}

type BoxFuture<T> = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;

/// Runs an HTTP function whose state `build` makes from the configuration and the SDK
/// configuration (a secret read, a signature verifier): as [`run_api`] otherwise.
pub async fn run_http_with<S, B, BFut, F, Fut>(
    build: B,
    handler: F,
) -> Result<(), lambda_http::Error>
where
    S: Send + Sync + 'static,
    B: FnOnce(AppConfig, aws_config::SdkConfig) -> BFut,
    BFut: Future<Output = Result<S, lambda_http::Error>>,
    F: Fn(&'static S, Request) -> Fut,
    Fut: Future<Output = Response<Body>> + Send + 'static,
{
    let startup = Startup::begin().await?;
    // Lives as long as the execution environment; leaking it lets every invocation
    // borrow it without reference counting.
    let state: &'static S = Box::leak(Box::new(
        build(startup.config.clone(), startup.sdk.clone()).await?,
    ));
    startup.initialised();
    lambda_http::run(service_fn(move |req| {
        let response = handler(state, req);
        boxed(async move { Ok::<_, Infallible>(response.await) })
    }))
    .await
}

/// Runs a worker function (an EventBridge rule or schedule target): `handler` gets
/// each event as its type; an error fails the invocation so Lambda retries it and, in
/// the end, sends it to the function's dead-letter queue. So does an event that does not
/// deserialize, and the error the runtime logs for it quotes none of its values
/// (`aws_events::Scrubbed`).
pub async fn run_worker<E, F, Fut, R>(handler: F) -> Result<(), lambda_runtime::Error>
where
    E: serde::de::DeserializeOwned + Send + 'static,
    F: Fn(&'static WorkerState, E) -> Fut,
    Fut: Future<Output = Result<R, crate::domain::DomainError>> + Send + 'static,
    R: serde::Serialize + 'static,
{
    run_worker_with(
        |config, sdk| async move { Ok(WorkerState::new(&sdk, config)) },
        handler,
    )
    .await
}

/// Runs an API function: `handler` answers every request; it never fails, because
/// every error has already become a problem+json response.
pub async fn run_api<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static ApiState, Request) -> Fut,
    Fut: Future<Output = Response<Body>> + Send + 'static,
{
    run_http_with(
        |config, sdk| async move { Ok(ApiState::new(&sdk, config)) },
        handler,
    )
    .await
}
