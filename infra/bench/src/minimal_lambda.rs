//! The first-response baseline: a function as small as one that reads DynamoDB can be —
//! `lambda_runtime` and `aws-sdk-dynamodb` only, the SDK's default configuration chain,
//! one client — answering any event with one `GetItem`. `make bench-cold-start` builds
//! it with the release profile beside the functions.
use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use serde_json::{json, Value};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    // The workspace builds the SDK without its default HTTPS client; this is that
    // default (hyper + rustls with aws-lc), so the baseline is what a new function gets.
    let https = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
        .build_https();
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .http_client(https)
        .load()
        .await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let table = std::env::var("TABLE_NAME").unwrap_or_else(|_| "MainTable".into());
    let (client, table) = (&client, table.as_str());
    lambda_runtime::run(lambda_runtime::service_fn(
        move |_: lambda_runtime::LambdaEvent<Value>| async move {
            let item = client
                .get_item()
                .table_name(table)
                .key("pk", AttributeValue::S("WS#bench".into()))
                .key("sk", AttributeValue::S("META".into()))
                .send()
                .await?;
            Ok::<_, lambda_runtime::Error>(json!({
                "statusCode": 200,
                "body": json!({"found": item.item.is_some()}).to_string(),
            }))
        },
    ))
    .await
}
