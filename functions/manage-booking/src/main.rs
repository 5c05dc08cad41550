#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::run_api(manage_booking::handle).await
}
