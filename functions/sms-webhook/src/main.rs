#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::run_http_with(sms_webhook::state, sms_webhook::handle).await
}
