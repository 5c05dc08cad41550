use panel_webhook::PanelWebhookState;
use shared::adapters::panel_http::load_credentials;
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let startup = shared::lambda::Startup::begin().await?;
    let credentials = load_credentials(
        &startup.sdk,
        startup.config.panel_credentials_secret_arn.as_deref(),
    )
    .await?;
    let state: &'static PanelWebhookState = Box::leak(Box::new(PanelWebhookState {
        api: shared::lambda::ApiState::new(&startup.sdk, startup.config.clone()),
        webhook_secret: credentials.webhook_secret,
    }));
    startup.initialised();
    lambda_http::run(lambda_http::service_fn(move |req| async move {
        Ok::<_, Infallible>(panel_webhook::handle(state, req).await)
    }))
    .await
}
