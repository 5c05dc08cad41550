#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::run_api(sms_consent_api::handle).await
}
