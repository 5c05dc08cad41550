#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::lambda::run_worker(sms_delivery_status::handle).await
}
