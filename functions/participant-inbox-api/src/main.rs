#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::run_api(participant_inbox_api::handle).await
}
