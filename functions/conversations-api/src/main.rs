#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::run_api(conversations_api::handle).await
}
