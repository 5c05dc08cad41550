use shared::adapters::sns_webhook::{HttpsSnsEndpoint, SnsVerifier};
use sms_webhook::WebhookState;
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let startup = shared::lambda::Startup::begin().await?;
    let topic = startup
        .config
        .inbound_sms_topic_arn
        .clone()
        .ok_or("INBOUND_SMS_TOPIC_ARN is required")?;
    let worker = shared::lambda::WorkerState::new(&startup.sdk, startup.config.clone());
    // Production verifies against certificates fetched from AWS; nothing can turn it off.
    let verifier = SnsVerifier::new(HttpsSnsEndpoint::new()?, topic);
    let state: &'static WebhookState<HttpsSnsEndpoint> =
        Box::leak(Box::new(WebhookState { worker, verifier }));
    startup.initialised();
    lambda_http::run(lambda_http::service_fn(move |req| async move {
        Ok::<_, Infallible>(sms_webhook::handle(state, req).await)
    }))
    .await
}
