//! `make dev`: the whole stack on 127.0.0.1:3000 (`PORT` to change) against the
//! emulator at `AWS_ENDPOINT_URL`, until Ctrl-C.
use std::net::SocketAddr;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    shared::telemetry::init();
    let emulator_url = std::env::var("AWS_ENDPOINT_URL")
        .map_err(|_| "AWS_ENDPOINT_URL must point at the emulator (make dev sets it)")?;
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    let template = std::env::var("TEMPLATE").unwrap_or_else(|_| "template.yaml".to_owned());
    let options = local_stack::StackOptions::local(
        template.into(),
        emulator_url,
        "local-".to_owned(),
        SocketAddr::from(([127, 0, 0, 1], port)),
    );
    let options = local_stack::StackOptions {
        auto_tick: true,
        ..options
    };
    let stack = local_stack::start(options).await?;
    eprintln!(
        "local stack ready on {} in {} ms (Ctrl-C stops it)",
        stack.base_url,
        started.elapsed().as_millis()
    );
    tokio::signal::ctrl_c().await?;
    eprintln!("stopping");
    Ok(())
}
