#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::lambda::run_worker_with(panel_relay::state, panel_relay::handle).await
}
