#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::run_api(public_booking::handle).await
}
