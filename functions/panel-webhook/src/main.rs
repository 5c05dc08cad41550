use panel_webhook::PanelWebhookState;
use shared::adapters::panel_http::load_credentials;
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let config = shared::config::AppConfig::from_env()?;
    let sdk = shared::aws::load_sdk_config().await;
    let credentials =
        load_credentials(&sdk, config.panel_credentials_secret_arn.as_deref()).await?;
    let state: &'static PanelWebhookState = Box::leak(Box::new(PanelWebhookState {
        api: shared::lambda::ApiState::new(&sdk, config),
        webhook_secret: credentials.webhook_secret,
    }));
    lambda_http::run(lambda_http::service_fn(move |req| async move {
        Ok::<_, Infallible>(panel_webhook::handle(state, req).await)
    }))
    .await
}
