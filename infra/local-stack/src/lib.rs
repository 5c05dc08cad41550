//! The whole stack on one port: every HTTP route of `template.yaml` served by the same
//! handler code Lambda runs, against the AWS emulator, plus the contract's `/_dev/*`
//! routes. Used by `make dev` and by the end-to-end tests.
pub mod carrier;
pub mod dev_token;
pub mod events;
pub mod fault_proxy;
pub mod functions;
pub mod gateway;
pub mod inspect;
pub mod openapi;
mod panel_stand_in;
pub mod provision;
mod server;
pub mod sns_endpoint;
pub mod template;

use serde_yaml::Value;
use shared::config::{AppConfig, ConfigError};
use shared::lambda::{ApiState, WorkerState};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;

use provision::LocalResources;
use template::{intrinsic, Template, TemplateError};

#[derive(Debug, Error)]
pub enum StackError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("provisioning in the emulator failed: {0}")]
    Provision(#[from] provision::ProvisionError),
    #[error("panel credentials: {0}")]
    Panel(String),
    #[error("function {function}: {source}")]
    Config {
        function: String,
        source: ConfigError,
    },
    #[error("function {function}: environment variable {variable} uses {intrinsic}, which the local stack cannot resolve")]
    Unresolvable {
        function: String,
        variable: String,
        intrinsic: String,
    },
    #[error("the template's function {0} has no local handler (add it to infra/local-stack/src/functions.rs)")]
    MissingHandler(String),
    #[error("function {function}: cannot wire its events locally: {detail}")]
    Wiring { function: String, detail: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

#[derive(Clone, Debug)]
pub struct StackOptions {
    pub template_path: PathBuf,
    /// The emulator's endpoint, e.g. `http://127.0.0.1:5000`.
    pub emulator_url: String,
    /// Prepended to every table, bus and topic name, so stacks can share an emulator.
    pub prefix: String,
    pub bind: SocketAddr,
    pub dev_token_secret: String,
    /// Template parameters given locally (others take the template's defaults).
    pub parameters: BTreeMap<String, String>,
    /// The certificate `/webhooks/sms` verifies SNS signatures against (PEM). Tests
    /// generate one; without it the local webhook refuses every request.
    pub sns_signing_certificate_pem: Option<Vec<u8>>,
    /// Run the scheduled functions once a minute, as EventBridge Scheduler would
    /// (`make dev`); tests drive them with `/_dev/tick` instead.
    pub auto_tick: bool,
    /// The webhook secret the local panel signs replies with; stored, with the panel
    /// API key, in an emulated Secrets Manager secret the functions read as in AWS.
    pub panel_webhook_secret: String,
    /// How long one attempt of an AWS call may take before the SDK retries it.
    pub sdk_attempt_timeout: std::time::Duration,
}

impl StackOptions {
    /// Local defaults: a fictional sender number (555-01xx is reserved for fiction).
    pub fn local(
        template_path: PathBuf,
        emulator_url: String,
        prefix: String,
        bind: SocketAddr,
    ) -> Self {
        let parameters = BTreeMap::from([
            ("SenderNumber".to_owned(), "+16175550100".to_owned()),
            // A 617 long code, not toll-free: our own STOP confirmation goes out.
            ("SenderNumberType".to_owned(), "TEN_DLC".to_owned()),
            // A short code's rate, so local runs with many reminders stay quick.
            ("SmsMessagesPerSecond".to_owned(), "50".to_owned()),
            ("AppUrl".to_owned(), format!("http://{bind}")),
        ]);
        Self {
            template_path,
            emulator_url,
            prefix,
            bind,
            dev_token_secret: "local-dev-token-secret".to_owned(),
            parameters,
            sns_signing_certificate_pem: None,
            auto_tick: false,
            // As `../shared/API.md` documents it.
            panel_webhook_secret: "local-panel-secret".to_owned(),
            sdk_attempt_timeout: shared::aws::EMULATOR_ATTEMPT_TIMEOUT,
        }
    }
}

pub struct RunningStack {
    pub addr: SocketAddr,
    pub base_url: String,
    pub resources: LocalResources,
    pub server: tokio::task::JoinHandle<()>,
}

fn resolve_environment(
    template: &Template,
    function: &str,
    parameters: &BTreeMap<String, String>,
    resources: &LocalResources,
) -> Result<BTreeMap<String, String>, StackError> {
    let mut env = BTreeMap::new();
    for (variable, value) in template.function_environment(function) {
        let resolved = match (&value, intrinsic(&value)) {
            (Value::String(s), _) => s.clone(),
            (Value::Number(n), _) => n.to_string(),
            (Value::Bool(b), _) => b.to_string(),
            (_, Some((name, arg))) if name == "Ref" => {
                let target = arg.as_str().unwrap_or_default();
                parameters
                    .get(target)
                    .or_else(|| resources.refs.get(target))
                    .cloned()
                    .ok_or_else(|| StackError::Unresolvable {
                        function: function.to_owned(),
                        variable: variable.clone(),
                        intrinsic: format!("Ref {target}"),
                    })?
            }
            (_, other) => {
                return Err(StackError::Unresolvable {
                    function: function.to_owned(),
                    variable,
                    intrinsic: other.map(|(n, _)| n).unwrap_or_else(|| "a value".into()),
                })
            }
        };
        env.insert(variable, resolved);
    }
    Ok(env)
}

/// Provisions the template's resources in the emulator and serves its routes.
pub async fn start(options: StackOptions) -> Result<RunningStack, StackError> {
    let template = Template::load(&options.template_path)?;
    let sdk = shared::aws::emulator_sdk_config_with_timeout(
        &options.emulator_url,
        options.sdk_attempt_timeout,
    )
    .await;
    let mut parameters = template.parameter_defaults();
    parameters.extend(options.parameters.clone());
    // The pseudo parameter the functions' environment names (METRICS_NAMESPACE).
    parameters.insert("AWS::StackName".to_owned(), options.prefix.clone());
    let resources = provision::provision(&sdk, &template, &options.prefix, &parameters).await?;
    let panel_secret_arn = provision::panel_credentials_secret(
        &sdk,
        &options.prefix,
        panel_stand_in::LOCAL_PANEL_API_KEY,
        &options.panel_webhook_secret,
    )
    .await?;
    parameters.insert("PanelCredentialsSecretArn".to_owned(), panel_secret_arn);

    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .map_err(|source| StackError::Bind {
            addr: options.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StackError::Bind {
        addr: options.bind,
        source,
    })?;
    // The app URL names the port actually bound (the tests bind port 0).
    parameters.insert("AppUrl".to_owned(), format!("http://{addr}"));
    parameters.insert("PublicBaseUrl".to_owned(), format!("http://{addr}"));
    parameters.insert(
        "PanelApiBaseUrl".to_owned(),
        format!("http://{addr}/_dev/panel"),
    );

    let mut routes = Vec::new();
    for route in template.http_routes()? {
        let env = resolve_environment(&template, &route.function, &parameters, &resources)?;
        let config = AppConfig::from_lookup(|k| env.get(k).cloned()).map_err(|source| {
            StackError::Config {
                function: route.function.clone(),
                source,
            }
        })?;
        // One state per route is harmless locally; Lambda builds one per cold start.
        let state: &'static ApiState = Box::leak(Box::new(ApiState::new(&sdk, config.clone())));
        let handler = match functions::http_handler(&route.function, state) {
            Some(handler) => handler,
            None if route.function == "SmsWebhookFunction" => {
                let topic = config.sms.inbound_topic_arn.clone().unwrap_or_default();
                let endpoint = sns_endpoint::LocalSnsEndpoint {
                    certificate_pem: options.sns_signing_certificate_pem.clone(),
                    confirmed: std::sync::Mutex::new(Vec::new()),
                };
                let webhook = Box::leak(Box::new(sms_webhook::WebhookState {
                    worker: WorkerState::new(&sdk, config.clone()),
                    verifier: shared::adapters::sns_webhook::SnsVerifier::new(endpoint, topic),
                }));
                functions::webhook_handler(webhook)
            }
            None if route.function == "PanelWebhookFunction" => {
                let credentials = shared::adapters::panel_http::load_credentials(
                    &sdk,
                    config.panel.credentials_secret_arn.as_deref(),
                )
                .await
                .map_err(StackError::Panel)?;
                let webhook = Box::leak(Box::new(panel_webhook::PanelWebhookState {
                    api: ApiState::new(&sdk, config.clone()),
                    webhook_secret: credentials.webhook_secret,
                }));
                functions::panel_webhook_handler(webhook)
            }
            None => return Err(StackError::MissingHandler(route.function.clone())),
        };
        routes.push(gateway::CompiledRoute::new(route, handler));
    }

    // Worker functions, with their own environment and state, as Lambda gives them.
    let mut workers: BTreeMap<String, functions::WorkerHandler> = BTreeMap::new();
    for function in template.function_ids() {
        let env = resolve_environment(&template, &function, &parameters, &resources)?;
        let config = AppConfig::from_lookup(|k| env.get(k).cloned()).map_err(|source| {
            StackError::Config {
                function: function.clone(),
                source,
            }
        })?;
        if function == "PanelRelayFunction" {
            let credentials = shared::adapters::panel_http::load_credentials(
                &sdk,
                config.panel.credentials_secret_arn.as_deref(),
            )
            .await
            .map_err(StackError::Panel)?;
            let panel = shared::adapters::panel_http::HttpPanelApi::new(
                config.panel.api_base_url.clone(),
                &credentials,
            )
            .map_err(StackError::Panel)?;
            let relay = Box::leak(Box::new(panel_relay::RelayState {
                store: WorkerState::new(&sdk, config).store,
                panel,
                policy: shared::domain::panel_chat::RelayPolicy::default(),
            }));
            workers.insert(function, functions::panel_relay_handler(relay));
            continue;
        }
        let state: &'static WorkerState = Box::leak(Box::new(WorkerState::new(&sdk, config)));
        if let Some(handler) = functions::worker_handler(&function, state) {
            workers.insert(function, handler);
        }
    }
    events::wire_rules(&sdk, &template, &resources, &options.prefix, |f| {
        workers.get(f).cloned()
    })
    .await?;
    let mut scheduled = Vec::new();
    for (function, input) in events::scheduled_functions(&template) {
        let handler = workers
            .get(&function)
            .cloned()
            .ok_or_else(|| StackError::MissingHandler(function.clone()))?;
        scheduled.push((function, input, handler));
    }

    // The functions subscribed to the inbound SMS topic receive `/_dev/sms/inbound`.
    let mut inbound = Vec::new();
    for (function, props) in template.function_events("SNS") {
        let topic = props
            .get("Topic")
            .and_then(intrinsic)
            .and_then(|(name, arg)| {
                (name == "Ref").then(|| arg.as_str().unwrap_or_default().to_owned())
            });
        if topic.as_deref() == Some(events::INBOUND_SMS_TOPIC) {
            let handler = workers
                .get(&function)
                .cloned()
                .ok_or_else(|| StackError::MissingHandler(function.clone()))?;
            let arn = resources
                .refs
                .get(events::INBOUND_SMS_TOPIC)
                .cloned()
                .unwrap_or_default();
            inbound.push((function, handler, arn));
        }
    }
    let sender_number = parameters.get("SenderNumber").cloned().unwrap_or_default();

    // The functions subscribed to SNS's SMS delivery-status log groups get the local
    // carrier's reports.
    let mut subscribers = carrier::Subscribers::default();
    for (filter, group, function) in template.log_subscriptions() {
        let handler = workers
            .get(&function)
            .cloned()
            .ok_or_else(|| StackError::MissingHandler(function.clone()))?;
        if group.ends_with("/DirectPublishToPhoneNumber/Failure") {
            subscribers.failure.push((filter, handler));
        } else if group.ends_with("/DirectPublishToPhoneNumber") {
            subscribers.success.push((filter, handler));
        } else {
            return Err(StackError::Wiring {
                function,
                detail: format!(
                    "subscribed to log group {group}, which the local stack does not write"
                ),
            });
        }
    }
    let carrier: &'static carrier::LocalCarrier = Box::leak(Box::default());
    tokio::spawn(carrier.run(
        options.emulator_url.clone(),
        reqwest::Client::new(),
        subscribers,
    ));

    let stack = Arc::new(server::Stack {
        inbound,
        sender_number,
        scheduled,
        routes,
        tokens: dev_token::DevTokens::new(options.dev_token_secret.clone()),
        emulator_url: options.emulator_url.clone(),
        http: reqwest::Client::new(),
        panel: Arc::new(panel_stand_in::PanelStandIn::default()),
        openapi: openapi::document(&template.http_routes()?).0,
        carrier,
    });
    if options.auto_tick {
        let ticking = stack.clone();
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                ticking.tick(chrono::Utc::now()).await;
            }
        });
    }
    let app = server::router(stack).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "local stack server stopped");
        }
    });
    Ok(RunningStack {
        addr,
        base_url: format!("http://{addr}"),
        resources,
        server,
    })
}
