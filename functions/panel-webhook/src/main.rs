#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::run_http_with(panel_webhook::state, panel_webhook::handle).await
}
