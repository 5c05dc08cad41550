use panel_relay::RelayState;
use shared::adapters::panel_http::{load_credentials, HttpPanelApi};
use shared::domain::panel_chat::RelayPolicy;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let startup = shared::lambda::Startup::begin().await?;
    let config = &startup.config;
    let credentials =
        load_credentials(&startup.sdk, config.panel_credentials_secret_arn.as_deref()).await?;
    let panel = HttpPanelApi::new(config.panel_api_base_url.clone(), &credentials)?;
    let worker = shared::lambda::WorkerState::new(&startup.sdk, config.clone());
    let state: &'static RelayState<HttpPanelApi> = Box::leak(Box::new(RelayState {
        store: worker.store,
        panel,
        policy: RelayPolicy::default(),
    }));
    startup.initialised();
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<
            shared::aws_events::EventBridgeEvent<shared::domain::events::PanelMessagePosted>,
        >| async move {
            panel_relay::handle(state, event.payload)
                .await
                .map_err(lambda_runtime::Error::from)
        },
    ))
    .await
}
