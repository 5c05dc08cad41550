#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::lambda::run_worker(email_events::handle).await
}
