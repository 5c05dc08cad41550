//! The common crate every Lambda function links.
//!
//! - `domain`: the rules of the product (who may do what, what a valid study is). It
//!   knows nothing of Lambda, HTTP or DynamoDB.
//! - `ports`: the small traits the domain needs from storage.
//! - `adapters`: the one DynamoDB implementation of those traits.
//! - `http`: the glue API handlers share (identity, body parsing, problem+json).
//! - `config`, `aws`, `telemetry`, `trust`: built once per cold start and passed in.
pub mod adapters;
pub mod aws;
pub mod aws_events;
pub mod config;
pub mod domain;
pub mod html;
pub mod http;
pub mod lambda;
pub mod metrics;
pub mod ports;
pub mod telemetry;
pub mod trust;
